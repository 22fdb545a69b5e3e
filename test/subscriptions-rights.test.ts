/**
 * A subscription socket lives only as long as the right it was opened with: a token that does not
 * verify is refused with 4401; the token's expiry, logout, logoutAll, refresh-token reuse and
 * disabling the user close it with 4403, on one instance (test/subscriptions-scale-out.test.ts: across two).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefreshTokenStore } from '../src/modules/session/refresh-tokens.js';
import { UsersService } from '../src/modules/users/users.service.js';
import { startTestServer, TEST_PASSWORD, type TestKit, type TestUser } from './kit/index.js';
import { openSocket, until, type TestSocket } from './helpers/subscriptions.js';

const LOGIN = 'mutation ($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken refreshToken } }';
const MENU_CHANGES = 'subscription { menuItemChanged { kind } }';

interface Session {
  accessToken: string;
  refreshToken: string;
}

describe('subscription sockets end with the right they were opened with', () => {
  let kit: TestKit;
  const sockets: TestSocket[] = [];

  const login = async (user: TestUser): Promise<Session> => (await kit.http<{ login: Session }>(LOGIN, { variables: { email: user.user.email, password: TEST_PASSWORD } })).body.data!.login;
  const subscribed = async (accessToken: string) => {
    const socket = await openSocket(kit.url);
    sockets.push(socket);
    await socket.init({ authorization: `Bearer ${accessToken}` });
    // Counted by starts, not by what is listening now: another test's socket ending meanwhile must not hide this one.
    const before = kit.server.subscriptions.started;
    socket.subscribe('menu', MENU_CHANGES);
    await until(() => (kit.server.subscriptions.started > before ? true : undefined), 10_000, 'the subscription to start');
    return socket;
  };
  const stillOpen = async (socket: TestSocket) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
  };

  beforeAll(async () => {
    // No reuse interval: a replayed refresh token revokes its family at once.
    kit = await startTestServer({ SUBSCRIPTIONS_RECHECK_INTERVAL: '1s', REFRESH_REUSE_INTERVAL: '0' });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await kit?.close();
  });

  it('closes with 4401 a socket whose token does not verify, from connectionParams or the upgrade header, and never opens it anonymously', async () => {
    const forged = `${(await kit.user()).token.slice(0, -4)}AAAA`;
    const byParams = await openSocket(kit.url);
    await expect(byParams.init({ authorization: `Bearer ${forged}` })).rejects.toMatchObject({ code: 4401, reason: 'Unauthorized' });
    const byHeader = await openSocket(kit.url, { headers: { authorization: `Bearer ${forged}` } });
    await expect(byHeader.init()).rejects.toMatchObject({ code: 4401 });
    const notBearer = await openSocket(kit.url);
    await expect(notBearer.init({ authorization: 42 })).rejects.toMatchObject({ code: 4401 });
    expect(byParams.messages.concat(byHeader.messages, notBearer.messages)).toEqual([]);
  });

  it('reads no cookie: a socket with only a Cookie header is anonymous, refused @auth subscriptions', async () => {
    const user = await kit.user();
    const socket = await openSocket(kit.url, { headers: { cookie: `token=${user.token}; authorization=Bearer ${user.token}` } });
    sockets.push(socket);
    await socket.init();
    socket.subscribe('tasks', 'subscription { taskChanged { kind } }');
    expect((await socket.error('tasks'))[0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('accepts the token of the upgrade request\'s Authorization header', async () => {
    const user = await kit.user();
    const socket = await openSocket(kit.url, { headers: { authorization: `Bearer ${user.token}` } });
    sockets.push(socket);
    await socket.init();
    socket.subscribe('tasks', 'subscription { taskChanged { kind } }');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.messages.filter((message) => message.type === 'error')).toEqual([]);
  });

  it('closes the sockets of the session that logged out with 4403, and leaves the same user\'s other session open', async () => {
    const user = await kit.user();
    const [first, second] = [await login(user), await login(user)];
    const [firstSocket, secondSocket] = [await subscribed(first.accessToken), await subscribed(second.accessToken)];
    await kit.http('mutation ($token: String!) { logout(input: { refreshToken: $token }) }', { variables: { token: first.refreshToken } });
    expect(await firstSocket.closed).toEqual({ code: 4403, reason: 'Session revoked' });
    await stillOpen(secondSocket);
  });

  it('closes every socket of the viewer on logoutAll', async () => {
    const user = await kit.user();
    const [first, second] = [await login(user), await login(user)];
    const both = [await subscribed(first.accessToken), await subscribed(second.accessToken)];
    const other = await subscribed((await login(await kit.user())).accessToken);
    await kit.http('mutation { logoutAll }', { headers: { authorization: `Bearer ${first.accessToken}` } });
    expect(await Promise.all(both.map((socket) => socket.closed))).toEqual([
      { code: 4403, reason: 'Session revoked' },
      { code: 4403, reason: 'Session revoked' },
    ]);
    await stillOpen(other);
  });

  it('closes the sockets of a session whose refresh token was replayed (family revoked)', async () => {
    const session = await login(await kit.user());
    const socket = await subscribed(session.accessToken);
    const refresh = 'mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { refreshToken } }';
    await kit.http(refresh, { variables: { token: session.refreshToken } });
    const replay = await kit.http(refresh, { variables: { token: session.refreshToken } });
    expect(replay.body.errors?.[0]?.extensions?.reason).toBe('reused');
    expect(await socket.closed).toEqual({ code: 4403, reason: 'Session revoked' });
  });

  it('closes every socket of a user an admin disables, with 4403 User disabled', async () => {
    const user = await kit.user();
    const admin = await kit.user({ roles: ['admin'] });
    const socket = await subscribed((await login(user)).accessToken);
    const disabled = await kit.http('mutation ($id: ID!) { setUserDisabled(input: { userId: $id, disabled: true }) { id } }', { as: admin, variables: { id: user.user.id } });
    expect(disabled.body.errors).toBeUndefined();
    expect(await socket.closed).toEqual({ code: 4403, reason: 'User disabled' });
  });

  it('closes, within the recheck interval, the socket of a user disabled by a process that announced nothing (the CLI without Redis)', async () => {
    const user = await kit.user();
    const socket = await subscribed((await login(user)).accessToken);
    // The CLI's services, without a pub/sub: only the database changes.
    const { tokens } = kit.server.services;
    const cli = new UsersService(kit.db.prisma, new RefreshTokenStore(kit.db.prisma, tokens, 3600, 0), 100);
    const started = Date.now();
    await cli.setUserDisabled({ userId: user.user.id, disabled: true });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'User disabled' });
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('counts every socket closed, by reason', async () => {
    const expected = [/graphql_ws_sockets_closed_total\{reason="unauthorized"\} 3\n/, /graphql_ws_sockets_closed_total\{reason="session-revoked"\} 4\n/, /graphql_ws_sockets_closed_total\{reason="user-disabled"\} 2\n/];
    // The server counts a socket once its close handshake is done, a moment after the client saw the close.
    let metrics = '';
    for (let attempt = 0; attempt < 50 && !expected.every((line) => line.test(metrics)); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      metrics = await kit.server.metrics.registry.metrics();
    }
    for (const line of expected) expect(metrics).toMatch(line);
  });
});

describe('a socket opened with a short-lived token', () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestServer({ ACCESS_TOKEN_TTL: '2s' });
  });
  afterAll(() => kit?.close());

  it('closes with 4403 Token expired when its access token expires (ACCESS_TOKEN_TTL=2s), public subscriptions included', async () => {
    const user = await kit.user();
    const { accessToken } = (await kit.http<{ login: Session }>(LOGIN, { variables: { email: user.user.email, password: TEST_PASSWORD } })).body.data!.login;
    const socket = await openSocket(kit.url);
    await socket.init({ authorization: `Bearer ${accessToken}` });
    const opened = Date.now();
    socket.subscribe('menu', MENU_CHANGES);
    socket.subscribe('tasks', 'subscription { taskChanged { kind } }');
    expect(await socket.closed).toEqual({ code: 4403, reason: 'Token expired' });
    expect(Date.now() - opened).toBeLessThan(2_500);
    // Reconnecting with the same token is closed at once: the client must refresh first.
    const again = await openSocket(kit.url);
    await expect(again.init({ authorization: `Bearer ${accessToken}` })).rejects.toMatchObject({ code: 4403 });
  });
});
