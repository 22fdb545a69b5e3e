import { readableByItsSubject } from '../../authz/guards.js';
import { requireAuth } from '../../authz/checks.js';
import type { Resolvers } from '../../generated/graphql.js';

export const sessionResolvers: Resolvers = {
  Mutation: {
    signup: (_parent, { input }, context) => context.services.session.signup(input, context.clientIp),
    login: (_parent, { input }, context) => context.services.session.login(input, context.clientIp),
    refreshToken: (_parent, { input }, context) => context.services.session.refresh(input.refreshToken, context.clientIp),
    logout: (_parent, { input }, { services }) => services.session.logout(input.refreshToken),
    logoutAll: (_parent, _args, { viewer, services }) => services.session.logoutAll(requireAuth(viewer)),
  },
  AuthPayload: {
    // The viewer stays who the request's token says; the user who just signed in may read their own record in this response.
    user: (payload) => readableByItsSubject(payload.user),
  },
};
