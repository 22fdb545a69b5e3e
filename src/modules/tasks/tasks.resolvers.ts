import { requireAuth } from '../../authz/checks.js';
import type { Resolvers } from '../../generated/graphql.js';

// @auth has already let these through; requireAuth narrows the viewer's type for the service.
export const tasksResolvers: Resolvers = {
  Query: {
    myTasks: (_parent, _args, { viewer, services }) => services.tasks.listOwnedBy(requireAuth(viewer).userId),
    task: (_parent, { id }, { viewer, services }) => services.tasks.findOwnedBy(requireAuth(viewer).userId, id),
  },
  Mutation: {
    createTask: (_parent, { input }, { viewer, services }) => services.tasks.create(requireAuth(viewer).userId, input),
    updateTask: (_parent, { id, input }, { viewer, services }) => services.tasks.update(requireAuth(viewer).userId, id, input),
    deleteTask: (_parent, { id }, { viewer, services }) => services.tasks.delete(requireAuth(viewer).userId, id),
  },
};
