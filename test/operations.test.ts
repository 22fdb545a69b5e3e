/** What operators rely on: readiness apart from liveness, and logs that identify requests but never carry credentials. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/server/app.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { MIGRATIONS_DIRECTORY } from '../src/db/migrate.js';
import { createTestDatabase } from './helpers/database.js';
import { TEST_ENV, TEST_PASSWORD } from './helpers/server.js';

describe('operations: readiness and structured logs', () => {
  let db: Database;
  let app: App;
  let url: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    app = await createApp(loadConfig(TEST_ENV), db, { logger: pino({ level: 'info' }, sink) });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.stop();
    await db?.close();
  });

  it('is ready when the database answers and every migration is applied, and not ready otherwise', async () => {
    expect(await (await fetch(`${url}/ready`)).json()).toEqual({ status: 'ready' });
    await db.sql.exec(`DELETE FROM "_prisma_migrations"`);
    const notReady = await fetch(`${url}/ready`);
    expect(notReady.status).toBe(503);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('reads the migration files once, at start-up, and asks the database on every probe', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'ready-migrations-'));
    cpSync(MIGRATIONS_DIRECTORY, directory, { recursive: true });
    const own = await createTestDatabase();
    const server = await createApp(loadConfig(TEST_ENV), own, { logger: pino({ level: 'silent' }), migrationsDirectory: directory });
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    const ready = () => fetch(`http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/ready`).then((response) => response.status);
    try {
      expect(await ready()).toBe(200);
      // The files are gone from disk: a server that read them per probe would now find applied migrations missing.
      rmSync(directory, { recursive: true, force: true });
      expect(await ready()).toBe(200);
      expect(await ready()).toBe(200);
      await own.sql.exec(`DELETE FROM "_prisma_migrations"`);
      expect(await ready()).toBe(503);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      await server.stop();
      await own.close();
    }
  });

  it('logs request id, viewer id and operation name, never the password or tokens', async () => {
    const { id } = await db.prisma.user.create({
      data: { email: 'logged@test.example', fullName: 'Logged', passwordHash: await app.services.passwords.hash(TEST_PASSWORD) },
    });
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-123' },
      body: JSON.stringify({
        query: 'mutation SignIn($input: LoginInput!) { login(input: $input) { accessToken refreshToken } }',
        variables: { input: { email: 'logged@test.example', password: TEST_PASSWORD } },
      }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-123');
    const body = (await response.json()) as { data: { login: { accessToken: string; refreshToken: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const { data } = body;

    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${data.login.accessToken}` },
      body: JSON.stringify({ query: 'query WhoAmI { me { id } }' }),
    });

    const signIn = lines.find((line) => line.operationName === 'SignIn');
    // The viewer is the request's: signing in does not make the sign-in request itself signed in.
    expect(signIn).toMatchObject({ requestId: 'req-123', viewerId: null, msg: 'graphql operation' });
    expect(lines.find((line) => line.operationName === 'WhoAmI')).toMatchObject({ viewerId: id, requestId: expect.any(String) });
    const everything = JSON.stringify(lines);
    for (const secret of [TEST_PASSWORD, data.login.accessToken, data.login.refreshToken]) expect(everything).not.toContain(secret);
  });
});
