/**
 * Argon2id runs in a password-hashing process of its own (src/auth/hashing-process.ts): logins go
 * through it over real HTTP, it runs at the lowest CPU priority, its death fails only what it held,
 * a full queue is refused at once, and a closed server leaves no process behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/passwords.js';
import { logSink } from '../helpers/log-sink.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { LOGIN, SIGNUP, type AuthPayload } from './helpers.js';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Each thread's nice value (field 19 of /proc/<pid>/task/<tid>/stat; the name before it may hold spaces). */
function niceOfEveryThread(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((thread) => {
    const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]);
  });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the hashing process');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('the password-hashing process', () => {
  let server: TestServer;
  const log = logSink();
  const hasher = () => server.server.services.passwords;

  beforeAll(async () => {
    server = await startTestServer({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE_LIMIT: '1' }, { logger: log.logger });
  });
  afterAll(async () => {
    // A test that failed half-way may leave it stopped.
    const { pid } = hasher().work;
    if (pid !== undefined && process.platform !== 'win32') process.kill(pid, 'SIGCONT');
    await server?.close();
  });

  const login = (email: string, password = TEST_PASSWORD) => server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email, password } } });
  const signup = (email: string) => server.graphql<{ signup: AuthPayload }>(SIGNUP, { variables: { input: { email, password: 'a long enough passphrase', fullName: 'Q' } } });

  it('signs a user in over HTTP with the password verified in that process, not in the server', async () => {
    const { user } = await server.createUser();
    const before = hasher().work.verifications;
    const response = await login(user.email);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.login.user.id).toBe(user.id);
    expect(hasher().work.verifications).toBe(before + 1);
    const { pid } = hasher().work;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect((await login(user.email, 'a wrong password')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.runIf(process.platform === 'linux')('runs every thread of that process, libuv pool included, at nice 19', async () => {
    const { user } = await server.createUser();
    // A hash has run, so libuv's pool threads exist.
    expect((await login(user.email)).body.errors).toBeUndefined();
    const nice = niceOfEveryThread(hasher().work.pid!);
    // The main thread, V8's helpers and at least one pool thread.
    expect(nice.length).toBeGreaterThanOrEqual(3);
    expect(nice).toEqual(nice.map(() => 19));
  });

  it.runIf(process.platform === 'linux')('gets none of the server\'s environment, so none of its secrets', async () => {
    const { user } = await server.createUser();
    expect((await login(user.email)).body.errors).toBeUndefined();
    const environment = readFileSync(`/proc/${hasher().work.pid!}/environ`, 'utf8').split('\0').filter(Boolean);
    // Besides the pool size, only what fork adds for the IPC channel.
    expect(environment.filter((variable) => !variable.startsWith('NODE_CHANNEL_'))).toEqual(['UV_THREADPOOL_SIZE=1']);
  });

  // SIGSTOP holds a request inside the process for as long as the test needs: no race with the hash.
  describe.skipIf(process.platform === 'win32')('held requests', () => {
    it('a login the process held when it died fails with INTERNAL_SERVER_ERROR and a log line saying so; the next login starts a new process', async () => {
      const { user } = await server.createUser();
      expect((await login(user.email)).body.errors).toBeUndefined();
      const first = hasher().work.pid!;
      process.kill(first, 'SIGSTOP');
      const pending = login(user.email);
      await until(() => hasher().work.inFlight === 1);
      process.kill(first, 'SIGKILL');

      const failed = await pending;
      expect(failed.body.data).toBeNull();
      expect(failed.body.errors).toEqual([expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      const logged = log.lines.filter((line) => line.msg === 'unexpected error in a resolver').map((line) => (line.err as { message: string }).message);
      expect(logged).toContain('the password-hashing process was killed (SIGKILL) before answering 1 request(s)');

      expect((await login(user.email)).body.data?.login.user.id).toBe(user.id);
      expect(hasher().work.pid).not.toBe(first);
      expect(isRunning(first)).toBe(false);
    });

    it('a full queue refuses a signup at once with RATE_LIMITED (retryAfter 1) and writes nothing; the held ones finish afterwards', async () => {
      const { user } = await server.createUser();
      expect((await login(user.email)).body.errors).toBeUndefined();
      const { pid } = hasher().work;
      process.kill(pid!, 'SIGSTOP');
      let held: Promise<unknown>[];
      try {
        // PASSWORD_HASH_CONCURRENCY=1 in the process, PASSWORD_HASH_QUEUE_LIMIT=1 waiting.
        held = [signup('held-1@queue.example'), signup('held-2@queue.example')];
        await until(() => hasher().work.inFlight === 1 && hasher().work.waiting === 1);
        // Answered while the process is stopped: nothing waited for a hash.
        const refused = await signup('refused@queue.example');
        expect(refused.body.data).toBeNull();
        expect(refused.body.errors).toEqual([
          expect.objectContaining({ message: 'Too many logins and signups in progress; try again in 1 second', extensions: { code: 'RATE_LIMITED', retryAfter: 1 } }),
        ]);
        expect((await login(user.email)).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
        expect(await server.db.prisma.user.count({ where: { email: 'refused@queue.example' } })).toBe(0);
      } finally {
        process.kill(pid!, 'SIGCONT');
      }
      for (const response of (await Promise.all(held)) as Awaited<ReturnType<typeof signup>>[]) expect(response.body.errors).toBeUndefined();
      expect(await server.db.prisma.user.count({ where: { email: { endsWith: '@queue.example' } } })).toBe(2);
      expect(hasher().work).toMatchObject({ pid, inFlight: 0, waiting: 0 });
    });
  });
});

describe('the password-hashing process from start to end', () => {
  it('starts on the first hash, not before (npm start is not slowed), and ends when the hasher closes', async () => {
    const hasher = new PasswordHasher({ concurrency: 1 });
    expect(hasher.work.pid).toBeUndefined();
    const hash = await hasher.hash(TEST_PASSWORD);
    const { pid } = hasher.work;
    expect(isRunning(pid!)).toBe(true);
    expect(await hasher.verify(hash, TEST_PASSWORD)).toBe(true);
    await hasher.close();
    expect(isRunning(pid!)).toBe(false);
    await expect(hasher.hash(TEST_PASSWORD)).rejects.toThrow('the password hasher is closed');
  });

  it('ends with the server that started it', async () => {
    const server = await startTestServer();
    const hasher = server.server.services.passwords;
    // The test kit hashed its users' password on start-up: the process runs.
    const { pid } = hasher.work;
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid!)).toBe(true);
    await server.close();
    expect(hasher.work.pid).toBeUndefined();
    expect(isRunning(pid!)).toBe(false);
  });
});
