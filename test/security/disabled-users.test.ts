/**
 * Disabling a user: who may do it, what it revokes at once (refresh tokens, sign-in), and how
 * soon an external identity's tokens stop working (OIDC_IDENTITY_CACHE_TTL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { type AuthPayload, expectBadCredentials, LOGIN, REAL_THROTTLE_DEFAULTS, REFRESH } from './helpers.js';

const SET_DISABLED = 'mutation ($id: ID!, $disabled: Boolean!) { setUserDisabled(input: { userId: $id, disabled: $disabled }) { id disabledAt } }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('disabling users', () => {
  let issuer: TestIssuer;
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await startTestServer({ ...REAL_THROTTLE_DEFAULTS, OIDC_ISSUERS: JSON.stringify([issuer.configEntry()]), OIDC_IDENTITY_CACHE_TTL: '1s' });
    adminToken = (await server.createUser({ roles: ['admin'] })).token;
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
  });

  const setDisabled = (id: string, disabled: boolean, token = adminToken) => server.graphql<{ setUserDisabled: { id: string; disabledAt: string | null } }>(SET_DISABLED, { token, variables: { id, disabled } });
  const login = (email: string) => server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email, password: TEST_PASSWORD } } });
  const refresh = (token: string) => server.graphql<{ refreshToken: AuthPayload }>(REFRESH, { variables: { token } });
  /** A viewer holding exactly these permissions, whatever the roles say. */
  const tokenWith = async (permissions: string[]) => server.server.services.tokens.issueAccessToken((await server.createUser()).user.id, permissions);

  it('requires manage:users, and refuses disabling yourself or an unknown user', async () => {
    const target = await server.createUser();
    const reader = await tokenWith(['read:users']);
    expect((await setDisabled(target.user.id, true, reader)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await setDisabled(target.user.id, true, target.token)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const self = await server.createUser({ roles: ['admin'] });
    const selfDisable = await setDisabled(self.user.id, true, self.token);
    expect(selfDisable.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    expect((await setDisabled('00000000-0000-4000-8000-000000000000', true)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await setDisabled('not-a-uuid', true)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await server.graphql('{ me { disabledAt } }', { token: self.token })).body.data).toEqual({ me: { disabledAt: null } });
  });

  it('revokes every refresh token of a local user at once and refuses their sign-in; enabling again does not revive the old sessions', async () => {
    const { user } = await server.createUser();
    const sessions = [(await login(user.email)).body.data!.login, (await login(user.email)).body.data!.login];

    const disabled = await setDisabled(user.id, true);
    expect(disabled.body.errors).toBeUndefined();
    expect(Date.parse(disabled.body.data!.setUserDisabled.disabledAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect((await login(user.email)).body.errors?.[0]).toMatchObject({ message: 'Invalid email or password' });
    // The documented stateless window: a local access token already issued works until it expires.
    expect((await server.graphql('{ me { id } }', { token: sessions[0]!.accessToken })).body.data).toEqual({ me: { id: user.id } });

    // Not refreshed while disabled (a refresh then would revoke them itself): disabling already did.
    expect((await setDisabled(user.id, false)).body.data).toEqual({ setUserDisabled: { id: user.id, disabledAt: null } });
    for (const session of sessions) {
      expect((await refresh(session.refreshToken)).body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'revoked' } });
    }
    expect((await login(user.email)).body.data?.login.user.id).toBe(user.id);
  });

  it("refuses a disabled external identity's tokens, old and new, within the identity cache time, and accepts them again once enabled", async () => {
    const token = issuer.sign({ sub: 'auth0|to-disable' });
    const me = await server.graphql<{ me: { id: string } }>('{ me { id } }', { token });
    expect(me.body.errors).toBeUndefined();
    const id = me.body.data!.me.id;

    expect((await setDisabled(id, true)).body.errors).toBeUndefined();
    await sleep(1_300);
    await expectBadCredentials(server, `Bearer ${token}`);
    await expectBadCredentials(server, `Bearer ${issuer.sign({ sub: 'auth0|to-disable' })}`);

    await setDisabled(id, false);
    await sleep(1_300);
    expect((await server.graphql('{ me { id } }', { token: issuer.sign({ sub: 'auth0|to-disable' }) })).body.data).toEqual({ me: { id } });
  });

  it('leaves disabled users out of users unless includeDisabled, which also requires manage:users', async () => {
    const { user } = await server.createUser({ fullName: 'Gone Quiet' });
    await setDisabled(user.id, true);
    const listed = async (token: string, includeDisabled?: boolean) => {
      const response = await server.graphql<{ users: { edges: { node: { id: string; disabledAt: string | null } }[] } }>(
        'query ($includeDisabled: Boolean) { users(includeDisabled: $includeDisabled, first: 100) { edges { node { id disabledAt } } } }',
        { token, variables: includeDisabled === undefined ? {} : { includeDisabled } },
      );
      return response;
    };
    const byDefault = await listed(adminToken);
    expect(byDefault.body.data!.users.edges.map(({ node }) => node.id)).not.toContain(user.id);
    expect(byDefault.body.data!.users.edges.every(({ node }) => node.disabledAt === null)).toBe(true);
    const all = await listed(adminToken, true);
    expect(all.body.data!.users.edges).toContainEqual({ node: { id: user.id, disabledAt: expect.any(String) } });

    const reader = await tokenWith(['read:users']);
    expect((await listed(reader)).body.errors).toBeUndefined();
    expect((await listed(reader, false)).body.errors).toBeUndefined();
    const refused = await listed(reader, true);
    expect(refused.body.errors?.[0]).toMatchObject({
      path: ['users'],
      extensions: { code: 'FORBIDDEN', authorization: { coordinate: 'Query.users(includeDisabled:)', required: ['manage:users'], missing: ['manage:users'] } },
    });
    expect(refused.body.data).toEqual({ users: null });
  });
});
