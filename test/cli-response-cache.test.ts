/**
 * The admin CLI's writes reach the response cache shared through Redis, as the GraphQL mutations
 * making the same change do: a server's cached list of users shows a user the CLI disabled or
 * created at the very next read. Needs a database both processes open (TEST_DATABASE_URL) and TEST_REDIS_URL.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { syncPermissionCatalog } from '../src/setup/seed.js';
import { createEmptyDatabaseUrl, usingPostgres } from './helpers/database.js';
import { cacheLookups } from './helpers/response-cache.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
const USERS = 'query Users { users(first: 100) { edges { node { id fullName } } } }';

describe.runIf(usingPostgres && REDIS_URL !== '')('admin CLI and the shared response cache (needs TEST_DATABASE_URL and TEST_REDIS_URL)', { timeout: 180_000 }, () => {
  const prefix = `response-cache-cli-${Date.now().toString(36)}-${process.pid}`;
  let server: TestServer;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let admin: string;

  beforeAll(async () => {
    const fresh = await createEmptyDatabaseUrl();
    databaseUrl = fresh.url;
    drop = fresh.drop;
    const db = await openDatabase({ url: databaseUrl, poolSize: 3 });
    await migrate(db);
    await syncPermissionCatalog(db);
    server = await startTestServer({ REDIS_URL, RESPONSE_CACHE_KEY_PREFIX: prefix }, { db });
    admin = (await server.createUser({ roles: ['admin'] })).token;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  function cli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, REDIS_URL, RESPONSE_CACHE_KEY_PREFIX: prefix },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(stdin);
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  const names = async () => (await server.graphql<{ users: { edges: { node: { fullName: string } }[] } }>(USERS, { token: admin })).body.data!.users.edges.map(({ node }) => node.fullName);

  it('shows a user the CLI disabled, enabled or created at the next read of a cached list', async () => {
    await server.createUser({ email: 'leaver@cli-cache.test', fullName: 'Leaver' });
    expect(await names()).toContain('Leaver');
    const before = await cacheLookups(server);
    expect(await names()).toContain('Leaver');
    expect((await cacheLookups(server)).hit - before.hit).toBe(1);

    const disabled = await cli(['disable-user', '--email', 'leaver@cli-cache.test']);
    expect(disabled, disabled.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(await names()).not.toContain('Leaver');

    const enabled = await cli(['enable-user', '--email', 'leaver@cli-cache.test']);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(await names()).toContain('Leaver');

    const created = await cli(['create-user', '--email', 'newcomer@cli-cache.test', '--name', 'Newcomer', '--password-stdin'], 'a long enough passphrase\n');
    expect(created.code, created.stderr).toBe(0);
    expect(await names()).toContain('Newcomer');
  });
});
