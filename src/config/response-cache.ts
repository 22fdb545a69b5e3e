/** Shared answers of permission-only queries (src/server/response-cache.ts); in Redis when REDIS_URL is set. */
import { z } from 'zod';
import { defineSlice } from './slice.js';
import { positiveInt } from './values.js';

export const responseCacheConfig = defineSlice({
  variables: {
    RESPONSE_CACHE: {
      schema: z.enum(['on', 'off']).default('on'),
      doc: `The response cache (README, Performance): whole answers of queries whose every field is @public or
@hasPermission, shared by viewers with the same permissions, dropped by type when a mutation touches
it. In Redis when REDIS_URL is set (shared by every instance), in memory otherwise. on | off.`,
      shown: 'on',
    },
    RESPONSE_CACHE_TTL_SECONDS: {
      schema: positiveInt.default(30),
      doc: 'How long an answer may be served (a write outside a GraphQL mutation shows after at most this).',
      shown: '30',
    },
    RESPONSE_CACHE_MAX_MB: {
      schema: positiveInt.default(64),
      doc: `The most the stored answers may take, in MiB: in memory (least recently used go first), or per
RESPONSE_CACHE_KEY_PREFIX in Redis (an answer over the budget is not stored until its TTL window passes).`,
      shown: '64',
    },
    RESPONSE_CACHE_MAX_ENTRY_KB: { schema: positiveInt.default(256), doc: 'An answer larger than this (KiB) is never stored.', shown: '256' },
    RESPONSE_CACHE_KEY_PREFIX: {
      schema: z.string().trim().min(1).max(100).default('response-cache'),
      doc: 'Prefix of its keys in Redis: deployments sharing one Redis need one each.',
      shown: 'response-cache',
    },
    RESPONSE_CACHE_REDIS_URL: {
      schema: z.string().url().optional(),
      doc: `The response cache's own Redis, e.g. a server with \`maxmemory\` and \`allkeys-lru\` that the throttle
does not use. Unset: REDIS_URL.`,
    },
  },
  build: (env) => ({
    responseCache: {
      enabled: env.RESPONSE_CACHE === 'on',
      ttlSeconds: env.RESPONSE_CACHE_TTL_SECONDS,
      maxBytes: env.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
      /** An answer larger than this is not stored, in memory or in Redis. */
      maxEntryBytes: env.RESPONSE_CACHE_MAX_ENTRY_KB * 1024,
      keyPrefix: env.RESPONSE_CACHE_KEY_PREFIX,
      /** The response cache's own Redis (a server whose eviction cannot reach the throttle's counters); unset: REDIS_URL (src/config.ts). */
      redisUrl: env.RESPONSE_CACHE_REDIS_URL,
    },
  }),
});
