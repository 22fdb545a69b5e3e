/** The Redis that instances share (throttling counters, the response cache); optional. */
import { z } from 'zod';
import { defineSlice } from './slice.js';

export const redisConfig = defineSlice({
  variables: {
    REDIS_URL: {
      schema: z.string().url().optional(),
      doc: `Login throttling counters and the response cache shared by every instance (optional; in memory when
unset). While Redis is unreachable each instance falls back to its own in-memory counters, and the
response cache is bypassed. See SECURITY.md. Give Redis a \`maxmemory\`. The throttle's counters
must never be evicted to make room for cached answers: eviction is per server (all its databases),
so either give the cache a Redis server of its own (RESPONSE_CACHE_REDIS_URL), or keep this one on
the default \`noeviction\` with RESPONSE_CACHE_MAX_MB well under \`maxmemory\`; never \`allkeys-*\` or
\`volatile-*\` on a server both use (their keys all carry a TTL).`,
    },
  },
  build: (env) => ({ redisUrl: env.REDIS_URL }),
});
