/**
 * The response cache's budget in Redis: however many distinct answers arrive, the bytes stored
 * under one key prefix stay within RESPONSE_CACHE_MAX_MB (here a few kilobytes), and answers still
 * get stored once a new window opens. Real Redis (TEST_REDIS_URL), a prefix of this run's own.
 */
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Planner } from '../src/authz/planner/planner.js';
import { Metrics } from '../src/observability/metrics.js';
import { ResponseCache } from '../src/server/response-cache.js';
import { buildSchema } from '../src/server/schema.js';
import { cacheLookups, MENU } from './helpers/response-cache.js';
import { startTestServer } from './helpers/server.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
const QUERY = 'query Page($first: Int) { menuItems(first: $first) { edges { node { id name } } } }';

describe.runIf(REDIS_URL !== '')('response cache budget in Redis (needs TEST_REDIS_URL)', () => {
  const prefix = `response-cache-budget-${Date.now().toString(36)}-${process.pid}`;
  const redis = new Redis(REDIS_URL);
  const { schema, guards } = buildSchema();
  const budget = 20_000;
  const cache = new ResponseCache(schema, new Planner(guards, { mode: 'filter' }), {
    ttlSeconds: 2,
    maxBytes: budget,
    redisUrl: REDIS_URL,
    keyPrefix: prefix,
    logger: pino({ level: 'silent' }),
    metrics: new Metrics({ operationNames: new Set() }),
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await cache.close();
  });

  /** Stores one ~1 KB answer under distinct variables; true when Redis kept it. */
  async function store(first: number): Promise<boolean> {
    const request = { document: parse(QUERY), operationName: 'Page', documentKey: 'budget-test', viewer: null, variables: { first }, context: {} };
    const lookup = await cache.beforeQuery(request);
    if (!lookup || !('miss' in lookup)) throw new Error('expected a miss');
    await cache.save(lookup.miss, { data: { menuItems: { edges: [{ node: { id: String(first), name: 'x'.repeat(1000) } }] } } });
    const again = await cache.beforeQuery(request);
    return again !== undefined && 'hit' in again;
  }

  async function storedBytes(): Promise<number> {
    const keys = await redis.keys(`${prefix}:entry:*`);
    const sizes = await Promise.all(keys.map((key) => redis.strlen(key)));
    return sizes.reduce((sum, size) => sum + size, 0);
  }

  it('keeps the bytes stored under its prefix within the budget, and stores again in the next window', async () => {
    // Start at the beginning of a window, so the 60 stores below fall in one.
    await new Promise((resolve) => setTimeout(resolve, 2000 - (Date.now() % 2000)));
    const kept: boolean[] = [];
    for (let first = 1; first <= 60; first += 1) kept.push(await store(first));
    expect(kept.filter(Boolean).length).toBeGreaterThan(0);
    expect(kept.filter((stored) => !stored).length).toBeGreaterThan(0);
    expect(await storedBytes()).toBeLessThanOrEqual(budget / 2);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await store(1000)).toBe(true);
    expect(await storedBytes()).toBeLessThanOrEqual(budget);
  }, 30_000);
});

describe.runIf(REDIS_URL !== '')('RESPONSE_CACHE_REDIS_URL (needs TEST_REDIS_URL)', () => {
  it("keeps the cache on its own Redis, apart from the throttle's REDIS_URL", async () => {
    // The throttle's Redis does not answer (it falls back to memory); the cache's does.
    const server = await startTestServer({ REDIS_URL: 'redis://127.0.0.1:1', RESPONSE_CACHE_REDIS_URL: REDIS_URL, RESPONSE_CACHE_KEY_PREFIX: `response-cache-own-${Date.now().toString(36)}-${process.pid}` });
    try {
      await server.graphql(MENU);
      const before = await cacheLookups(server);
      await server.graphql(MENU);
      expect((await cacheLookups(server)).hit - before.hit).toBe(1);
    } finally {
      await server.close();
    }
  }, 30_000);
});
