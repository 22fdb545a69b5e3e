/**
 * Throttling across instances: with REDIS_URL set, two instances share one counter (an
 * attacker gains nothing by spreading guesses over them); with Redis unreachable, each
 * instance still throttles on its own counters instead of letting everything through.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { LOGIN, REAL_THROTTLE_DEFAULTS } from './helpers.js';

/** CI sets it; a laptop without Redis skips the shared-counter tests (the fallback test needs no Redis). */
const REDIS_URL = process.env.TEST_REDIS_URL ?? '';

const attemptLogin = (server: TestServer, email: string) =>
  server.graphql(LOGIN, { variables: { input: { email, password: 'wrong password' } }, headers: { 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250)}` } });

describe.runIf(REDIS_URL !== '')('throttling shared through Redis (needs TEST_REDIS_URL, set by CI)', () => {
  const keyPrefix = `test-throttle-${randomBytes(6).toString('hex')}`;
  let redis: Redis;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    const env = { ...REAL_THROTTLE_DEFAULTS, REDIS_URL, RATE_LIMIT_KEY_PREFIX: keyPrefix };
    first = await startTestServer(env);
    second = await startTestServer(env);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('shares one account counter between two instances: 3 failures on one and 2 on the other block the account on both', async () => {
    const email = 'shared-target@redis.example';
    for (let attempt = 0; attempt < 3; attempt++) expect((await attemptLogin(first, email)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (let attempt = 0; attempt < 2; attempt++) expect((await attemptLogin(second, email)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const server of [first, second]) {
      expect((await attemptLogin(server, email)).body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    }
  });

  it('stores counters under the configured prefix, with hashed accounts: no email address in Redis', async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    expect(keys.some((key) => key.startsWith(`${keyPrefix}:login-account:`))).toBe(true);
    expect(keys.some((key) => key.startsWith(`${keyPrefix}:login-ip:`))).toBe(true);
    expect(keys.filter((key) => key.includes('@') || key.includes('redis.example'))).toEqual([]);
  });
});

describe('throttling while Redis is unreachable', () => {
  let server: TestServer;

  beforeAll(async () => {
    // A port with nothing listening on it.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    server = await startTestServer({ ...REAL_THROTTLE_DEFAULTS, REDIS_URL: `redis://127.0.0.1:${port}` });
  });
  afterAll(() => server?.close());

  it('still serves, and still blocks the 6th failed login on one account (per-instance insurance counters)', async () => {
    expect((await server.graphql('{ publicMessage { text } }')).status).toBe(200);
    const email = 'insured@redis.example';
    for (let attempt = 0; attempt < 5; attempt++) expect((await attemptLogin(server, email)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await attemptLogin(server, email)).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
