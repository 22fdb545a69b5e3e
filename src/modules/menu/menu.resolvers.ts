import type { Resolvers } from '../../generated/graphql.js';
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
  MenuItemConnection: { totalCount: (connection) => connection.totalCount() },
});
