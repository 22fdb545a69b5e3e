import type { Resolvers } from '../../generated/graphql.js';

export const menuResolvers: Resolvers = {
  Query: {
    menuItems: (_parent, _args, { services }) => services.menu.list(),
    menuItem: (_parent, { id }, { services }) => services.menu.find(id),
  },
  Mutation: {
    createMenuItem: (_parent, { input }, { services }) => services.menu.create(input),
    updateMenuItem: (_parent, { id, input }, { services }) => services.menu.update(id, input),
    deleteMenuItem: (_parent, { id }, { services }) => services.menu.delete(id),
  },
};
