/** The internal shape behind the GraphQL `MenuItem`: the columns the type exposes, and only those are read. */
import type { Prisma } from '../../generated/prisma/client.js';
import type { Connection } from '../../kernel/pagination.js';
import type { ChangeKind } from '../../kernel/pubsub.js';

/** Reading the timestamps too would cost a list of 100 items ~30% more in the data layer (BENCHMARKS.md, target 2). */
export const MENU_ITEM_FIELDS = { id: true, name: true, price: true, description: true, image: true } as const satisfies Prisma.MenuItemSelect;

export type MenuItemEntity = Prisma.MenuItemGetPayload<{ select: typeof MENU_ITEM_FIELDS }>;

export type MenuItemConnectionEntity = Connection<MenuItemEntity>;

/** A MenuItemChange is the event as published (src/modules/menu/menu.events.ts). */
export type MenuItemChangeEntity = {
  kind: ChangeKind;
  item: MenuItemEntity;
  /** The user who made the change; null outside a request (the seed, a script). */
  actorId: string | null;
};
