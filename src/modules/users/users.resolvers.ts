import { requireAuth } from '../../authz/checks.js';
import type { Resolvers, User, UserResolvers } from '../../generated/graphql.js';
import { referenceById, type EntityReferences } from '../../kernel/entity-references.js';
import type { EntityResolvers } from '../../kernel/resolvers.js';
import { notFound } from '../../kernel/errors.js';
import { permissionsOf, roleNamesOf, type UserEntity } from './users.mappers.js';
import type { UsersService } from './users.service.js';

export const usersResolvers = (users: UsersService): Resolvers => ({
  Query: {
    me: async (_parent, _args, { viewer }) => {
      const user = await users.find(requireAuth(viewer).userId);
      if (!user) throw notFound('User');
      return user;
    },
    // includeDisabled is guarded in the schema (manage:users): the planner has decided it already.
    users: (_parent, { includeDisabled, ...page }) => users.list({ includeDisabled: includeDisabled ?? false, ...page }),
  },
  Mutation: {
    assignRole: (_parent, { input }) => users.assignRole(input),
    revokeRole: (_parent, { input }) => users.revokeRole(input),
    setUserDisabled: (_parent, { input }, { viewer }) => users.setUserDisabled(input, viewer?.userId),
  },
  UserConnection: { totalCount: (connection) => connection.totalCount() },
  User: {
    roles: (user) => roleNamesOf(user),
    // For the viewer themself, the permissions in force for this request (an external token's claims included).
    permissions: (user, _args, { viewer }) => (viewer?.userId === user.id ? [...viewer.permissions].sort() : permissionsOf(user)),
  } satisfies EntityResolvers<UserEntity, User, UserResolvers>,
});

/** User as a federation entity: id and fullName are public; the rest stays readable by its owner or with read:users. */
export const usersReferences = (users: UsersService): EntityReferences => ({
  User: referenceById((ids) => users.findMany(ids)),
});
