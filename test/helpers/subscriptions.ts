/**
 * Real graphql-ws sockets for tests: the protocol spoken by hand over `ws` (so a test sees every
 * message and the close code), and a wait for the server to be listening on a subscription.
 */
import WebSocket from 'ws';
import type { App } from '../../src/server/app.js';

export interface Closed {
  code: number;
  reason: string;
}

export interface ProtocolMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

export interface TestSocket {
  ws: WebSocket;
  /** Every message the server sent, in order. */
  messages: ProtocolMessage[];
  closed: Promise<Closed>;
  /** Sends connection_init and resolves on connection_ack, or rejects with the close code. */
  init(payload?: Record<string, unknown>): Promise<void>;
  send(message: unknown): void;
  subscribe(id: string, query: string, variables?: Record<string, unknown>, extra?: Record<string, unknown>): void;
  /** The payloads of `next` messages for `id` (waits until there are `count`). */
  next(id: string, count?: number, timeoutMs?: number): Promise<{ data?: Record<string, unknown>; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] }[]>;
  /** The `error` message for `id`. */
  error(id: string, timeoutMs?: number): Promise<{ message: string; extensions?: Record<string, unknown> }[]>;
  close(): Promise<void>;
}

const wsUrl = (httpUrl: string) => `${httpUrl.replace(/^http/, 'ws')}/graphql`;

async function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function openSocket(httpUrl: string, { headers, protocol = 'graphql-transport-ws' }: { headers?: Record<string, string>; protocol?: string } = {}): Promise<TestSocket> {
  const ws = new WebSocket(wsUrl(httpUrl), protocol, { headers });
  const messages: ProtocolMessage[] = [];
  let closedWith: Closed | undefined;
  const closed = new Promise<Closed>((resolve) => ws.once('close', (code, reason) => resolve((closedWith = { code, reason: reason.toString() }))));
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as ProtocolMessage));
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    ws.once('close', () => reject(new Error('closed before opening')));
  });
  const socket: TestSocket = {
    ws,
    messages,
    closed,
    async init(payload) {
      ws.send(JSON.stringify({ type: 'connection_init', ...(payload && { payload }) }));
      const outcome = await until(() => (messages.some((message) => message.type === 'connection_ack') ? 'acknowledged' : closedWith ? 'closed' : undefined), 5_000, 'connection_ack');
      if (outcome === 'closed') throw Object.assign(new Error(`closed with ${closedWith!.code} ${closedWith!.reason}`), closedWith);
    },
    send(message) {
      ws.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    subscribe(id, query, variables, extra = {}) {
      ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, ...(variables && { variables }), ...extra } }));
    },
    async next(id, count = 1, timeoutMs = 5_000) {
      return until(() => {
        const found = messages.filter((message) => message.type === 'next' && message.id === id).map((message) => message.payload as never);
        return found.length >= count ? found : undefined;
      }, timeoutMs, `${count} next message(s) for ${id}`);
    },
    async error(id, timeoutMs = 5_000) {
      return until(() => messages.find((message) => message.type === 'error' && message.id === id)?.payload as never, timeoutMs, `an error message for ${id}`);
    },
    async close() {
      if (ws.readyState === ws.OPEN) ws.close(1000);
      await closed;
    },
  };
  return socket;
}

/** Resolves once the server has `count` subscriptions listening for events. */
export function listening(server: App, count: number, timeoutMs = 5_000): Promise<true> {
  return until(() => (server.subscriptions.listening >= count ? true : undefined), timeoutMs, `${count} listening subscription(s)`);
}

export { until };
