/**
 * The front door (src/server/front-door.ts) reads JSON POSTs to /graphql itself instead of Express's
 * router, body parser, helmet and CORS. Whatever it takes or leaves, a client must not see the
 * difference: each request below is sent, as raw bytes, to a server with the front door and to one
 * without it (same database, same keys, same settings), and the two answers must be the same —
 * status, every header but Date, and body.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifest from '../client/generated/trusted-documents.json' with { type: 'json' };
import { startTestServer, type TestServer } from './helpers/server.js';

interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over its own connection, with exactly the headers given (Node adds Host and Connection). */
function send(server: TestServer, { method = 'POST', path = '/graphql', headers = {}, body }: RawRequest): Promise<RawResponse> {
  const target = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const request = http.request(target, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const json = (value: unknown, headers: Record<string, string> = {}): RawRequest => ({ headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) });
const MENU = 'query Menu { menuItems(first: 2) { edges { node { name price } } } }';
const PUBLIC = '{ publicMessage { text } }';
const ALLOWED_ORIGIN = 'https://app.example.com';
/** The manifest's MenuItems query (client/generated/trusted-documents.json): public, so its answers are cached. */
const MENU_ITEMS_DOCUMENT = `sha256:${Object.entries(manifest).find(([, entry]) => entry.operationName === 'MenuItems')![0]}`;

function comparable({ status, headers, body }: RawResponse) {
  const { date: _date, ...rest } = headers;
  return { status, headers: rest, body };
}

describe('the front door', () => {
  const settings = { CLIENT_ORIGIN_URL: ALLOWED_ORIGIN, GRAPHQL_MAX_BODY_BYTES: '2048', GRAPHQL_MAX_QUERY_LENGTH: '600' };
  let withFrontDoor: TestServer;
  let expressOnly: TestServer;
  let admin: string;

  beforeAll(async () => {
    withFrontDoor = await startTestServer(settings);
    expressOnly = await startTestServer(settings, { db: withFrontDoor.db, app: { frontDoor: false } });
    admin = (await withFrontDoor.createUser({ roles: ['admin'] })).token;
    await withFrontDoor.db.prisma.menuItem.createMany({ data: [1, 2, 3].map((n) => ({ name: `Dish ${n}`, price: 100 * n, description: 'Good', image: `https://cdn.example.com/${n}.png` })) });
  });
  afterAll(async () => {
    await expressOnly?.server.stop();
    await withFrontDoor?.close();
  });

  async function sendToBoth(request: RawRequest) {
    const requestId = `case-${Math.random().toString(36).slice(2)}`;
    const withId = { ...request, headers: { ...request.headers, 'x-request-id': requestId } };
    // Twice to the front door's server: the first request teaches the compiled-query fast path the query.
    await send(withFrontDoor, withId);
    return { viaFrontDoor: await send(withFrontDoor, withId), viaExpress: await send(expressOnly, withId) };
  }

  const cases: [string, () => RawRequest, number][] = [
    ['an anonymous query', () => json({ query: PUBLIC }), 200],
    ['a signed-in query', () => json({ query: MENU, operationName: 'Menu' }, { authorization: `Bearer ${admin}` }), 200],
    ['a query from an allowed origin', () => json({ query: PUBLIC }, { origin: ALLOWED_ORIGIN }), 200],
    ['a query from an origin not allowed', () => json({ query: PUBLIC }, { origin: 'https://evil.example' }), 200],
    ['a UTF-8 charset, spelled in capitals', () => json({ query: PUBLIC }, { 'content-type': 'application/json; charset=UTF-8' }), 200],
    ['a body that starts with a byte-order mark', () => ({ headers: { 'content-type': 'application/json' }, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ query: PUBLIC }))]) }), 200],
    ['malformed JSON', () => ({ headers: { 'content-type': 'application/json' }, body: '{"query": ' }), 400],
    ['a JSON string instead of an object', () => ({ headers: { 'content-type': 'application/json' }, body: '"{ publicMessage { text } }"' }), 400],
    ['a batch (a JSON array)', () => json([{ query: PUBLIC }, { query: PUBLIC }]), 400],
    ['a body over GRAPHQL_MAX_BODY_BYTES', () => json({ query: PUBLIC, variables: { padding: 'x'.repeat(3000) } }), 413],
    ['a query over GRAPHQL_MAX_QUERY_LENGTH', () => json({ query: `{ publicMessage { text } } # ${'x'.repeat(700)}` }), 400],
    ['a bad token', () => json({ query: PUBLIC }, { authorization: 'Bearer not-a-token' }), 401],
    ['a denied field', () => json({ query: '{ adminMessage { text } }' }), 200],
    ['a failed login (a mutation)', () => json({ query: 'mutation { login(input: { email: "nobody@example.com", password: "wrong-password" }) { accessToken } }' }), 200],
    ['a UTF-16 body, which only Express decodes', () => ({ headers: { 'content-type': 'application/json; charset=utf-16le' }, body: Buffer.from(JSON.stringify({ query: PUBLIC }), 'utf16le') }), 200],
    ['a text/plain body (a CSRF attempt)', () => ({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: PUBLIC }) }), 400],
    ['a GET query', () => ({ method: 'GET', path: `/graphql?query=${encodeURIComponent(PUBLIC)}`, headers: { 'apollo-require-preflight': 'true' } }), 200],
    ['a POST below /graphql', () => ({ ...json({ query: PUBLIC }), path: '/graphql/other' }), 200],
    ['a POST to another path', () => ({ ...json({ query: PUBLIC }), path: '/other' }), 404],
  ];

  it.each(cases)('answers %s exactly as Express does', async (_name, request, status) => {
    const { viaFrontDoor, viaExpress } = await sendToBoth(request());
    expect(viaFrontDoor.status).toBe(status);
    expect(comparable(viaFrontDoor)).toEqual(comparable(viaExpress));
  });

  it('sends helmet’s headers and CORS’s on the answers it gives itself', async () => {
    const { viaFrontDoor } = await sendToBoth(json({ query: PUBLIC }, { origin: ALLOWED_ORIGIN }));
    expect(viaFrontDoor.headers).toMatchObject({
      'access-control-allow-origin': ALLOWED_ORIGIN,
      vary: 'Origin',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-frame-options': 'SAMEORIGIN',
    });
    expect(viaFrontDoor.headers['x-powered-by']).toBeUndefined();
  });
});

