/**
 * Several stateless instances on one PostgreSQL, started as real processes. Runs when
 * TEST_DATABASE_URL names a PostgreSQL server (CI's second run): several processes cannot
 * share an embedded PGlite database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { createEmptyDatabaseUrl, usingPostgres } from './helpers/database.js';
import { post, startServerProcess, type ServerProcess } from './helpers/process.js';

const LOGIN = 'mutation ($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken refreshToken } }';
const REFRESH = 'mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { accessToken refreshToken } }';
const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
const SHARED_ENV = {
  JWT_SECRET: 'a-shared-secret-for-every-instance-0123456789',
  SEED_DEMO_DATA: 'true',
  // Short, so a replay can wait it out; within it, a refresh double-fired at two instances keeps the session.
  REFRESH_REUSE_INTERVAL: '1s',
  ...(REDIS_URL && { REDIS_URL, RATE_LIMIT_KEY_PREFIX: `scale-out-${Date.now().toString(36)}` }),
};

interface Pair {
  accessToken: string;
  refreshToken: string;
}

describe.runIf(usingPostgres)('scale-out: several instances on one PostgreSQL (PostgreSQL only)', () => {
  let instances: ServerProcess[] = [];
  let db: Database;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await createEmptyDatabaseUrl();
    dropDatabase = fresh.drop;
    // Three instances start at once on an empty database: migrations and seed must each happen once.
    instances = await Promise.all([0, 1, 2].map(() => startServerProcess({ ...SHARED_ENV, DATABASE_URL: fresh.url })));
    db = await openDatabase({ url: fresh.url, poolSize: 2 });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await db?.close();
    await dropDatabase?.();
  });

  const login = async (url: string) =>
    (await post<{ login: Pair }>(url, LOGIN, { email: 'user@example.com', password: 'user-password-dev' })).body.data!.login;

  it('applies migrations once and seeds once when instances start together', async () => {
    const migrations = await db.sql.query<{ migration_name: string; count: string }>(
      'SELECT migration_name, count(*)::text AS count FROM _prisma_migrations GROUP BY migration_name',
    );
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.every((row) => row.count === '1')).toBe(true);
    expect(await db.prisma.user.count()).toBe(3);
    expect(await db.prisma.menuItem.count()).toBe(4);
    for (const instance of instances) expect((await fetch(`${instance.url}/ready`)).status).toBe(200);
  });

  it('accepts on every instance the tokens another instance issued', async () => {
    const { accessToken } = await login(instances[0]!.url);
    for (const instance of instances) {
      expect((await post(instance.url, '{ me { email } }', {}, accessToken)).body.data).toEqual({ me: { email: 'user@example.com' } });
    }
  });

  it('refuses on one instance a refresh token rotated on another, and revokes the family everywhere', async () => {
    const [a, b, c] = instances.map((instance) => instance.url) as [string, string, string];
    const first = await login(a);
    const second = (await post<{ refreshToken: Pair }>(a, REFRESH, { token: first.refreshToken })).body.data!.refreshToken;
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const replay = await post(b, REFRESH, { token: first.refreshToken });
    expect(replay.body.errors?.[0]).toMatchObject({ message: 'Refresh token reuse detected; the session was revoked', extensions: { code: 'UNAUTHENTICATED' } });
    const revoked = await post(c, REFRESH, { token: second.refreshToken });
    expect(revoked.body.errors?.[0]?.message).toBe('Refresh token revoked');
  });

  it.runIf(REDIS_URL !== '')('counts failed logins across instances through Redis (needs TEST_REDIS_URL, set by CI)', async () => {
    const attempt = (url: string) => post(url, LOGIN, { email: 'menu@example.com', password: 'not the password' });
    for (const url of [instances[0]!.url, instances[0]!.url, instances[1]!.url, instances[1]!.url, instances[2]!.url]) {
      expect((await attempt(url)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    for (const instance of instances) {
      expect((await attempt(instance.url)).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    }
  });

  it('keeps the session when one refresh token is presented at every instance at once: each caller gets a token that refreshes again', async () => {
    const { refreshToken } = await login(instances[0]!.url);
    const results = await Promise.all(instances.map((instance) => post<{ refreshToken: Pair }>(instance.url, REFRESH, { token: refreshToken })));
    expect(results.map((result) => result.body.errors)).toEqual([undefined, undefined, undefined]);
    for (const [index, result] of results.entries()) {
      const next = await post<{ refreshToken: Pair }>(instances[(index + 1) % instances.length]!.url, REFRESH, { token: result.body.data!.refreshToken.refreshToken });
      expect(next.body.data?.refreshToken.accessToken).toEqual(expect.any(String));
    }
  });
});
