/**
 * Two instances on one PostgreSQL database and one Redis: an event written on one reaches the
 * subscribers of the other (still filtered per subscriber), and a logout, a disable or the admin
 * CLI's disable-user on one closes the sockets held by the other within a second. The periodic
 * recheck is off here, so only the pub/sub can do it. Runs when TEST_DATABASE_URL and
 * TEST_REDIS_URL are set (CI's second pass); channels and keys get a prefix of their own.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { syncPermissionCatalog } from '../src/setup/seed.js';
import { createEmptyDatabaseUrl, usingPostgres } from './helpers/database.js';
import { listening, openSocket, type TestSocket } from './helpers/subscriptions.js';
import { startTestServer, TEST_PASSWORD, type TestKit, type TestUser } from './kit/index.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
const LOGIN = 'mutation ($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken refreshToken } }';
const TASK_CHANGES = 'subscription { taskChanged { kind task { title } } }';

describe.runIf(usingPostgres && REDIS_URL !== '')('subscriptions across two instances (PostgreSQL and Redis)', () => {
  const prefix = `subscriptions-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const env = {
    REDIS_URL,
    SUBSCRIPTIONS_CHANNEL_PREFIX: `${prefix}-events`,
    RATE_LIMIT_KEY_PREFIX: `${prefix}-throttle`,
    RESPONSE_CACHE_KEY_PREFIX: `${prefix}-cache`,
    SUBSCRIPTIONS_RECHECK_INTERVAL: '0',
  };
  let databaseUrl: string;
  let dropDatabase: () => Promise<void>;
  let dbs: Database[] = [];
  let a: TestKit;
  let b: TestKit;
  const sockets: TestSocket[] = [];

  const login = async (user: TestUser) => (await a.http<{ login: { accessToken: string; refreshToken: string } }>(LOGIN, { variables: { email: user.user.email, password: TEST_PASSWORD } })).body.data!.login;
  /** A socket on instance B, subscribed to taskChanged. */
  const subscribedOnB = async (accessToken: string) => {
    const socket = await openSocket(b.url);
    sockets.push(socket);
    await socket.init({ authorization: `Bearer ${accessToken}` });
    const before = b.server.subscriptions.listening;
    socket.subscribe('tasks', TASK_CHANGES);
    await listening(b.server, before + 1);
    return socket;
  };
  const closedWithin = async (socket: TestSocket, started: number) => {
    const closed = await socket.closed;
    return { ...closed, withinOneSecond: Date.now() - started < 1_000 };
  };

  beforeAll(async () => {
    ({ url: databaseUrl, drop: dropDatabase } = await createEmptyDatabaseUrl());
    dbs = await Promise.all([0, 1].map(() => openDatabase({ url: databaseUrl, poolSize: 5 })));
    await migrate(dbs[0]!);
    await syncPermissionCatalog(dbs[0]!);
    a = await startTestServer(env, { db: dbs[0] });
    b = await startTestServer(env, { db: dbs[1] });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    // Each kit closes its own database.
    await a?.close();
    await b?.close();
    await dropDatabase?.();
  });

  it('delivers a task written on instance A to its owner subscribed on instance B, and to nobody else', async () => {
    const [alice, bob] = [await a.user(), await a.user()];
    const [aliceSocket, bobSocket] = [await subscribedOnB(alice.token), await subscribedOnB(bob.token)];
    await a.http('mutation { createTask(input: { title: "Written on A" }) { id } }', { as: alice });
    expect((await aliceSocket.next('tasks')).map((event) => event.data)).toEqual([{ taskChanged: { kind: 'CREATED', task: { title: 'Written on A' } } }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobSocket.messages.filter((message) => message.type === 'next')).toEqual([]);
  });

  it('closes on instance B, within a second, the socket of a session that logged out on instance A', async () => {
    const session = await login(await a.user());
    const socket = await subscribedOnB(session.accessToken);
    const started = Date.now();
    await a.http('mutation ($token: String!) { logout(input: { refreshToken: $token }) }', { variables: { token: session.refreshToken } });
    expect(await closedWithin(socket, started)).toEqual({ code: 4403, reason: 'Session revoked', withinOneSecond: true });
  });

  it('closes on instance B, within a second, the sockets of a user disabled on instance A', async () => {
    const user = await a.user();
    const admin = await a.user({ roles: ['admin'] });
    const socket = await subscribedOnB((await login(user)).accessToken);
    const started = Date.now();
    await a.http('mutation ($id: ID!) { setUserDisabled(input: { userId: $id, disabled: true }) { id } }', { as: admin, variables: { id: user.user.id } });
    expect(await closedWithin(socket, started)).toEqual({ code: 4403, reason: 'User disabled', withinOneSecond: true });
  });

  it("closes the user's sockets when the admin CLI's disable-user runs in another process", async () => {
    const user = await a.user();
    const socket = await subscribedOnB((await login(user)).accessToken);
    const outcome = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'disable-user', '--email', user.user.email], {
        env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, REDIS_URL, SUBSCRIPTIONS_CHANNEL_PREFIX: env.SUBSCRIPTIONS_CHANNEL_PREFIX },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(outcome, outcome.output).toMatchObject({ code: 0 });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'User disabled' });
  }, 60_000);
});
