/**
 * Online guessing (OWASP ASVS 5, V6.3): login, signup and refreshToken are throttled per
 * account and per client IP with the default limits, counted before any password is hashed,
 * answered with RATE_LIMITED and `retryAfter`, and never a permanent lock-out.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { countArgon2, LOGIN, REAL_THROTTLE_DEFAULTS, REFRESH, SIGNUP, type AuthPayload } from './helpers.js';

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codeOf = (errors: Errors) => errors?.[0]?.extensions?.code;

function expectRateLimited(errors: Errors, message: RegExp, maxRetryAfter: number) {
  expect(errors).toHaveLength(1);
  expect(errors![0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
  const retryAfter = errors![0]!.extensions!.retryAfter as number;
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
}

describe('login throttling with the default limits', () => {
  let server: TestServer;
  const argon2 = countArgon2(() => server);
  let ipCounter = 0;
  /** A fresh client address per call (the test client is a trusted loopback proxy). */
  const freshIp = () => ({ 'x-forwarded-for': `198.51.100.${++ipCounter % 250}` });

  beforeAll(async () => {
    server = await startTestServer(REAL_THROTTLE_DEFAULTS);
  });
  beforeEach(() => argon2.reset());
  afterAll(async () => {
    await server?.close();
  });

  const login = (email: string, password: string, headers: Record<string, string> = freshIp()) =>
    server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email, password } }, headers });

  it('one address guessing at one account: after 5 failures that pair is blocked for 15 minutes, even for the right password, with no Argon2 work', async () => {
    const { user } = await server.createUser();
    const guesser = { 'x-forwarded-for': '203.0.113.20' };
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(codeOf((await login(user.email, `guess-${attempt}`, guesser)).body.errors)).toBe('UNAUTHENTICATED');
    }
    expect(argon2.verifications).toBe(5);
    const blocked = await login(user.email.toUpperCase(), TEST_PASSWORD, guesser);
    expectRateLimited(blocked.body.errors, /^Too many sign-in attempts; try again in \d+ seconds$/, 900);
    expect(blocked.body.data).toBeNull();
    expect(argon2.verifications).toBe(5);
    // The same account from another address, and another account from the same address, are not blocked.
    expect((await login(user.email, TEST_PASSWORD)).body.data?.login.user.id).toBe(user.id);
    const { user: neighbour } = await server.createUser();
    expect((await login(neighbour.email, TEST_PASSWORD, guesser)).body.data?.login.user.id).toBe(neighbour.id);
  });

  it('a distributed guess at one account: after 50 failures from 10 addresses the account is refused to new addresses for an hour, with no Argon2 work', async () => {
    const { user } = await server.createUser();
    for (let address = 0; address < 10; address++) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const headers = { 'x-forwarded-for': `198.18.${address}.1` };
        expect(codeOf((await login(user.email, `guess-${address}-${attempt}`, headers)).body.errors)).toBe('UNAUTHENTICATED');
      }
    }
    argon2.reset();
    const blocked = await login(user.email, TEST_PASSWORD, { 'x-forwarded-for': '198.18.99.1' });
    expectRateLimited(blocked.body.errors, /^Too many sign-in attempts/, 3600);
    expect(blocked.body.errors![0]!.extensions!.retryAfter).toBeGreaterThan(900);
    expect(argon2.verifications).toBe(0);
  });

  it('an attacker at other addresses cannot lock the owner out: the owner signs in from an address they used before, even with the account ceiling spent', async () => {
    const { user } = await server.createUser();
    const home = { 'x-forwarded-for': '192.0.2.80' };
    expect((await login(user.email, TEST_PASSWORD, home)).body.data?.login.user.id).toBe(user.id);
    for (let address = 0; address < 12; address++) {
      for (let attempt = 0; attempt < 6; attempt++) await login(user.email, 'wrong password', { 'x-forwarded-for': `198.19.${address}.7` });
    }
    expect(codeOf((await login(user.email, TEST_PASSWORD, { 'x-forwarded-for': '198.19.200.7' })).body.errors)).toBe('RATE_LIMITED');
    // The owner's own typo counts only against their own address, and their password still works.
    expect(codeOf((await login(user.email, 'typo', home)).body.errors)).toBe('UNAUTHENTICATED');
    expect((await login(user.email, TEST_PASSWORD, home)).body.data?.login.user.id).toBe(user.id);
  });

  it('a successful login resets its address\'s failures at the account; one account\'s block leaves other accounts alone', async () => {
    const { user } = await server.createUser();
    const address = { 'x-forwarded-for': '192.0.2.90' };
    for (let round = 0; round < 3; round++) {
      for (let attempt = 0; attempt < 4; attempt++) await login(user.email, 'wrong password', address);
      expect((await login(user.email, TEST_PASSWORD, address)).body.data?.login.user.id).toBe(user.id);
    }
    const { user: neighbour } = await server.createUser();
    for (let attempt = 0; attempt < 6; attempt++) await login(user.email, 'wrong password', address);
    expect((await login(neighbour.email, TEST_PASSWORD, address)).body.data?.login.user.id).toBe(neighbour.id);
  });

  it('spraying from one IP: after 50 failed logins over 50 accounts the IP is refused; other IPs are not', async () => {
    const sprayer = { 'x-forwarded-for': '203.0.113.7' };
    for (let attempt = 0; attempt < 50; attempt++) {
      expect(codeOf((await login(`victim${attempt}@spray.example`, 'Summer2024!', sprayer)).body.errors)).toBe('UNAUTHENTICATED');
    }
    argon2.reset();
    expectRateLimited((await login('victim50@spray.example', 'Summer2024!', sprayer)).body.errors, /^Too many sign-in attempts/, 900);
    expect(argon2.verifications).toBe(0);
    const { user } = await server.createUser();
    expect((await login(user.email, TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.8' })).body.data?.login.user.id).toBe(user.id);
  });

  it('cannot multiply guesses with aliased logins: mutation fields run in turn, the first failure ends the request, each request counts', async () => {
    const { user } = await server.createUser();
    // Five aliases: the most an anonymous caller's operation may hold.
    const aliases = Array.from({ length: 5 }, (_, index) => `a${index}: login(input: { email: $email, password: "guess-${index}" }) { accessToken }`);
    const guess = () => server.graphql(`mutation ($email: String!) { ${aliases.join(' ')} }`, { variables: { email: user.email }, headers: { 'x-forwarded-for': '203.0.113.40' } });
    for (let request = 0; request < 5; request++) {
      const response = await guess();
      expect(response.body).toMatchObject({ data: null, errors: [{ path: ['a0'], extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    expect(argon2.verifications).toBe(5);
    expect((await guess()).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('counts every aliased attempt: two requests of 4 aliased signups spend 8 of the IP\'s 10 an hour; in the next request the third alias is refused', async () => {
    const ip = { 'x-forwarded-for': '192.0.2.30' };
    const signups = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => `s${from + index}: signup(input: { email: "alias${from + index}@signup.example", password: "a long enough passphrase", fullName: "A" }) { user { id } }`).join(' ');
    expect((await server.graphql(`mutation { ${signups(0, 4)} }`, { headers: ip })).body.errors).toBeUndefined();
    expect((await server.graphql(`mutation { ${signups(4, 4)} }`, { headers: ip })).body.errors).toBeUndefined();
    const next = await server.graphql(`mutation { ${signups(8, 3)} }`, { headers: ip });
    expect(next.body.errors).toEqual([expect.objectContaining({ path: ['s10'], extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) })]);
    expect(await server.db.prisma.user.count({ where: { email: { startsWith: 'alias' } } })).toBe(10);
  });

  it('refuses 50 aliased logins in one request outright (the anonymous alias limit), before any password is verified', async () => {
    const aliases = Array.from({ length: 50 }, (_, index) => `a${index}: login(input: { email: "target@example.com", password: "guess-${index}" }) { accessToken }`);
    const response = await server.graphql(`mutation { ${aliases.join(' ')} }`, { headers: freshIp() });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ message: 'Aliases limit of 5 exceeded, found 50.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    expect(argon2.verifications).toBe(0);
  });

  it('signup: 10 an hour from one IP, then RATE_LIMITED without hashing the password', async () => {
    const ip = { 'x-forwarded-for': '192.0.2.10' };
    const signup = (index: number) =>
      server.graphql(SIGNUP, { variables: { input: { email: `new${index}@signup.example`, password: 'a long enough passphrase', fullName: 'New' } }, headers: ip });
    for (let index = 0; index < 10; index++) expect((await signup(index)).body.errors).toBeUndefined();
    argon2.reset();
    expectRateLimited((await signup(10)).body.errors, /^Too many sign-up attempts/, 3600);
    expect(argon2.hashes).toBe(0);
    expect(await server.db.prisma.user.count({ where: { email: 'new10@signup.example' } })).toBe(0);
  });

  it('refreshToken: 60 a minute from one IP, 30 a minute for one account', async () => {
    const ip = { 'x-forwarded-for': '192.0.2.20' };
    for (let attempt = 0; attempt < 60; attempt++) {
      expect(codeOf((await server.graphql(REFRESH, { variables: { token: 'not-a-token' }, headers: ip })).body.errors)).toBe('UNAUTHENTICATED');
    }
    expectRateLimited((await server.graphql(REFRESH, { variables: { token: 'not-a-token' }, headers: ip })).body.errors, /^Too many token refreshes/, 60);

    const { user } = await server.createUser();
    let token = (await login(user.email, TEST_PASSWORD)).body.data!.login.refreshToken;
    for (let attempt = 0; attempt < 30; attempt++) {
      const response = await server.graphql<{ refreshToken: AuthPayload }>(REFRESH, { variables: { token }, headers: freshIp() });
      token = response.body.data!.refreshToken.refreshToken;
    }
    expectRateLimited((await server.graphql(REFRESH, { variables: { token }, headers: freshIp() })).body.errors, /^Too many token refreshes/, 60);
  });
});

describe('refunds and IPv6 (RATE_LIMIT_LOGIN_IP=3/15m, RATE_LIMIT_LOGIN_ACCOUNT=3/1h)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_LOGIN_IP: '3/15m', RATE_LIMIT_LOGIN_ACCOUNT: '3/1h' });
  });
  afterAll(() => server?.close());
  const login = (email: string, password: string, address: string) => server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email, password } }, headers: { 'x-forwarded-for': address } });

  it('a successful login gives its IP attempt back: 5 sign-ins from one address, then its 3 failures still allowed', async () => {
    const { user } = await server.createUser();
    for (let attempt = 0; attempt < 5; attempt++) expect((await login(user.email, TEST_PASSWORD, '192.0.2.60')).body.data?.login.user.id).toBe(user.id);
    for (let attempt = 0; attempt < 3; attempt++) expect(codeOf((await login(`sprayed${attempt}@example.com`, 'x', '192.0.2.60')).body.errors)).toBe('UNAUTHENTICATED');
    expect(codeOf((await login('sprayed3@example.com', 'x', '192.0.2.60')).body.errors)).toBe('RATE_LIMITED');
  });

  it('a successful login gives its attempt back to the account ceiling: 5 sign-ins from 5 new addresses, then 3 failures still allowed', async () => {
    const { user } = await server.createUser();
    for (let address = 0; address < 5; address++) {
      expect((await login(user.email, TEST_PASSWORD, `192.0.2.${100 + address}`)).body.data?.login.user.id).toBe(user.id);
    }
    for (let address = 0; address < 3; address++) expect(codeOf((await login(user.email, 'wrong', `198.18.1.${address}`)).body.errors)).toBe('UNAUTHENTICATED');
    expect(codeOf((await login(user.email, TEST_PASSWORD, '198.18.1.200')).body.errors)).toBe('RATE_LIMITED');
  });

  it('counts IPv6 clients per /64: two addresses in one /64 share a counter, another /64 does not', async () => {
    await login('v6-a@example.com', 'x', '2001:db8:1:2::1');
    await login('v6-b@example.com', 'x', '2001:db8:1:2:ffff:ffff:ffff:fffe');
    await login('v6-c@example.com', 'x', '2001:0db8:0001:0002:0000:0000:0000:0042');
    expect(codeOf((await login('v6-d@example.com', 'x', '2001:db8:1:2:abcd::9')).body.errors)).toBe('RATE_LIMITED');
    expect(codeOf((await login('v6-e@example.com', 'x', '2001:db8:1:3::1')).body.errors)).toBe('UNAUTHENTICATED');
  });
});

