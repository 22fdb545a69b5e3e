import { readableByItsSubject } from '../../authz/guards.js';
import { requireAuth } from '../../authz/checks.js';
import type { Resolvers } from '../../generated/graphql.js';
import type { SessionService } from './session.service.js';

export const sessionResolvers = (session: SessionService): Resolvers => ({
  Mutation: {
    signup: (_parent, { input }, { clientIp }) => session.signup(input, clientIp),
    login: (_parent, { input }, { clientIp }) => session.login(input, clientIp),
    refreshToken: (_parent, { input }, { clientIp }) => session.refresh(input.refreshToken, clientIp),
    logout: (_parent, { input }) => session.logout(input.refreshToken),
    logoutAll: (_parent, _args, { viewer }) => session.logoutAll(requireAuth(viewer)),
  },
  AuthPayload: {
    // The viewer stays who the request's token says; the user who just signed in may read their own record in this response.
    user: (payload) => readableByItsSubject(payload.user),
  },
});
