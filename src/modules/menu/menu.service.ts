/** The menu: public reads, and writes for holders of the :items permissions (checked by the schema). */
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { notFound, notFoundIfMissing } from '../../kernel/errors.js';
import { definedOnly, httpUrl, isUuid, parseInput, text } from '../../kernel/validation.js';
import { MENU_ITEM_FIELDS } from './menu.mappers.js';

const price = z.number().int('must be a whole number of cents').min(1, 'must be at least 1 cent').max(1_000_000, 'must be at most 1,000,000 cents');

const createMenuItemInput = z.object({ name: text(1, 100), price, description: text(0, 1000), image: httpUrl });
const updateMenuItemInput = createMenuItemInput.partial();

export type CreateMenuItemInput = z.input<typeof createMenuItemInput>;
export type UpdateMenuItemInput = { [K in keyof CreateMenuItemInput]?: CreateMenuItemInput[K] | null };

export class MenuService {
  constructor(private readonly prisma: PrismaClient) {}

  list() {
    return this.prisma.menuItem.findMany({ select: MENU_ITEM_FIELDS, orderBy: [{ createdAt: 'asc' }, { name: 'asc' }, { id: 'asc' }] });
  }

  find(id: string) {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.menuItem.findUnique({ select: MENU_ITEM_FIELDS, where: { id } });
  }

  create(input: CreateMenuItemInput) {
    return this.prisma.menuItem.create({ select: MENU_ITEM_FIELDS, data: parseInput(createMenuItemInput, input) });
  }

  async update(id: string, input: UpdateMenuItemInput) {
    const data = parseInput(updateMenuItemInput, definedOnly(input));
    if (!isUuid(id)) throw notFound('Menu item');
    return this.prisma.menuItem.update({ select: MENU_ITEM_FIELDS, where: { id }, data }).catch(notFoundIfMissing('Menu item'));
  }

  async delete(id: string) {
    if (!isUuid(id)) throw notFound('Menu item');
    return this.prisma.menuItem.delete({ select: MENU_ITEM_FIELDS, where: { id } }).catch(notFoundIfMissing('Menu item'));
  }
}

