/** Faults an operator will meet: the database going away, the JWKS endpoint down, SIGTERM under load. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabaseUrl, usingPostgres } from './helpers/database.js';
import { startTestIssuer, type TestIssuer } from './helpers/oidc-issuer.js';
import { startServerProcess } from './helpers/process.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { syncPermissionCatalog } from '../src/setup/seed.js';

const CREATE_TASK = 'mutation ($title: String!) { createTask(input: { title: $title }) { id title } }';

describe.runIf(usingPostgres)('PostgreSQL stopped mid-load (PostgreSQL only: the outage is a cut TCP proxy in front of it)', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await createEmptyDatabaseUrl();
    drop = fresh.drop;
    const target = new URL(fresh.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(fresh.url);
    viaProxy.port = String(proxy.port);
    const db = await openDatabase({ url: viaProxy.toString(), poolSize: 4 });
    await migrate(db);
    await syncPermissionCatalog(db);
    server = await startTestServer({}, { db });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await drop?.();
  });

  it('answers SERVICE_UNAVAILABLE while it is gone, recovers by itself, and loses or duplicates no write', async () => {
    const { token } = await server.createUser();
    const acknowledged: string[] = [];
    const attempted: string[] = [];
    const codesDuringOutage: string[] = [];
    const write = async (title: string) => {
      attempted.push(title);
      const response = await server.graphql<{ createTask: { title: string } }>(CREATE_TASK, { token, variables: { title } });
      if (response.body.data?.createTask) acknowledged.push(title);
      return response;
    };

    for (let i = 0; i < 10; i++) await write(`before-${i}`);
    await proxy.cut();
    for (let i = 0; i < 10; i++) {
      const response = await write(`during-${i}`);
      // An execution error in GraphQL over HTTP: 200, the field null (guarded fields are nullable), one error the client can retry on.
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: { createTask: null },
        errors: [{ message: 'Service temporarily unavailable, try again shortly', locations: expect.any(Array), path: ['createTask'], extensions: { code: 'SERVICE_UNAVAILABLE' } }],
      });
      codesDuringOutage.push(String(response.body.errors?.[0]?.extensions?.code));
    }
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(503);
    await proxy.restore();

    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      recovered = Boolean((await write(`after-${attempt}`)).body.data);
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered).toBe(true);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    expect(codesDuringOutage.every((code) => code === 'SERVICE_UNAVAILABLE')).toBe(true);
    const stored = (await server.db.prisma.task.findMany({ select: { title: true } })).map((task) => task.title);
    expect(new Set(stored).size).toBe(stored.length);
    for (const title of acknowledged) expect(stored).toContain(title);
    for (const title of stored) expect(attempted).toContain(title);
    expect(stored.filter((title) => title.startsWith('during-'))).toEqual([]);
  });
});

describe('JWKS endpoint down', () => {
  let issuer: TestIssuer;
  let server: TestServer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await startTestServer({ OIDC_ISSUERS: JSON.stringify([issuer.configEntry()]) });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
  });

  it('keeps accepting tokens signed with cached keys, and refuses unknown kids', async () => {
    const token = issuer.sign({ sub: 'auth0|cached' });
    expect((await server.graphql('{ protectedMessage { text } }', { token })).status).toBe(200);
    issuer.setDown(true);
    const cached = await server.graphql('{ protectedMessage { text } }', { token: issuer.sign({ sub: 'auth0|cached' }) });
    expect(cached.body.data).toEqual({ protectedMessage: { text: 'This is a protected message.' } });

    const unknown = await server.graphql('{ protectedMessage { text } }', { token: issuer.sign({}, { key: issuer.rotate('RS256') }) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors?.[0]?.message).toBe('Bad credentials');
  });
});

describe('SIGTERM during load', () => {
  it('finishes in-flight requests, accepts no new ones, and exits 0', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'sigterm-'));
    try {
      const instance = await startServerProcess({
        // Not `test`: Apollo Server installs signal handlers of its own in every other environment.
        NODE_ENV: 'development',
        DATABASE_URL: `pglite:${directory}`,
        SEED_DEMO_DATA: 'true',
        RATE_LIMIT_LOGIN_ACCOUNT: '100/15m',
        RATE_LIMIT_LOGIN_ACCOUNT_IP: '100/15m',
        LOG_LEVEL: 'debug',
      });
      const body = JSON.stringify({
        query: 'mutation ($input: LoginInput!) { login(input: $input) { tokenType } }',
        variables: { input: { email: 'user@example.com', password: 'user-password-dev' } },
      });
      let signalSent = false;
      // Twenty-four logins queue behind the Argon2 semaphore (two at a time), each on its own connection.
      const inFlight = Array.from({ length: 24 }, () =>
        fetch(`${instance.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body }).then(
          async (response) => ({ answeredAfterSignal: signalSent, status: response.status, body: (await response.json()) as { data?: unknown } }),
        ),
      );
      // SIGTERM once the server has started every operation (its debug log says so); most still wait their turn.
      const started = () => instance.output().split('graphql operation started').length - 1;
      while (started() < inFlight.length) await new Promise((resolve) => setTimeout(resolve, 20));
      instance.child.kill('SIGTERM');
      signalSent = true;
      const results = await Promise.all(inFlight);
      expect(results.map((result) => result.body.data)).toEqual(results.map(() => ({ login: { tokenType: 'Bearer' } })));
      expect(results.some((result) => result.answeredAfterSignal)).toBe(true);
      expect(await instance.exited).toBe(0);
      // The database was closed, not abandoned: its lock is released.
      expect(existsSync(`${directory}.lock`)).toBe(false);
      await expect(fetch(`${instance.url}/health`)).rejects.toThrow();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
