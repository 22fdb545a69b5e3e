import { requireAuth } from '../../authz/checks.js';
import type { Resolvers } from '../../generated/graphql.js';
import type { Context } from '../../graphql/context.js';
import type { AuthPayloadEntity } from './session.mappers.js';

/** After signup, login or refresh, the rest of the operation runs as the user who just signed in. */
function signedIn(context: Context) {
  return (payload: AuthPayloadEntity) => {
    context.viewer = context.services.session.viewerOf(payload);
    return payload;
  };
}

export const sessionResolvers: Resolvers = {
  Mutation: {
    signup: (_parent, { input }, context) => context.services.session.signup(input, context.clientIp).then(signedIn(context)),
    login: (_parent, { input }, context) => context.services.session.login(input, context.clientIp).then(signedIn(context)),
    refreshToken: (_parent, { input }, context) => context.services.session.refresh(input.refreshToken, context.clientIp).then(signedIn(context)),
    logout: (_parent, { input }, { services }) => services.session.logout(input.refreshToken),
    logoutAll: (_parent, _args, { viewer, services }) => services.session.logoutAll(requireAuth(viewer)),
  },
};