describe('the block is finite and the client address is not forgeable', () => {
  it('lets the owner back in once the window has passed (RATE_LIMIT_LOGIN_ACCOUNT_IP=2/1s)', async () => {
    const server = await startTestServer({ RATE_LIMIT_LOGIN_ACCOUNT_IP: '2/1s' });
    try {
      const { user } = await server.createUser();
      const login = (password: string) => server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email: user.email, password } } });
      await login('wrong password');
      await login('wrong password');
      const blocked = await login(TEST_PASSWORD);
      expect(blocked.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await login(TEST_PASSWORD)).body.data?.login.user.id).toBe(user.id);
    } finally {
      await server.close();
    }
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy (TRUST_PROXY=false): spoofed addresses share one limit', async () => {
    const server = await startTestServer({ ...REAL_THROTTLE_DEFAULTS, TRUST_PROXY: 'false' });
    try {
      const refresh = (index: number) => server.graphql(REFRESH, { variables: { token: 'not-a-token' }, headers: { 'x-forwarded-for': `10.9.${index >> 8}.${index & 255}` } });
      for (let index = 0; index < 60; index++) expect(codeOf((await refresh(index)).body.errors)).toBe('UNAUTHENTICATED');
      expect(codeOf((await refresh(60)).body.errors)).toBe('RATE_LIMITED');
    } finally {
      await server.close();
    }
  });
});
