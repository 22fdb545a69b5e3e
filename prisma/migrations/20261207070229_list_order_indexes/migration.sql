-- DropIndex
DROP INDEX "tasks_owner_id_created_at_idx";

-- CreateIndex
CREATE INDEX "books_title_id_idx" ON "books"("title", "id");

-- CreateIndex
CREATE INDEX "tasks_owner_id_created_at_id_idx" ON "tasks"("owner_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "users_created_at_id_idx" ON "users"("created_at", "id");
