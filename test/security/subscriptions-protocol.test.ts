/**
 * graphql-ws sockets under attack: malformed and out-of-order protocol messages get graphql-ws's own
 * close codes; over-long messages, too many subscriptions or sockets, silent peers and slow readers
 * hit their limits; the same document limits as HTTP apply to `subscribe`. Through all of it, a
 * well-behaved socket on the same server keeps receiving its events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestKit } from '../kit/index.js';
import { listening, openSocket, until, type TestSocket } from '../helpers/subscriptions.js';

const MENU_CHANGES = 'subscription { menuItemChanged { kind item { name } } }';
const ITEM = { id: '00000000-0000-4000-8000-000000000001', name: 'Probe', price: 100, description: 'x', image: 'https://example.com/p.png' };

describe('graphql-ws protocol abuse and limits', () => {
  let kit: TestKit;
  let healthy: TestSocket;
  const sockets: TestSocket[] = [];
  const open = async (init = true) => {
    const socket = await openSocket(kit.url);
    sockets.push(socket);
    if (init) await socket.init();
    return socket;
  };
  const closedReasons = async (reason: string) => {
    const text = await kit.server.metrics.registry.metrics();
    return Number(new RegExp(`graphql_ws_sockets_closed_total\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    kit = await startTestServer({
      SUBSCRIPTIONS_MAX_PER_SOCKET: '2',
      SUBSCRIPTIONS_MAX_SOCKETS_PER_VIEWER: '2',
      SUBSCRIPTIONS_MAX_SOCKETS_PER_ADDRESS: '40',
      SUBSCRIPTIONS_MAX_PAYLOAD_BYTES: '4096',
      SUBSCRIPTIONS_MAX_BUFFERED_BYTES: '262144',
      SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT: '1s',
      SUBSCRIPTIONS_KEEPALIVE: '1s',
    });
    healthy = await open();
    healthy.subscribe('menu', MENU_CHANGES);
    await listening(kit.server, 1);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await kit?.close();
  });

  it.each([
    ['malformed JSON', (socket: TestSocket) => socket.send('{not json'), 4400],
    ['an unknown message type', (socket: TestSocket) => socket.send({ type: 'take_over' }), 4400],
    ['a subscribe without a query', (socket: TestSocket) => socket.send({ id: '1', type: 'subscribe', payload: {} }), 4400],
    ['a second connection_init', (socket: TestSocket) => socket.send({ type: 'connection_init' }), 4429],
    ['a subscribe id already in use', (socket: TestSocket) => [1, 2].forEach(() => socket.subscribe('same', MENU_CHANGES)), 4409],
  ])('closes a socket that sends %s with graphql-ws\'s code', async (_name, misbehave, code) => {
    const socket = await open();
    misbehave(socket);
    expect((await socket.closed).code).toBe(code);
  });

  it('closes with 4401 a socket that subscribes before connection_ack, and with 4408 one that never sends connection_init', async () => {
    const early = await open(false);
    early.subscribe('1', MENU_CHANGES);
    expect((await early.closed).code).toBe(4401);
    const silent = await open(false);
    expect(await silent.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('closes with 4406 a socket without the graphql-transport-ws subprotocol', async () => {
    const legacy = new WebSocket(`${kit.url.replace('http', 'ws')}/graphql`);
    const closed = await new Promise<number>((resolve) => legacy.once('close', (code) => resolve(code)));
    expect(closed).toBe(4406);
  });

  it('ignores a complete for an unknown id, and closes with 1009 a message over SUBSCRIPTIONS_MAX_PAYLOAD_BYTES', async () => {
    const socket = await open();
    socket.send({ id: 'never-started', type: 'complete' });
    socket.send({ type: 'ping' });
    await until(() => (socket.messages.some((message) => message.type === 'pong') ? true : undefined), 2_000, 'pong');
    socket.subscribe('big', `subscription { menuItemChanged { kind ${'__typename '.repeat(400)} } }`);
    expect((await socket.closed).code).toBe(1009);
  });

  it('answers a query or mutation sent over the socket with BAD_REQUEST, and the socket goes on', async () => {
    const socket = await open();
    socket.subscribe('q', '{ publicMessage { text } }');
    expect((await socket.error('q'))[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('applies the anonymous tier\'s alias limit, the parser and validation to subscribe messages, as on HTTP', async () => {
    const socket = await open();
    socket.subscribe('aliases', `subscription { menuItemChanged { ${Array.from({ length: 6 }, (_, index) => `a${index}: kind`).join(' ')} } }`);
    socket.subscribe('syntax', 'subscription { menuItemChanged {');
    socket.subscribe('unknown', 'subscription { menuItemChanged { secret } }');
    expect((await socket.error('aliases'))[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect((await socket.error('aliases'))[0]!.message).toMatch(/Aliases limit of 5 exceeded/);
    expect((await socket.error('syntax'))[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect((await socket.error('unknown'))[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('refuses a subscription past SUBSCRIPTIONS_MAX_PER_SOCKET, and takes one again after a complete', async () => {
    const socket = await open();
    const before = kit.server.subscriptions.listening;
    socket.subscribe('1', MENU_CHANGES);
    socket.subscribe('2', MENU_CHANGES);
    await listening(kit.server, before + 2);
    socket.subscribe('3', MENU_CHANGES);
    expect((await socket.error('3'))[0]).toMatchObject({ extensions: { code: 'SUBSCRIPTION_LIMIT' } });
    socket.send({ id: '1', type: 'complete' });
    await until(() => (kit.server.subscriptions.listening === before + 1 ? true : undefined), 2_000, 'the complete');
    socket.subscribe('4', MENU_CHANGES);
    await listening(kit.server, before + 2);
  });

  it('closes with 1008 a viewer\'s socket past SUBSCRIPTIONS_MAX_SOCKETS_PER_VIEWER', async () => {
    const { token } = await kit.user();
    const params = { authorization: `Bearer ${token}` };
    for (const _ of [1, 2]) await (await open(false)).init(params);
    await expect((await open(false)).init(params)).rejects.toMatchObject({ code: 1008, reason: 'Too many sockets for this viewer' });
  });

  it('drops a peer that stops answering pings (SUBSCRIPTIONS_KEEPALIVE)', async () => {
    const before = await closedReasons('keepalive-timeout');
    const socket = await open();
    // The peer stops reading: no ping reaches it, so no pong comes back.
    (socket.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let waited = 0; waited < 60 && (await closedReasons('keepalive-timeout')) === before; waited += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await closedReasons('keepalive-timeout')).toBe(before + 1);
  });

  it('drops a slow reader once SUBSCRIPTIONS_MAX_BUFFERED_BYTES are queued for it, instead of buffering without bound', async () => {
    const before = await closedReasons('slow-consumer');
    const slow = await open();
    const listeningBefore = kit.server.subscriptions.listening;
    slow.subscribe('1', MENU_CHANGES);
    slow.subscribe('2', MENU_CHANGES);
    await listening(kit.server, listeningBefore + 2);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Published by the domain directly, past the service's validation: 20 KB an event fills the socket's buffers fast.
    const item = { ...ITEM, name: 'n'.repeat(20_000) };
    // 20 MB for the paused reader: more than the kernel's socket buffers on both ends hold.
    // One event per turn of the event loop, as mutations arriving over HTTP would be: readers that read keep up.
    for (let sent = 0; sent < 500; sent += 1) {
      await kit.server.services.events.menu.itemChanged('UPDATED', item);
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (let waited = 0; waited < 100 && (await closedReasons('slow-consumer')) === before; waited += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await closedReasons('slow-consumer')).toBe(before + 1);
  });

  it('refuses the upgrade with 429 past SUBSCRIPTIONS_MAX_SOCKETS_PER_ADDRESS', async () => {
    let refused: Error | undefined;
    for (let attempt = 0; attempt < 45 && !refused; attempt += 1) {
      try {
        sockets.push(await openSocket(kit.url));
      } catch (error) {
        refused = error as Error;
      }
    }
    expect(refused?.message).toBe('upgrade refused: 429');
    // Closing some frees the address again.
    await Promise.all(sockets.splice(-5).map((socket) => socket.close()));
    sockets.push(await openSocket(kit.url));
  });

  it('kept delivering to the well-behaved socket through all of it', async () => {
    await kit.server.services.events.menu.itemChanged('CREATED', { ...ITEM, name: 'Still here' });
    const events = await until(() => {
      const found = healthy.messages.filter((message) => message.type === 'next' && (message.payload as { data: { menuItemChanged: { item: { name: string } } } }).data.menuItemChanged.item.name === 'Still here');
      return found.length > 0 ? found : undefined;
    }, 5_000, 'the event');
    expect(events).toHaveLength(1);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
  });
});
