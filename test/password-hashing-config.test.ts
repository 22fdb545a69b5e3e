/** How many Argon2id hashes may run at once in the hashing process, and how many may wait for one. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_HASH_QUEUE_LIMIT, defaultPasswordHashConcurrency, loadConfig, MAX_DEFAULT_PASSWORD_HASH_CONCURRENCY } from '../src/config.js';

describe('password hashing configuration', () => {
  it('by default leaves one core to the server, and holds at most 4 hashes (19 MiB each) at once', () => {
    expect(defaultPasswordHashConcurrency(1)).toBe(1);
    expect(defaultPasswordHashConcurrency(2)).toBe(1);
    expect(defaultPasswordHashConcurrency(4)).toBe(3);
    expect(defaultPasswordHashConcurrency(64)).toBe(MAX_DEFAULT_PASSWORD_HASH_CONCURRENCY);
    expect(loadConfig({ NODE_ENV: 'test' }).passwordHashConcurrency).toBe(defaultPasswordHashConcurrency(availableParallelism()));
  });

  it("takes any concurrency asked for: the hashing process's libuv pool is sized to it, and UV_THREADPOOL_SIZE no longer matters", () => {
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_CONCURRENCY: '6', UV_THREADPOOL_SIZE: '4' }).passwordHashConcurrency).toBe(6);
  });

  it('lets 64 hashes wait by default, any number when set, and none at 0', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).passwordHashQueueLimit).toBe(DEFAULT_PASSWORD_HASH_QUEUE_LIMIT);
    expect(DEFAULT_PASSWORD_HASH_QUEUE_LIMIT).toBe(64);
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_QUEUE_LIMIT: '0' }).passwordHashQueueLimit).toBe(0);
    expect(() => loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_QUEUE_LIMIT: '-1' })).toThrow(/^Invalid configuration: PASSWORD_HASH_QUEUE_LIMIT /);
  });
});
