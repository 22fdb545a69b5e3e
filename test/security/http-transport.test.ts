/**
 * The HTTP layer in front of GraphQL: CSRF prevention for simple requests, no batching,
 * body limits, CORS restricted to CLIENT_ORIGIN_URL, and helmet's headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawRequest, SIGNUP } from './helpers.js';

const CSRF_BLOCKED = /^This operation has been blocked as a potential Cross-Site Request Forgery \(CSRF\)/;

describe('HTTP transport', () => {
  let server: TestServer;
  const signupBody = (email: string) => JSON.stringify({ query: SIGNUP, variables: { input: { email, password: 'a long enough passphrase', fullName: 'CSRF' } } });
  const userExists = async (email: string) => (await server.db.prisma.user.count({ where: { email } })) > 0;

  beforeAll(async () => {
    server = await startTestServer({ CLIENT_ORIGIN_URL: 'https://app.example.com, https://admin.example.com' });
  });
  afterAll(() => server?.close());

  it('refuses a mutation sent as a simple request (text/plain, form-encoded, multipart) as CSRF → 400, nothing runs', async () => {
    for (const [index, contentType] of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'].entries()) {
      const email = `csrf${index}@example.com`;
      const response = await rawRequest(server, { method: 'POST', headers: { 'content-type': contentType }, body: signupBody(email) });
      expect(response.status).toBe(400);
      expect(response.body?.errors?.[0]?.message).toMatch(CSRF_BLOCKED);
      expect(await userExists(email)).toBe(false);
    }
  });

  it('refuses a GET query without a preflight-forcing header as CSRF → 400; with apollo-require-preflight it is answered', async () => {
    const search = `?query=${encodeURIComponent('{ publicMessage { text } }')}`;
    const simple = await rawRequest(server, { method: 'GET', search });
    expect(simple.status).toBe(400);
    expect(simple.body?.errors?.[0]?.message).toMatch(CSRF_BLOCKED);
    const preflighted = await rawRequest(server, { method: 'GET', search, headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(preflighted.body?.data).toEqual({ publicMessage: { text: 'This is a public message.' } });
  });

  it('refuses a mutation over GET → 405, even with the preflight header', async () => {
    const email = 'get-mutation@example.com';
    const search = `?query=${encodeURIComponent(`mutation { signup(input: { email: "${email}", password: "a long enough passphrase", fullName: "G" }) { accessToken } }`)}`;
    const response = await rawRequest(server, { method: 'GET', search, headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
    expect(await userExists(email)).toBe(false);
  });

  it('refuses a JSON array batch → 400 "Operation batching disabled.", and runs none of it', async () => {
    const batch = [JSON.parse(signupBody('batch1@example.com')), JSON.parse(signupBody('batch2@example.com'))];
    const response = await rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    expect(response.status).toBe(400);
    expect(response.body?.errors).toEqual([{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }]);
    expect(await userExists('batch1@example.com')).toBe(false);
  });

  it('refuses a body over 100 KB → 413, and answers malformed JSON with 400, never a stack trace', async () => {
    const big = await rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(101 * 1024) } }) });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ message: 'Payload Too Large' });
    const malformed = await rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ message: 'Bad Request' });
  });

  it('allows CORS only for the configured origins (a comma-separated list)', async () => {
    const preflight = (origin: string) =>
      rawRequest(server, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    for (const origin of ['https://app.example.com', 'https://admin.example.com']) {
      const allowed = await preflight(origin);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    }
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null']) {
      const refused = await preflight(origin);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
    const simple = await rawRequest(server, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends helmet\'s security headers and no X-Powered-By', async () => {
    const response = await rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('HTTP limits are settings', () => {
  it('applies GRAPHQL_MAX_BODY_BYTES and HTTP_MAX_HEADER_BYTES', async () => {
    const server = await startTestServer({ GRAPHQL_MAX_BODY_BYTES: '1024', HTTP_MAX_HEADER_BYTES: '4096' });
    try {
      const post = (body: string, headers: Record<string, string> = {}) => rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect((await post(JSON.stringify({ query: '{ __typename }' }))).status).toBe(200);
      expect((await post(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1100) } }))).status).toBe(413);
      expect((await post(JSON.stringify({ query: '{ __typename }' }), { 'x-padding': 'x'.repeat(5000) })).status).toBe(431);
    } finally {
      await server.close();
    }
  });
});
