/** How many Argon2id hashes may run at once: one core is always left to the event loop, and libuv's pool keeps spare threads. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultPasswordHashConcurrency, loadConfig, SPARE_LIBUV_THREADS } from '../src/config.js';

describe('password hashing concurrency', () => {
  it('by default leaves one core to the event loop and spare threads in the pool', () => {
    expect(defaultPasswordHashConcurrency(4, 2)).toBe(1);
    expect(defaultPasswordHashConcurrency(4, 1)).toBe(1);
    expect(defaultPasswordHashConcurrency(4, 8)).toBe(4 - SPARE_LIBUV_THREADS);
    expect(defaultPasswordHashConcurrency(16, 8)).toBe(7);
  });

  it('follows this machine and the pool size in the environment when unset: one core and two of the 12 threads left over', () => {
    const config = loadConfig({ NODE_ENV: 'test', UV_THREADPOOL_SIZE: '12' });
    expect(config.libuvThreadPoolSize).toBe(12);
    const cores = availableParallelism();
    expect(config.passwordHashConcurrency).toBe(cores <= 2 ? 1 : Math.min(cores - 1, 10));
  });

  it('refuses to start when hashing could take the threads DNS lookups and file reads need', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_CONCURRENCY: '3' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_CONCURRENCY: '3' })).toThrow(/PASSWORD_HASH_CONCURRENCY \(3\).*UV_THREADPOOL_SIZE/);
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_CONCURRENCY: '3', UV_THREADPOOL_SIZE: '5' }).passwordHashConcurrency).toBe(3);
  });
});
