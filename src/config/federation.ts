/** Federation: whether the schema is served as an Apollo Federation 2 subgraph (README, "Behind a gateway"). */
import { z } from 'zod';
import { defineSlice } from './slice.js';

export const federationConfig = defineSlice({
  variables: {
    SUBGRAPH: {
      schema: z.enum(['on', 'off']).default('off'),
      doc: `Federation (README, "Behind a gateway"): on serves the schema as an Apollo Federation 2 subgraph
(_service, _entities, @key on User, Book, MenuItem and Task, our guards exported as @authenticated,
@requiresScopes and @policy). The subgraph still verifies the forwarded Authorization header and
plans every operation itself. Trusted documents cannot be enforced here (a gateway's query plans
are not in the manifest): with on, TRUSTED_DOCUMENTS must be off or log; enforce them at the gateway.`,
      shown: 'off',
    },
  },
  build: (env) => ({ subgraph: { enabled: env.SUBGRAPH === 'on' } }),
});
