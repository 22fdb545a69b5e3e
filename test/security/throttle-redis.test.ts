/**
 * Throttling across instances: with REDIS_URL set, two instances share one counter (an
 * attacker gains nothing by spreading guesses over them); with Redis unreachable, each
 * instance still throttles on its own counters instead of letting everything through.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { LOGIN, REAL_THROTTLE_DEFAULTS } from './helpers.js';

/** CI sets it; a laptop without Redis skips the shared-counter tests (the fallback test needs no Redis). */
const REDIS_URL = process.env.TEST_REDIS_URL ?? '';

const attemptLogin = (server: TestServer, email: string, address = '198.51.100.7', password = 'wrong password') =>
  server.graphql<{ login: { user: { id: string } } }>(LOGIN, { variables: { input: { email, password } }, headers: { 'x-forwarded-for': address } });

describe.runIf(REDIS_URL !== '')('throttling shared through Redis (needs TEST_REDIS_URL, set by CI)', () => {
  const keyPrefix = `test-throttle-${randomBytes(6).toString('hex')}`;
  let redis: Redis;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    const env = { ...REAL_THROTTLE_DEFAULTS, REDIS_URL, RATE_LIMIT_KEY_PREFIX: keyPrefix };
    first = await startTestServer(env);
    // One database behind both instances, as in production.
    second = await startTestServer(env, { db: first.db });
  });
  afterAll(async () => {
    await second?.server.stop();
    await first?.close();
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('shares one account+address counter between two instances: 3 failures on one and 2 on the other block that pair on both', async () => {
    const email = 'shared-target@redis.example';
    for (let attempt = 0; attempt < 3; attempt++) expect((await attemptLogin(first, email)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (let attempt = 0; attempt < 2; attempt++) expect((await attemptLogin(second, email)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const server of [first, second]) {
      expect((await attemptLogin(server, email)).body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    }
  });

  it('shares the account ceiling and the owner\'s known address: a guess spread over both instances and 11 addresses does not lock the owner out', async () => {
    const { user } = await first.createUser();
    expect((await attemptLogin(first, user.email, '192.0.2.44', TEST_PASSWORD)).body.data?.login.user.id).toBe(user.id);
    for (let address = 0; address < 10; address++) {
      for (let attempt = 0; attempt < 5; attempt++) await attemptLogin(attempt % 2 ? first : second, user.email, `198.18.${address}.3`);
    }
    for (const server of [first, second]) expect((await attemptLogin(server, user.email, '198.18.77.3', TEST_PASSWORD)).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await attemptLogin(second, user.email, '192.0.2.44', TEST_PASSWORD)).body.data?.login.user.id).toBe(user.id);
  });

  it('stores counters under the configured prefix, with hashed accounts: no email address in Redis', async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    for (const limiter of ['login-account-ip', 'login-account', 'login-ip', 'login-known']) {
      expect(keys.some((key) => key.startsWith(`${keyPrefix}:${limiter}:`)), limiter).toBe(true);
    }
    expect(keys.filter((key) => key.includes('@') || key.includes('redis.example'))).toEqual([]);
    // The owner's address stays exempt from the account ceiling for 14 days.
    const known = keys.find((key) => key.startsWith(`${keyPrefix}:login-known:`))!;
    expect(Math.round((await redis.pttl(known)) / 86_400_000)).toBe(14);
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
    server = await startTestServer({ ...REAL_THROTTLE_DEFAULTS, REDIS_URL: `redis://127.0.0.1:${port}` }, { logger: pino({ level: 'info' }, { write: (line: string) => logLines.push(line) }) });
  });
  afterAll(() => server?.close());
  const logLines: string[] = [];

  it('still serves, and still blocks the 6th failed login from one address at one account (per-instance insurance counters)', async () => {
    expect((await server.graphql('{ publicMessage { text } }')).status).toBe(200);
    const email = 'insured@redis.example';
    for (let attempt = 0; attempt < 5; attempt++) expect((await attemptLogin(server, email)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await attemptLogin(server, email)).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('logs the fallback once, not once per request or per reconnection attempt', async () => {
    for (let attempt = 0; attempt < 5; attempt++) await attemptLogin(server, `logged${attempt}@redis.example`, `198.51.100.${attempt + 20}`);
    // Long enough for several reconnection attempts (200 ms, 400 ms, …).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const fallbacks = logLines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => /Redis unreachable/.test(entry.msg));
    expect(fallbacks).toEqual([expect.objectContaining({ level: 40, msg: 'Redis unreachable: login throttling falls back to per-instance counters' })]);
  });
});
