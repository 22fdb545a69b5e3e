-- CreateIndex
CREATE INDEX "menu_items_created_at_name_id_idx" ON "menu_items"("created_at", "name", "id");
