import type { MenuItem, MenuItemResolvers, Resolvers } from '../../generated/graphql.js';
import type { EntityResolvers } from '../../kernel/resolvers.js';
import type { MenuItemEntity } from './menu.mappers.js';
import type { MenuEvents, MenuItemChangedEvent } from './menu.events.js';
import type { MenuService } from './menu.service.js';

export const menuResolvers = (menu: MenuService, events: MenuEvents): Resolvers => ({
  Query: {
    menuItems: (_parent, args) => menu.list(args),
    menuItem: (_parent, { id }) => menu.find(id),
  },
  Mutation: {
    createMenuItem: (_parent, { input }) => menu.create(input),
    updateMenuItem: (_parent, { id, input }) => menu.update(id, input),
    deleteMenuItem: (_parent, { id }) => menu.delete(id),
  },
  Subscription: {
    menuItemChanged: { subscribe: () => events.changes(), resolve: (change: MenuItemChangedEvent) => change },
  },
  // The entity answers every field itself; the compiler says so, and would ask for a resolver otherwise.
  MenuItem: {} satisfies EntityResolvers<MenuItemEntity, MenuItem, MenuItemResolvers>,
  MenuItemConnection: { totalCount: (connection) => connection.totalCount() },
});
