/**
 * Refresh-token theft and races (RFC 9700 §4.14): a rotated token presented again after the
 * reuse interval revokes its whole family, whoever presents it first; within the interval a
 * double-fired refresh keeps the session, and the family never holds more than a handful of
 * live tokens; expired, forged and logged-out tokens are refused.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LIVE_TOKENS_PER_FAMILY } from '../../src/modules/session/refresh-tokens.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { LOGIN, REFRESH, type AuthPayload } from './helpers.js';

/** The test kit for one server: sign in, refresh, and read a token's family from the database. */
function kit(server: () => TestServer) {
  return {
    async signIn() {
      const { user } = await server().createUser();
      const response = await server().graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email: user.email, password: TEST_PASSWORD } } });
      return { user, session: response.body.data!.login };
    },
    refresh: (token: string) => server().graphql<{ refreshToken: AuthPayload }>(REFRESH, { variables: { token } }),
    async familyOf(token: string) {
      const row = await server().db.prisma.refreshToken.findUnique({ where: { tokenHash: createHash('sha256').update(token).digest('hex') } });
      return server().db.prisma.refreshToken.findMany({ where: { familyId: row!.familyId } });
    },
  };
}

describe('refresh token replay, races and expiry, without a reuse interval (REFRESH_REUSE_INTERVAL=0)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ REFRESH_REUSE_INTERVAL: '0' });
  });
  afterAll(() => server?.close());
  const { signIn, refresh, familyOf } = kit(() => server);

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

  it('concurrent refresh: of 10 simultaneous refreshes one wins, and the losers count as reuse and revoke the family, the winner\'s new token with it', async () => {
    const { session } = await signIn();
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(session.refreshToken)));
    expect(results.filter((result) => result.body.data?.refreshToken).length).toBe(1);
    // The first loser revokes the family; those after it find it revoked.
    const reasons = results.flatMap((result) => (result.body.errors ? [result.body.errors[0]!.extensions!.reason] : []));
    expect(reasons).toHaveLength(9);
    expect(reasons).toContain('reused');
    expect(reasons.every((reason) => reason === 'reused' || reason === 'revoked')).toBe(true);
    const family = await familyOf(session.refreshToken);
    expect(family).toHaveLength(2);
    expect(family.every((row) => row.revokedAt !== null)).toBe(true);
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

describe('the reuse interval (REFRESH_REUSE_INTERVAL, 30 s by default): a double-fired refresh keeps the session', () => {
  let server: TestServer;
  let shortInterval: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    shortInterval = await startTestServer({ REFRESH_REUSE_INTERVAL: '1s' }, { db: server.db });
  });
  afterAll(async () => {
    await shortInterval?.server.stop();
    await server?.close();
  });
  const { signIn, refresh, familyOf } = kit(() => server);
  const live = (rows: Awaited<ReturnType<typeof familyOf>>) => rows.filter((row) => row.rotatedAt === null && row.revokedAt === null);

  it('three concurrent refreshes of one token all succeed, every token they return refreshes again, and the family stays alive', async () => {
    const { user, session } = await signIn();
    const results = await Promise.all(Array.from({ length: 3 }, () => refresh(session.refreshToken)));
    const pairs = results.map((result) => result.body.data?.refreshToken);
    expect(results.map((result) => result.body.errors)).toEqual([undefined, undefined, undefined]);
    expect(new Set(pairs.map((pair) => pair!.refreshToken)).size).toBe(3);

    for (const pair of pairs) {
      expect((await server.graphql('{ me { id } }', { token: pair!.accessToken })).body.data).toEqual({ me: { id: user.id } });
      expect((await refresh(pair!.refreshToken)).body.data?.refreshToken.user.id).toBe(user.id);
    }
    const family = await familyOf(session.refreshToken);
    expect(family.every((row) => row.revokedAt === null)).toBe(true);
    expect(live(family)).toHaveLength(3);
  });

  it('a second tab presenting the token just after the first rotated it gets a working token, and so does the first tab', async () => {
    const { user, session } = await signIn();
    const first = (await refresh(session.refreshToken)).body.data!.refreshToken;
    const second = (await refresh(session.refreshToken)).body.data!.refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await refresh(first.refreshToken)).body.data?.refreshToken.user.id).toBe(user.id);
    expect((await refresh(second.refreshToken)).body.data?.refreshToken.user.id).toBe(user.id);
  });

  it('a replay after the interval still revokes the family, with every token the interval handed out', async () => {
    const { session } = await signIn();
    const replayShortly = (token: string) => shortInterval.graphql<{ refreshToken: AuthPayload }>(REFRESH, { variables: { token } });
    const owner = (await replayShortly(session.refreshToken)).body.data!.refreshToken;
    const sibling = (await replayShortly(session.refreshToken)).body.data!.refreshToken;
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const replay = await replayShortly(session.refreshToken);
    expect(replay.body.errors?.[0]).toMatchObject({ message: 'Refresh token reuse detected; the session was revoked', extensions: { code: 'UNAUTHENTICATED', reason: 'reused' } });
    for (const token of [owner.refreshToken, sibling.refreshToken]) {
      expect((await replayShortly(token)).body.errors?.[0]?.extensions?.reason).toBe('revoked');
    }
  });

  it(`holds the cap under many replays within the interval: never more than ${MAX_LIVE_TOKENS_PER_FAMILY} live tokens, and the replays past it revoke the family`, async () => {
    const { session } = await signIn();
    const results = await Promise.all(Array.from({ length: 12 }, () => refresh(session.refreshToken)));
    const succeeded = results.filter((result) => result.body.data?.refreshToken);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    expect(succeeded.length).toBeLessThanOrEqual(MAX_LIVE_TOKENS_PER_FAMILY);
    expect(results.some((result) => result.body.errors?.[0]?.extensions?.reason === 'reused')).toBe(true);

    const family = await familyOf(session.refreshToken);
    // Every token handed out was counted while live; none was rotated since.
    expect(family.filter((row) => row.rotatedAt === null).length).toBeLessThanOrEqual(MAX_LIVE_TOKENS_PER_FAMILY);
    expect(family.every((row) => row.revokedAt !== null)).toBe(true);
  });

  it('counts the cap over the whole family, not per token: siblings replayed in turn cannot grow it', async () => {
    const { session } = await signIn();
    const tokens = [session.refreshToken];
    // Each round replays every token once more; the family must be revoked before it exceeds the cap.
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(tokens.flatMap((token) => [refresh(token), refresh(token)]));
      tokens.push(...results.flatMap((result) => (result.body.data ? [result.body.data.refreshToken.refreshToken] : [])));
      expect(live(await familyOf(session.refreshToken)).length).toBeLessThanOrEqual(MAX_LIVE_TOKENS_PER_FAMILY);
    }
    expect((await familyOf(session.refreshToken)).every((row) => row.revokedAt !== null)).toBe(true);
  });
});
