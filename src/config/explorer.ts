/** The offline explorer at /explorer (README, "Apollo Sandbox and the explorer"). */
import { z } from 'zod';
import { defineSlice } from './slice.js';

export const explorerConfig = defineSlice({
  variables: {
    EXPLORER: {
      schema: z.enum(['on', 'off']).optional(),
      doc: `The offline explorer (GraphiQL with a sign-in panel) at /explorer: on | off. Unset: on outside
production, off in production.`,
    },
  },
  build: (env, { production }) => ({ explorer: { enabled: (env.EXPLORER ?? (production ? 'off' : 'on')) === 'on' } }),
});
