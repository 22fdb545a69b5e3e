/** Argon2id hashing in its own low-priority process: how many hashes at once, and how many may wait. */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { defineSlice } from './slice.js';
import { positiveInt } from './values.js';

/** Each hash holds 19 MiB in the hashing process: the default stops at this many at once. */
export const MAX_DEFAULT_PASSWORD_HASH_CONCURRENCY = 4;
export const DEFAULT_PASSWORD_HASH_QUEUE_LIMIT = 64;

/**
 * Argon2id hashes allowed at once when PASSWORD_HASH_CONCURRENCY is unset. A hash holds a core
 * for its whole duration; even at the lowest priority, one core is left to the server (on 2
 * cores, 2 hashes at once quadrupled the p99 of concurrent reads; BENCHMARKS.md, target 4).
 */
export function defaultPasswordHashConcurrency(cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, MAX_DEFAULT_PASSWORD_HASH_CONCURRENCY));
}

export const passwordHashingConfig = defineSlice({
  variables: {
    PASSWORD_HASH_CONCURRENCY: {
      // libuv's pool, where the hashing process runs them, has at most 1024 threads.
      schema: positiveInt.max(1024).optional(),
      doc: `How many Argon2id hashes may run at once, in the password-hashing process (a process of its own, at
the lowest CPU priority; its libuv pool is sized to match). Each takes a core and 19 MiB. Default:
one less than the CPU count, at most 4 (so 1 on 2 CPUs).`,
    },
    PASSWORD_HASH_QUEUE_LIMIT: {
      schema: z.coerce.number().int().min(0).default(DEFAULT_PASSWORD_HASH_QUEUE_LIMIT),
      doc: `How many more hashes (logins, signups) may wait while PASSWORD_HASH_CONCURRENCY run; beyond that,
a login or signup is refused at once with RATE_LIMITED (retryAfter 1) and nothing is written. 0: none waits.`,
      shown: String(DEFAULT_PASSWORD_HASH_QUEUE_LIMIT),
    },
  },
  build: (env) => ({
    passwordHashConcurrency: env.PASSWORD_HASH_CONCURRENCY ?? defaultPasswordHashConcurrency(),
    passwordHashQueueLimit: env.PASSWORD_HASH_QUEUE_LIMIT,
  }),
});
