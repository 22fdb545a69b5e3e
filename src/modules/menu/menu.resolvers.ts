import type { MenuItem, MenuItemResolvers, Resolvers } from '../../generated/graphql.js';
import { referenceById, type EntityReferences } from '../../kernel/entity-references.js';
import type { EntityResolvers } from '../../kernel/resolvers.js';
import type { MenuItemEntity } from './menu.mappers.js';
import type { MenuService } from './menu.service.js';

export const menuResolvers = (menu: MenuService): Resolvers => ({
  Query: {
    menuItems: (_parent, args) => menu.list(args),
    menuItem: (_parent, { id }) => menu.find(id),
  },
  Mutation: {
    createMenuItem: (_parent, { input }) => menu.create(input),
    updateMenuItem: (_parent, { id, input }) => menu.update(id, input),
    deleteMenuItem: (_parent, { id }) => menu.delete(id),
  },
  // The entity answers every field itself; the compiler says so, and would ask for a resolver otherwise.
  MenuItem: {} satisfies EntityResolvers<MenuItemEntity, MenuItem, MenuItemResolvers>,
  MenuItemConnection: { totalCount: (connection) => connection.totalCount() },
});

/** MenuItem as a federation entity (the guard of Query.menuItem decides who may read one). */
export const menuReferences = (menu: MenuService): EntityReferences => ({
  MenuItem: referenceById((ids) => menu.findMany(ids)),
});
