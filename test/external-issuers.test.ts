/**
 * Tokens from external OpenID Connect / Auth0 issuers, verified through a real JWKS endpoint
 * on loopback: the Auth0 validation of the menu and messages tutorials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from './helpers/oidc-issuer.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('external issuers (Auth0-style RBAC through JWKS)', () => {
  let issuer: TestIssuer;
  let other: TestIssuer;
  let server: TestServer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    other = await startTestIssuer('https://other.test.example');
    server = await startTestServer({
      OIDC_ISSUERS: JSON.stringify([issuer.configEntry(['RS256', 'ES256']), other.configEntry(['RS256'], { permissionsClaim: 'scope' })]),
    });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
    await other?.close();
  });

  const MENU_WRITE = 'mutation { createMenuItem(input: { name: "Soup", price: 350, description: "Warm", image: "https://img.example/soup.png" }) { name } }';

  it('accepts RS256 and ES256 tokens of a configured issuer, and maps the identity to a user on first sight', async () => {
    for (const key of [issuer.rsaKey, issuer.ecKey]) {
      const token = issuer.sign({ sub: 'auth0|alice', name: 'Alice Example' }, { key });
      const response = await server.graphql('{ me { id fullName email } protectedMessage { text } }', { token });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data).toMatchObject({ me: { fullName: 'Alice Example' }, protectedMessage: { text: 'This is a protected message.' } });
    }
    const identities = await server.db.prisma.externalIdentity.findMany({ where: { subject: 'auth0|alice' } });
    expect(identities).toEqual([expect.objectContaining({ issuer: issuer.issuer })]);
  });

  it("grants what the token's permissions claim grants (the menu tutorial's menu-admin)", async () => {
    const withoutPermission = await server.graphql(MENU_WRITE, { token: issuer.sign({ sub: 'auth0|bob' }) });
    expect(withoutPermission.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const menuAdmin = issuer.sign({ sub: 'auth0|bob', permissions: ['create:items', 'update:items', 'delete:items'] });
    expect((await server.graphql(MENU_WRITE, { token: menuAdmin })).body.data).toEqual({ createMenuItem: { name: 'Soup' } });
  });

  it("reads the scope claim instead for an issuer configured with permissionsClaim: scope (the messages tutorial's admin message)", async () => {
    const token = other.sign({ sub: 'auth0|carol', scope: 'openid profile read:admin-messages' });
    expect((await server.graphql('{ adminMessage { text } }', { token })).body.data).toEqual({ adminMessage: { text: 'This is an admin message.' } });
    const atDefaultIssuer = await server.graphql('{ adminMessage { text } }', { token: issuer.sign({ sub: 'auth0|carol', scope: 'openid profile read:admin-messages' }) });
    expect(atDefaultIssuer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps tasks owned by the external user, apart from other subjects', async () => {
    const dave = issuer.sign({ sub: 'auth0|dave' });
    await server.graphql('mutation { createTask(input: { title: "Dave only" }) { id } }', { token: dave });
    const mine = await server.graphql('{ myTasks { edges { node { title } } } }', { token: issuer.sign({ sub: 'auth0|dave' }) });
    expect(mine.body.data).toEqual({ myTasks: { edges: [{ node: { title: 'Dave only' } }] } });
    // Same subject at another issuer is another person.
    const elsewhere = await server.graphql('{ myTasks { edges { node { title } } } }', { token: other.sign({ sub: 'auth0|dave' }) });
    expect(elsewhere.body.data).toEqual({ myTasks: { edges: [] } });
  });

  it('refuses a token with the wrong audience, or an algorithm the issuer does not allow', async () => {
    const wrongAudience = await server.graphql('{ me { id } }', { token: issuer.sign({ aud: 'https://someone-else.example' }) });
    expect(wrongAudience.status).toBe(401);
    const ecAtRsaOnlyIssuer = await server.graphql('{ me { id } }', { token: other.sign({}, { key: other.ecKey }) });
    expect(ecAtRsaOnlyIssuer.status).toBe(401);
  });

  it('picks up a rotated key with one JWKS refetch, and refuses an unknown kid', async () => {
    await server.graphql('{ me { id } }', { token: issuer.sign({ sub: 'auth0|rotation' }) });
    const before = issuer.jwksRequests;
    const rotated = issuer.rotate('RS256');
    const response = await server.graphql('{ me { id } }', { token: issuer.sign({ sub: 'auth0|rotation' }, { key: rotated }) });
    expect(response.body.errors).toBeUndefined();
    expect(issuer.jwksRequests).toBe(before + 1);

    const unknownKid = await server.graphql('{ me { id } }', { token: issuer.sign({}, { header: { kid: 'no-such-key' } }) });
    expect(unknownKid.status).toBe(401);
    expect(unknownKid.body.errors?.[0]?.message).toBe('Bad credentials');
  });

  it('says "Token expired" for an expired external token', async () => {
    const response = await server.graphql('{ me { id } }', { token: issuer.sign({ exp: Math.floor(Date.now() / 1000) - 60 }) });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'Token expired' });
  });

  it('rejects a token from an unconfigured issuer without any network call', async () => {
    const stranger = await startTestIssuer();
    try {
      const response = await server.graphql('{ me { id } }', { token: stranger.sign() });
      expect(response.status).toBe(401);
      expect(stranger.jwksRequests).toBe(0);
    } finally {
      await stranger.close();
    }
  });
});
