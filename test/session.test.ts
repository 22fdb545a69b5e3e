/** Signup, login, refresh rotation with reuse detection, logout: the signup/login and books tutorials. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from './helpers/server.js';

const PAYLOAD = 'accessToken refreshToken tokenType expiresIn user { id email fullName roles }';
const SIGNUP = `mutation ($input: SignupInput!) { signup(input: $input) { ${PAYLOAD} } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { ${PAYLOAD} } }`;
const REFRESH = `mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { ${PAYLOAD} } }`;

interface Payload {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  user: { id: string; email: string; fullName: string; roles: string[] };
}

describe('session: signup, login, refresh, logout', () => {
  let server: TestServer;
  let email: string;

  beforeAll(async () => {
    // No reuse interval, so the tutorial's replay counts as reuse at once (README: after 30 s by default).
    server = await startTestServer({ ACCESS_TOKEN_TTL: '10m', REFRESH_TOKEN_TTL: '2d', REFRESH_REUSE_INTERVAL: '0' });
    email = (await server.createUser({ roles: ['book-admin'], fullName: 'Reader' })).user.email;
  });
  afterAll(() => server?.close());

  const login = (password = TEST_PASSWORD, as = email) => server.graphql<{ login: Payload }>(LOGIN, { variables: { input: { email: as, password } } });
  const refresh = (token: string) => server.graphql<{ refreshToken: Payload }>(REFRESH, { variables: { token } });

  it('signs up with a hashed password, and the new account can sign in', async () => {
    const response = await server.graphql<{ signup: Payload }>(SIGNUP, { variables: { input: { email: 'New.Person@Example.com', password: 'a long enough passphrase', fullName: 'New Person' } } });
    expect(response.body.errors).toBeUndefined();
    const payload = response.body.data!.signup;
    expect(payload).toMatchObject({ tokenType: 'Bearer', expiresIn: 600, user: { email: 'new.person@example.com', fullName: 'New Person', roles: [] } });
    const stored = await server.db.prisma.user.findUnique({ where: { email: 'new.person@example.com' } });
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$(?=[^$]*m=19456)(?=[^$]*t=2)(?=[^$]*p=1)[^$]+\$/);
    const me = await server.graphql('{ me { email } }', { token: payload.accessToken });
    expect(me.body.data).toEqual({ me: { email: 'new.person@example.com' } });
    expect((await login('a long enough passphrase', 'NEW.PERSON@example.com')).body.data?.login.user.email).toBe('new.person@example.com');
  });

  it('answers CONFLICT for an email already taken, whatever its case', async () => {
    const response = await server.graphql(SIGNUP, { variables: { input: { email: email.toUpperCase(), password: 'another fine passphrase', fullName: 'Copy' } } });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it.each([
    ['short', 'Password must be at least 8 characters'],
    ['x'.repeat(129), 'Password must be at most 128 characters'],
    ['Password123', 'Password is too common; choose another'],
  ])('refuses the password %#', async (password, message) => {
    const response = await server.graphql(SIGNUP, { variables: { input: { email: `p${Math.random()}@example.com`, password, fullName: 'P' } } });
    expect(response.body.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', field: 'password' } });
  });

  it('gives the same error for an unknown email and a wrong password', async () => {
    const unknown = await login(TEST_PASSWORD, 'nobody@example.com');
    const wrong = await login('wrong password!');
    for (const response of [unknown, wrong]) {
      expect(response.body.errors).toEqual([expect.objectContaining({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } })]);
    }
  });

  it('issues access tokens with the documented claims and header', async () => {
    const { accessToken, user } = (await login()).body.data!.login;
    const [header, payload] = accessToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: user.id, iss: server.config.tokens.issuer, aud: server.config.tokens.audience, permissions: ['create:books', 'delete:books', 'update:books'] });
    expect(payload.exp - payload.iat).toBe(600);
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('runs the books tutorial end to end: login → books → refresh → books → old refresh token refused → family revoked', async () => {
    const first = (await login()).body.data!.login;
    expect((await server.graphql('{ books { edges { node { title } } } }')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await server.graphql('{ books { edges { node { title } } } }', { token: first.accessToken })).body.errors).toBeUndefined();

    const second = (await refresh(first.refreshToken)).body.data!.refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await server.graphql('{ books { edges { node { title } } } }', { token: second.accessToken })).body.errors).toBeUndefined();

    const replay = await refresh(first.refreshToken);
    expect(replay.body.errors?.[0]).toMatchObject({ message: 'Refresh token reuse detected; the session was revoked', extensions: { code: 'UNAUTHENTICATED' } });
    const afterRevocation = await refresh(second.refreshToken);
    expect(afterRevocation.body.errors?.[0]?.message).toBe('Refresh token revoked');
  });

  it('never accepts a refresh token as an access token, nor an access token as a refresh token', async () => {
    const { accessToken, refreshToken } = (await login()).body.data!.login;
    const asAccess = await server.graphql('{ books { edges { node { title } } } }', { token: refreshToken });
    expect(asAccess.status).toBe(401);
    expect(asAccess.body.errors?.[0]).toMatchObject({ message: 'Bad credentials', extensions: { code: 'UNAUTHENTICATED' } });
    expect((await refresh(accessToken)).body.errors?.[0]?.message).toBe('Invalid refresh token');
  });

  it('without a reuse interval, lets exactly one of three concurrent refreshes of the same token succeed', async () => {
    const { refreshToken } = (await login()).body.data!.login;
    const results = await Promise.all([refresh(refreshToken), refresh(refreshToken), refresh(refreshToken)]);
    expect(results.filter((result) => result.body.data?.refreshToken).length).toBe(1);
  });

  it('a role granted with assignRole reaches the user\'s token at their next refresh (README), and a revoked one leaves it the same way', async () => {
    const MENU_WRITE = 'mutation { createMenuItem(input: { name: "Soup", price: 350, description: "Warm", image: "https://img.example/soup.png" }) { name } }';
    const ASSIGN = 'mutation ($input: AssignRoleInput!) { assignRole(input: $input) { roles } }';
    const REVOKE = 'mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { roles } }';
    const { token: adminToken } = await server.createUser({ roles: ['admin'] });
    const { user } = await server.createUser();
    const before = (await login(TEST_PASSWORD, user.email)).body.data!.login;
    expect((await server.graphql(MENU_WRITE, { token: before.accessToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const granted = await server.graphql(ASSIGN, { token: adminToken, variables: { input: { userId: user.id, role: 'menu-admin' } } });
    expect(granted.body.data).toEqual({ assignRole: { roles: ['menu-admin'] } });
    // Stateless: the token issued before the grant still carries the old permissions.
    expect((await server.graphql(MENU_WRITE, { token: before.accessToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const after = (await refresh(before.refreshToken)).body.data!.refreshToken;
    const claims = JSON.parse(Buffer.from(after.accessToken.split('.')[1]!, 'base64url').toString()) as { permissions: string[] };
    expect(claims.permissions).toContain('create:items');
    expect((await server.graphql(MENU_WRITE, { token: after.accessToken })).body).toEqual({ data: { createMenuItem: { name: 'Soup' } } });

    await server.graphql(REVOKE, { token: adminToken, variables: { input: { userId: user.id, role: 'menu-admin' } } });
    const revoked = (await refresh(after.refreshToken)).body.data!.refreshToken;
    expect((await server.graphql(MENU_WRITE, { token: revoked.accessToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('stores refresh tokens only as hashes', async () => {
    const { refreshToken } = (await login()).body.data!.login;
    const rows = await server.db.sql.query<Record<string, unknown>>('SELECT * FROM refresh_tokens');
    expect(JSON.stringify(rows)).not.toContain(refreshToken);
  });

  it('logout revokes that session only; logoutAll revokes every session of the viewer', async () => {
    const a = (await login()).body.data!.login;
    const b = (await login()).body.data!.login;
    const out = await server.graphql('mutation ($token: String!) { logout(input: { refreshToken: $token }) }', { variables: { token: a.refreshToken } });
    expect(out.body.data).toEqual({ logout: true });
    expect((await refresh(a.refreshToken)).body.errors?.[0]?.message).toBe('Refresh token revoked');
    const c = (await refresh(b.refreshToken)).body.data!.refreshToken;

    const all = await server.graphql('mutation { logoutAll }', { token: c.accessToken });
    expect(all.body.data).toEqual({ logoutAll: true });
    expect((await refresh(c.refreshToken)).body.errors?.[0]?.message).toBe('Refresh token revoked');
  });

  it('refuses an expired refresh token', async () => {
    const { refreshToken } = (await login()).body.data!.login;
    await server.db.prisma.refreshToken.updateMany({ where: {}, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await refresh(refreshToken)).body.errors?.[0]).toMatchObject({ message: 'Refresh token expired', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('keeps refresh tokens across a restart (they live in the database)', async () => {
    const { refreshToken } = (await login()).body.data!.login;
    const restarted = await createApp(server.config, server.db);
    const { port } = await new Promise<{ port: number }>((resolve) => restarted.httpServer.listen(0, '127.0.0.1', () => resolve(restarted.httpServer.address() as { port: number })));
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: REFRESH, variables: { token: refreshToken } }),
      });
      expect(((await response.json()) as { data: { refreshToken: Payload } }).data.refreshToken.tokenType).toBe('Bearer');
    } finally {
      await restarted.stop();
    }
  });

  it('refuses to sign in a disabled user, and to refresh their session', async () => {
    const { user } = await server.createUser();
    const session = (await login(TEST_PASSWORD, user.email)).body.data!.login;
    await server.db.prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect((await login(TEST_PASSWORD, user.email)).body.errors?.[0]?.message).toBe('Invalid email or password');
    expect((await refresh(session.refreshToken)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
