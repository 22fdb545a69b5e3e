/** The server's outer shell: start-up, health, routes, migrations and persistence. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { MIGRATIONS_DIRECTORY, migrate, migrationsAreApplied } from '../src/db/migrate.js';
import { createEmptyDatabaseUrl } from './helpers/database.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

/** Starts src/main.ts with `env` and expects it to fail; returns its exit code and stderr. */
async function failedStartUp(env: Record<string, string>) {
  try {
    await run(TSX, ['src/main.ts'], { env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }, timeout: 30_000 });
    throw new Error('the server started');
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr: stderr.trim() };
  }
}

describe('HTTP shell', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('serves { __typename } and a healthy /health', async () => {
    const answer = await server.graphql('{ __typename }');
    expect(answer.body).toEqual({ data: { __typename: 'Query' } });
    // No ETag: nothing revalidates a GraphQL answer, and hashing each body cost throughput (BENCHMARKS.md).
    expect(answer.headers.get('etag')).toBeNull();
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('answers unknown routes with 404 {"message":"Not Found"}', async () => {
    const response = await fetch(`${server.url}/no/such/route`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('answers malformed JSON with 400 and nothing internal', async () => {
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/at .*\.js|node_modules|SyntaxError/);
  });
});

describe('start-up', () => {
  it('stops with one line naming a misconfigured variable', async () => {
    for (const [env, variable] of [
      [{ PORT: 'abc' }, 'PORT'],
      [{ DATABASE_URL: 'postgres://' }, 'DATABASE_URL'],
      [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    ] as const) {
      const { code, stderr } = await failedStartUp(env);
      expect(code).toBe(1);
      expect(stderr.split('\n')).toHaveLength(1);
      expect(stderr).toContain(variable);
    }
  });

  it('explains an unreachable PostgreSQL without a stack trace', async () => {
    const { code, stderr } = await failedStartUp({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nowhere' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Start-up failed: Cannot reach PostgreSQL at 127\.0\.0\.1:9\/nowhere \(ECONNREFUSED\)$/);
  });
});

describe('migrations', () => {
  it('applies every migration once; a second run is a no-op, recorded as Prisma records it', async () => {
    const { url, drop } = await createEmptyDatabaseUrl();
    const db = await openDatabase({ url });
    try {
      const first = await migrate(db);
      expect(first).toEqual(readdirSync(MIGRATIONS_DIRECTORY).filter((name) => /^\d+_/.test(name)).sort());
      expect(await migrate(db)).toEqual([]);
      expect(await migrationsAreApplied(db)).toBe(true);
      const rows = await db.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date }>(
        'SELECT migration_name, checksum, applied_steps_count, finished_at FROM _prisma_migrations',
      );
      expect(rows).toHaveLength(first.length);
      expect(rows[0]).toMatchObject({ checksum: expect.stringMatching(/^[0-9a-f]{64}$/), applied_steps_count: 1, finished_at: expect.any(Date) });
    } finally {
      await db.close();
      await drop();
    }
  });

  it('refuses to start when an applied migration was edited, and rolls back a failing one whole', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIRECTORY, directory, { recursive: true });
    const { url, drop } = await createEmptyDatabaseUrl();
    const db = await openDatabase({ url });
    try {
      await migrate(db, directory);
      const [first] = readdirSync(directory).filter((name) => /^\d+_/.test(name));
      writeFileSync(path.join(directory, first!, 'migration.sql'), '-- edited\n', { flag: 'a' });
      await expect(migrate(db, directory)).rejects.toThrow(`Migration ${first} was edited after it was applied (checksum mismatch)`);

      cpSync(MIGRATIONS_DIRECTORY, directory, { recursive: true });
      const broken = path.join(directory, '29991231000000_broken');
      cpSync(path.join(directory, first!), broken, { recursive: true });
      writeFileSync(path.join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELEC nonsense;\n');
      await expect(migrate(db, directory)).rejects.toThrow(/Migration 29991231000000_broken failed and was rolled back/);
      expect(await db.sql.query("SELECT to_regclass('half_done') AS exists")).toEqual([{ exists: null }]);
    } finally {
      await db.close();
      await drop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('persistence', () => {
  it('keeps all data across a restart of the embedded database', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'pglite-'));
    try {
      const first = await openDatabase({ url: `pglite:${directory}` });
      await migrate(first);
      await first.prisma.book.create({ data: { title: 'Persisted', author: 'Disk', publishedYear: 2024 } });
      await first.close();

      const second = await openDatabase({ url: `pglite:${directory}` });
      expect(await migrate(second)).toEqual([]);
      expect(await second.prisma.book.findMany({ select: { title: true } })).toEqual([{ title: 'Persisted' }]);
      await second.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
