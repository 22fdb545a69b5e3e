/** The Redis that instances share (throttling counters, the response cache); optional. */
import { z } from 'zod';
import { defineSlice } from './slice.js';

export const redisConfig = defineSlice({
  variables: {
    REDIS_URL: {
      schema: z.string().url().optional(),
      doc: `Login throttling counters and the response cache shared by every instance (optional; in memory when
unset). While Redis is unreachable each instance falls back to its own in-memory counters, and the
response cache is bypassed. See SECURITY.md.`,
    },
  },
  build: (env) => ({ redisUrl: env.REDIS_URL }),
});
