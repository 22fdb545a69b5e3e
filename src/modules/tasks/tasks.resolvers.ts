import { requireAuth } from '../../authz/checks.js';
import type { Task, TaskResolvers, Resolvers } from '../../generated/graphql.js';
import { referenceById, type EntityReferences } from '../../kernel/entity-references.js';
import type { EntityResolvers } from '../../kernel/resolvers.js';
import type { TaskEntity } from './tasks.mappers.js';
import type { TaskChangedEvent, TaskEvents } from './tasks.events.js';
import type { TasksService } from './tasks.service.js';

// @auth has already let these through; requireAuth narrows the viewer's type for the service.
export const tasksResolvers = (tasks: TasksService, events: TaskEvents): Resolvers => ({
  Query: {
    myTasks: (_parent, args, { viewer }) => tasks.listOwnedBy(requireAuth(viewer).userId, args),
    task: (_parent, { id }, { viewer }) => tasks.findOwnedBy(requireAuth(viewer).userId, id),
  },
  Mutation: {
    createTask: (_parent, { input }, { viewer }) => tasks.create(requireAuth(viewer).userId, input),
    updateTask: (_parent, { id, input }, { viewer }) => tasks.update(requireAuth(viewer).userId, id, input),
    deleteTask: (_parent, { id }, { viewer }) => tasks.delete(requireAuth(viewer).userId, id),
  },
  Subscription: {
    // Filtered per event on the subscriber's identity: the viewer of this subscription's context.
    taskChanged: { subscribe: (_parent, _args, { viewer, onEventFiltered }) => events.changesVisibleTo(requireAuth(viewer), onEventFiltered), resolve: (change: TaskChangedEvent) => change },
  },
  // The entity answers every field itself; the compiler says so, and would ask for a resolver otherwise.
  Task: {} satisfies EntityResolvers<TaskEntity, Task, TaskResolvers>,
  TaskConnection: { totalCount: (connection) => connection.totalCount() },
});

/** Task as a federation entity: Query.task's @auth decides, and another user's task is not found, as there. */
export const tasksReferences = (tasks: TasksService): EntityReferences => ({
  Task: referenceById((ids, { viewer }) => tasks.findManyOwnedBy(requireAuth(viewer).userId, ids)),
});