describe('what the front door takes from Express', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    // Express answers 418 from now on: whatever still answers normally never went through it.
    (server.server.app as unknown as { handle: http.RequestListener }).handle = (_req, res) => {
      res.statusCode = 418;
      res.end();
    };
  });
  afterAll(() => server?.close());

  it('answers a JSON POST to /graphql itself, and leaves every other request to Express', async () => {
    expect((await send(server, json({ query: PUBLIC }))).status).toBe(200);
    expect((await send(server, json({ query: PUBLIC }, { 'content-type': 'application/json; charset=utf-8' }))).status).toBe(200);
    expect((await send(server, { headers: { 'content-type': 'application/json' }, body: 'not json' })).status).toBe(400);
    expect((await send(server, { method: 'GET', path: '/health' })).status).toBe(418);
    expect((await send(server, { method: 'GET', path: `/graphql?query=${encodeURIComponent(PUBLIC)}` })).status).toBe(418);
    expect((await send(server, { ...json({ query: PUBLIC }), path: '/graphql?x=1' })).status).toBe(418);
    expect((await send(server, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'compressed' })).status).toBe(418);
    expect((await send(server, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: JSON.stringify({ query: PUBLIC }) })).status).toBe(418);
  });
});

describe('the front door of a production server', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!', RESPONSE_CACHE: 'on', TRUSTED_DOCUMENTS: 'enforce' };
  let withFrontDoor: TestServer;
  let expressOnly: TestServer;

  beforeAll(async () => {
    withFrontDoor = await startTestServer(production);
    expressOnly = await startTestServer(production, { db: withFrontDoor.db, app: { frontDoor: false } });
  });
  afterAll(async () => {
    await expressOnly?.server.stop();
    await withFrontDoor?.close();
  });

  it('answers a response-cache hit with the Content-Security-Policy and every other header Express sends', async () => {
    const request = json({ documentId: MENU_ITEMS_DOCUMENT, variables: { first: 2 } });
    await send(withFrontDoor, request);
    await send(expressOnly, request);
    const [viaFrontDoor, viaExpress] = [await send(withFrontDoor, request), await send(expressOnly, request)];
    expect(viaFrontDoor.status).toBe(200);
    expect(viaFrontDoor.headers['content-security-policy']).toContain("default-src 'self'");
    const { 'x-request-id': _a, ...frontDoorHeaders } = comparable(viaFrontDoor).headers;
    const { 'x-request-id': _b, ...expressHeaders } = comparable(viaExpress).headers;
    expect(frontDoorHeaders).toEqual(expressHeaders);
    expect(viaFrontDoor.body).toBe(viaExpress.body);
  });

  /** Twice to each server, so that the second request to each is a hit; the second answers are compared. */
  async function hitOnBoth(request: RawRequest) {
    const withId = { ...request, headers: { ...request.headers, 'x-request-id': `hit-${Math.random().toString(36).slice(2)}` } };
    await send(withFrontDoor, withId);
    await send(expressOnly, withId);
    return { viaFrontDoor: await send(withFrontDoor, withId), viaExpress: await send(expressOnly, withId) };
  }

  it.each([
    ['from an Origin that is not allowed', { origin: 'https://evil.example' }, 200],
    ['with its manifest text instead of its hash', {}, 200],
    ['with a bad token', { authorization: 'Bearer not-a-token' }, 401],
  ] as const)('answers a cacheable read %s exactly as Express does', async (name, headers, status) => {
    const body = name.includes('manifest text')
      ? { query: manifest[MENU_ITEMS_DOCUMENT.slice('sha256:'.length) as keyof typeof manifest].document, operationName: 'MenuItems', variables: { first: 2 } }
      : { documentId: MENU_ITEMS_DOCUMENT, variables: { first: 2 } };
    const { viaFrontDoor, viaExpress } = await hitOnBoth(json(body, headers));
    expect(viaFrontDoor.status).toBe(status);
    expect(comparable(viaFrontDoor)).toEqual(comparable(viaExpress));
  });

  it('refuses a document outside the manifest, as Express does', async () => {
    const request = json({ query: PUBLIC });
    const [viaFrontDoor, viaExpress] = [await send(withFrontDoor, request), await send(expressOnly, request)];
    expect(viaFrontDoor.status).toBe(400);
    expect(JSON.parse(viaFrontDoor.body).errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(comparable(viaFrontDoor)).toEqual(comparable(viaExpress));
  });
});
