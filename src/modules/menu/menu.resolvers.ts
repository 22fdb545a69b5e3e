import type { MenuItem, MenuItemResolvers, Resolvers } from '../../generated/graphql.js';
import { referenceById, type EntityReferences } from '../../kernel/entity-references.js';
import type { EntityResolvers } from '../../kernel/resolvers.js';
import type { UserEntity } from '../users/users.mappers.js';
import type { MenuItemEntity } from './menu.mappers.js';
import type { MenuEvents, MenuItemChangedEvent } from './menu.events.js';
import type { MenuService } from './menu.service.js';

/** `findUser`: the users service's lookup, for the author of a change. */
export const menuResolvers = (menu: MenuService, events: MenuEvents, findUser: (id: string) => Promise<UserEntity | null>): Resolvers => ({
  Query: {
    menuItems: (_parent, args) => menu.list(args),
    menuItem: (_parent, { id }) => menu.find(id),
  },
  Mutation: {
    createMenuItem: (_parent, { input }, { viewer }) => menu.create(input, viewer?.userId),
    updateMenuItem: (_parent, { id, input }, { viewer }) => menu.update(id, input, viewer?.userId),
    deleteMenuItem: (_parent, { id }, { viewer }) => menu.delete(id, viewer?.userId),
  },
  Subscription: {
    menuItemChanged: { subscribe: () => events.changes(), resolve: (change: MenuItemChangedEvent) => change },
  },
  // The entity answers every field itself; the compiler says so, and would ask for a resolver otherwise.
  MenuItem: {} satisfies EntityResolvers<MenuItemEntity, MenuItem, MenuItemResolvers>,
  MenuItemConnection: { totalCount: (connection) => connection.totalCount() },
  MenuItemChange: { changedBy: (change) => (change.actorId ? findUser(change.actorId) : null) },
});

/** MenuItem as a federation entity (the guard of Query.menuItem decides who may read one). */
export const menuReferences = (menu: MenuService): EntityReferences => ({
  MenuItem: referenceById((ids) => menu.findMany(ids)),
});

/** The menuItems list, whose pages the database can write as JSON (src/server/json-lists.ts). */
export const menuJsonLists = (menu: MenuService) => ({ menuItems: menu.pagesAsJson() });
