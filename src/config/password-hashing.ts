/** Argon2id hashing on libuv's thread pool: how many hashes at once, and the threads they must leave free. */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { defineSlice } from './slice.js';
import { positiveInt } from './values.js';

/**
 * libuv threads that hashing may never take: DNS lookups (getaddrinfo, e.g. a database host
 * name), file reads and async crypto queue there too. libuv reads UV_THREADPOOL_SIZE once, when
 * its pool starts, which for an ESM program is before any of our code runs: it can only be set
 * in the environment that starts node, so the configuration checks hashing against it instead.
 */
export const SPARE_LIBUV_THREADS = 2;

/**
 * Argon2id hashes allowed at once when PASSWORD_HASH_CONCURRENCY is unset. A hash holds a core
 * for its whole duration, so one core is always left to the event loop (on 2 cores, 2 hashes at
 * once quadrupled the p99 of concurrent reads; BENCHMARKS.md, target 4), and the pool keeps its
 * spare threads.
 */
export function defaultPasswordHashConcurrency(threadPoolSize: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, threadPoolSize - SPARE_LIBUV_THREADS));
}

export const passwordHashingConfig = defineSlice({
  variables: {
    PASSWORD_HASH_CONCURRENCY: {
      schema: positiveInt.optional(),
      doc: `How many Argon2id hashes may run at once (each takes one libuv thread and one core). Default:
one less than the CPU count, so the event loop always keeps a core, and at most
UV_THREADPOOL_SIZE - 2 (so 1 on 2 CPUs, 2 with the default pool on larger machines).`,
    },
    UV_THREADPOOL_SIZE: {
      // Read by libuv itself when the process starts (4 is its default); here only to check hashing leaves threads free.
      schema: z.coerce.number().int().min(1).max(1024).default(4),
      doc: `libuv's thread pool (default 4), read by node itself at start-up: set it in the environment that
starts node (e.g. UV_THREADPOOL_SIZE=8 npm start), not in code. Hashing must leave 2 threads free,
so raise it together with PASSWORD_HASH_CONCURRENCY (start-up refuses a pool that hashing would fill).`,
    },
  },
  build: (env, { fail }) => {
    const passwordHashConcurrency = env.PASSWORD_HASH_CONCURRENCY ?? defaultPasswordHashConcurrency(env.UV_THREADPOOL_SIZE);
    if (passwordHashConcurrency > env.UV_THREADPOOL_SIZE - SPARE_LIBUV_THREADS) {
      fail(
        `PASSWORD_HASH_CONCURRENCY (${passwordHashConcurrency}) must leave ${SPARE_LIBUV_THREADS} of libuv's ${env.UV_THREADPOOL_SIZE} threads free; ` +
          `lower it or raise UV_THREADPOOL_SIZE in the environment that starts node`,
      );
    }
    return { passwordHashConcurrency, libuvThreadPoolSize: env.UV_THREADPOOL_SIZE };
  },
});
