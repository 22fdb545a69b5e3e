/**
 * Password handling under attack: over-long passwords cost no hashing, Argon2 does not
 * truncate at 72 bytes (bcrypt does), and neither the answer nor the work done tells an
 * unknown email from a wrong password.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { countArgon2, LOGIN, rawRequest, REAL_THROTTLE_DEFAULTS, SIGNUP, type AuthPayload } from './helpers.js';

describe('passwords', () => {
  let server: TestServer;
  const argon2 = countArgon2(() => server);

  beforeAll(async () => {
    server = await startTestServer(REAL_THROTTLE_DEFAULTS);
  });
  beforeEach(() => argon2.reset());
  afterAll(async () => {
    await server?.close();
  });

  const login = (email: string, password: string) => server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email, password } } });
  const signup = (email: string, password: string) => server.graphql<{ signup: AuthPayload }>(SIGNUP, { variables: { input: { email, password, fullName: 'P' } } });
  const INVALID = [expect.objectContaining({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } })];

  it('refuses a 200 KB password at the body limit (413), and a 10 KB one without any Argon2 work', async () => {
    const { user } = await server.createUser();
    const huge = await rawRequest(server, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOGIN, variables: { input: { email: user.email, password: 'p'.repeat(200 * 1024) } } }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ message: 'Payload Too Large' });

    for (const email of [user.email, 'nobody-long@example.com']) {
      expect((await login(email, 'p'.repeat(10 * 1024))).body.errors).toEqual(INVALID);
    }
    expect(argon2.verifications).toBe(0);
    argon2.reset();
    const tooLong = await signup('long-password@example.com', 'p'.repeat(129));
    expect(tooLong.body.errors?.[0]).toMatchObject({ message: 'Password must be at most 128 characters', extensions: { code: 'BAD_USER_INPUT', field: 'password' } });
    expect(argon2.hashes).toBe(0);
  });

  it('tells apart two passwords that share their first 72 bytes (no bcrypt-style truncation), in ASCII and in UTF-8', async () => {
    for (const [index, prefix] of ['x'.repeat(72), 'é'.repeat(36)].entries()) {
      expect(Buffer.byteLength(prefix)).toBe(72);
      const email = `boundary${index}@example.com`;
      expect((await signup(email, `${prefix}-original`)).body.errors).toBeUndefined();
      expect((await login(email, `${prefix}-different`)).body.errors).toEqual(INVALID);
      expect((await login(email, prefix)).body.errors).toEqual(INVALID);
      expect((await login(email, `${prefix}-original`)).body.data?.login.user.email).toBe(email);
    }
  });

  it('accepts a 128-character password of 4-byte characters (512 bytes): the limit counts characters', async () => {
    const password = '🔑'.repeat(128);
    expect((await signup('emoji@example.com', password)).body.errors).toBeUndefined();
    expect((await login('emoji@example.com', password)).body.data?.login.user.email).toBe('emoji@example.com');
  });

  it('user enumeration by message: unknown email, wrong password and disabled account get the same answer', async () => {
    const { user } = await server.createUser();
    const { user: disabled } = await server.createUser();
    await server.db.prisma.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    for (const [email, password] of [['nobody@example.com', TEST_PASSWORD], [user.email, 'wrong password'], [disabled.email, TEST_PASSWORD]] as const) {
      const response = await login(email, password);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: null, errors: [expect.objectContaining({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } })] });
    }
  });

  it('user enumeration through the lock-out: an unknown email is blocked exactly like a real one', async () => {
    const { user } = await server.createUser();
    const answers = [];
    for (const email of [user.email, 'ghost@example.com']) {
      for (let attempt = 0; attempt < 5; attempt++) await login(email, 'wrong password');
      const blocked = (await login(email, 'wrong password')).body.errors![0]!;
      answers.push({ message: blocked.message.replace(/\d+ seconds/, 'N seconds'), code: blocked.extensions?.code });
    }
    expect(answers[0]).toEqual({ message: 'Too many sign-in attempts; try again in N seconds', code: 'RATE_LIMITED' });
    expect(answers[1]).toEqual(answers[0]);
  });

  it('user enumeration by timing, shown structurally: an unknown email costs one Argon2id verification, as a wrong password does, against a hash made as stored ones are', async () => {
    // Timings themselves are measured by the benchmarks, not asserted here.
    const { user } = await server.createUser();
    const stored = (await server.db.prisma.user.findUnique({ where: { id: user.id } }))!.passwordHash!;
    const work = () => ({ verifications: argon2.verifications, hashes: argon2.hashes });

    await login(user.email, 'wrong password');
    expect(work()).toEqual({ verifications: 1, hashes: 0 });

    // The hash unknown accounts are verified against is made once, by the same hash() that signup stores.
    argon2.reset();
    await login('unknown-timing@example.com', 'wrong password');
    expect(argon2.verifications).toBe(1);
    expect(argon2.hashes).toBeLessThanOrEqual(1);
    argon2.reset();
    await login('unknown-timing-again@example.com', 'wrong password');
    expect(work()).toEqual({ verifications: 1, hashes: 0 });

    expect(stored).toMatch(/^\$argon2id\$v=19\$(?=[^$]*m=19456)(?=[^$]*t=2)(?=[^$]*p=1)[^$]+\$/);
  });
});
