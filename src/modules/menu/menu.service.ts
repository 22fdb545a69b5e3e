/** The menu: public reads, and writes for holders of the :items permissions (checked by the schema). */
import { z } from 'zod';
import type { PrismaClient, SqlSession } from '../../db/database.js';
import { jsonPages, selectPage, type PageTable } from '../../db/keyset-page.js';
import { notFound, notFoundIfMissing } from '../../kernel/errors.js';
import { definedOnly, httpUrl, isUuid, parseInput, text } from '../../kernel/validation.js';
import { cursorKey, readPage, type Connection, type JsonPages, type KeysetOrder, type PageArgs } from '../../kernel/pagination.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { MenuEvents } from './menu.events.js';
import { MENU_ITEM_FIELDS, type MenuItemEntity } from './menu.mappers.js';

const price = z.number().int('must be a whole number of cents').min(1, 'must be at least 1 cent').max(1_000_000, 'must be at most 1,000,000 cents');

const createMenuItemInput = z.object({ name: text(1, 100), price, description: text(0, 1000), image: httpUrl });
const updateMenuItemInput = createMenuItemInput.partial();

export type CreateMenuItemInput = z.input<typeof createMenuItemInput>;
export type UpdateMenuItemInput = { [K in keyof CreateMenuItemInput]?: CreateMenuItemInput[K] | null };

/** The list reads createdAt too, for the cursor only (it is no field of MenuItem): as ISO text, never a Date. */
type MenuPageRow = Prisma.MenuItemGetPayload<{ select: typeof MENU_ITEM_FIELDS }> & { createdAt: string };
const MENU_PAGE_TABLE: PageTable<MenuPageRow> = {
  table: 'menu_items',
  columns: { id: 'id', name: 'name', price: 'price', description: 'description', image: 'image', createdAt: { name: 'created_at', timestamp: 'iso' } },
};

/** In the order items were added; items added together (the seed) by name. */
const MENU_IN_ORDER_ADDED: KeysetOrder<MenuPageRow> = {
  kind: 'menu',
  order: [
    ['createdAt', 'asc'],
    ['name', 'asc'],
    ['id', 'asc'],
  ],
  keyOf: (item) => [item.createdAt, item.name, item.id],
  key: z.tuple([cursorKey.date, cursorKey.text, cursorKey.uuid]),
};

export class MenuService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlSession,
    private readonly maxPageSize: number,
    private readonly events?: MenuEvents,
  ) {}

  /** A page of the menu. */
  async list(args: PageArgs = {}): Promise<Connection<MenuItemEntity>> {
    const page = readPage<Prisma.MenuItemWhereInput, Prisma.MenuItemOrderByWithRelationInput, MenuPageRow>(MENU_IN_ORDER_ADDED, args, this.maxPageSize);
    const rows = await selectPage(this.sql, MENU_PAGE_TABLE, { order: MENU_IN_ORDER_ADDED.order, after: page.after, backward: page.backward, limit: page.take });
    return page.connection(rows, () => this.prisma.menuItem.count());
  }

  /** The same pages with each node written as JSON by the database, for the JSON-list path (src/server/json-lists.ts). */
  pagesAsJson(): JsonPages {
    return jsonPages(this.sql, MENU_PAGE_TABLE, MENU_IN_ORDER_ADDED, this.maxPageSize, () => this.prisma.menuItem.count());
  }

  find(id: string) {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.menuItem.findUnique({ select: MENU_ITEM_FIELDS, where: { id } });
  }

  /** The menu items of these ids that exist, in one statement (federation's entity batches). */
  findMany(ids: readonly string[]) {
    return this.prisma.menuItem.findMany({ select: MENU_ITEM_FIELDS, where: { id: { in: ids.filter(isUuid) } } });
  }

  /** `actorId`: who makes the change, named in its event. */
  async create(input: CreateMenuItemInput, actorId: string | null = null) {
    const item = await this.prisma.menuItem.create({ select: MENU_ITEM_FIELDS, data: parseInput(createMenuItemInput, input) });
    await this.events?.itemChanged('CREATED', item, actorId);
    return item;
  }

  async update(id: string, input: UpdateMenuItemInput, actorId: string | null = null) {
    const data = parseInput(updateMenuItemInput, definedOnly(input));
    if (!isUuid(id)) throw notFound('Menu item');
    const item = await this.prisma.menuItem.update({ select: MENU_ITEM_FIELDS, where: { id }, data }).catch(notFoundIfMissing('Menu item'));
    await this.events?.itemChanged('UPDATED', item, actorId);
    return item;
  }

  async delete(id: string, actorId: string | null = null) {
    if (!isUuid(id)) throw notFound('Menu item');
    const item = await this.prisma.menuItem.delete({ select: MENU_ITEM_FIELDS, where: { id } }).catch(notFoundIfMissing('Menu item'));
    await this.events?.itemChanged('DELETED', item, actorId);
    return item;
  }
}

