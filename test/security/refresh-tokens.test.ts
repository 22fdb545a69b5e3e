/**
 * Refresh-token theft and races (RFC 9700 §4.14): a rotated token presented again revokes
 * its whole family, whoever presents it first; concurrent refreshes cannot fork a session;
 * expired, forged and logged-out tokens are refused.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { LOGIN, REFRESH, type AuthPayload } from './helpers.js';

describe('refresh token replay, races and expiry', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const signIn = async () => {
    const { user } = await server.createUser();
    const response = await server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email: user.email, password: TEST_PASSWORD } } });
    return { user, session: response.body.data!.login };
  };
  const refresh = (token: string) => server.graphql<{ refreshToken: AuthPayload }>(REFRESH, { variables: { token } });
  const familyOf = async (token: string) => {
    const row = await server.db.prisma.refreshToken.findUnique({ where: { tokenHash: createHash('sha256').update(token).digest('hex') } });
    return server.db.prisma.refreshToken.findMany({ where: { familyId: row!.familyId } });
  };

  it('replay after the owner rotated: the thief is refused and the family, with the owner\'s newest token, is revoked', async () => {
    const { session: stolen } = await signIn();
    const owner = (await refresh(stolen.refreshToken)).body.data!.refreshToken;

    const replay = await refresh(stolen.refreshToken);
    expect(replay.body.errors?.[0]).toMatchObject({ message: 'Refresh token reuse detected; the session was revoked', extensions: { code: 'UNAUTHENTICATED', reason: 'reused' } });
    expect((await refresh(owner.refreshToken)).body.errors?.[0]).toMatchObject({ message: 'Refresh token revoked', extensions: { reason: 'revoked' } });
    expect((await familyOf(owner.refreshToken)).every((row) => row.revokedAt !== null)).toBe(true);
  });

  it('replay after the thief rotated first: the owner\'s old token revokes the thief\'s new one', async () => {
    const { session } = await signIn();
    const thief = (await refresh(session.refreshToken)).body.data!.refreshToken;
    expect((await refresh(session.refreshToken)).body.errors?.[0]?.extensions?.reason).toBe('reused');
    expect((await refresh(thief.refreshToken)).body.errors?.[0]?.extensions?.reason).toBe('revoked');
  });

  it('revokes only the replayed family: the same user\'s other sessions keep working', async () => {
    const { user, session: first } = await signIn();
    const second = (await server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email: user.email, password: TEST_PASSWORD } } })).body.data!.login;
    await refresh(first.refreshToken);
    await refresh(first.refreshToken);
    expect((await refresh(second.refreshToken)).body.data?.refreshToken.user.id).toBe(user.id);
  });

  it('concurrent refresh: of 10 simultaneous refreshes exactly one succeeds, and the family never holds two live tokens', async () => {
    const { session } = await signIn();
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(session.refreshToken)));
    expect(results.filter((result) => result.body.data?.refreshToken).length).toBe(1);
    expect(results.filter((result) => result.body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED').length).toBe(9);
    const live = (await familyOf(session.refreshToken)).filter((row) => row.rotatedAt === null && row.revokedAt === null);
    expect(live.length).toBeLessThanOrEqual(1);
  });

  it('refuses an expired refresh token, whether its JWT or its stored row has expired', async () => {
    const { user } = await signIn();
    // A JWT past its exp, though its row would still be valid.
    const id = randomUUID();
    const expiredJwt = server.server.services.tokens.issueRefreshToken(user.id, id, new Date(Date.now() - 60_000));
    await server.db.prisma.refreshToken.create({
      data: { id, tokenHash: createHash('sha256').update(expiredJwt).digest('hex'), familyId: randomUUID(), userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    expect((await refresh(expiredJwt)).body.errors?.[0]).toMatchObject({ message: 'Refresh token expired', extensions: { code: 'UNAUTHENTICATED', reason: 'expired' } });

    // A row past its expiry, though its JWT is still valid.
    const { session } = await signIn();
    const [row] = await familyOf(session.refreshToken);
    await server.db.prisma.refreshToken.update({ where: { id: row!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await refresh(session.refreshToken)).body.errors?.[0]?.message).toBe('Refresh token expired');
  });

  it('refuses a forged refresh token, an access token in its place, and one signed for another user', async () => {
    const { session } = await signIn();
    const [header, payload, signature] = session.refreshToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const edited = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url')}.${signature}`;
    for (const token of [edited, session.accessToken, `${header}.${payload}.`, 'not-a-token']) {
      expect((await refresh(token)).body.errors?.[0]).toMatchObject({ message: 'Invalid refresh token', extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect((await refresh(session.refreshToken)).body.data?.refreshToken).toBeDefined();
  });

  it('after logoutAll, refresh is refused at once while the access token stays valid until it expires (stateless, documented)', async () => {
    const { session } = await signIn();
    expect((await server.graphql('mutation { logoutAll }', { token: session.accessToken })).body.data).toEqual({ logoutAll: true });
    expect((await refresh(session.refreshToken)).body.errors?.[0]?.message).toBe('Refresh token revoked');
    expect((await server.graphql('{ me { id } }', { token: session.accessToken })).body.errors).toBeUndefined();
  });
});
