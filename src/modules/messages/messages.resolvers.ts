import type { Resolvers } from '../../generated/graphql.js';
import { MESSAGES } from './messages.service.js';

export const messagesResolvers = (): Resolvers => ({
  Query: {
    publicMessage: () => ({ text: MESSAGES.public }),
    protectedMessage: () => ({ text: MESSAGES.protected }),
    adminMessage: () => ({ text: MESSAGES.admin }),
  },
});
