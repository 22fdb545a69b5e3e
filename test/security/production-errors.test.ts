/**
 * What a production server tells a stranger: no introspection, no field suggestions, no
 * landing page, and for a failing database a bare INTERNAL_SERVER_ERROR with no SQL, no
 * Prisma detail and no stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawRequest } from './helpers.js';

// Arbitrary documents, as an attacker would send them: production's trusted-documents check (on by
// default, test/security/trusted-documents.test.ts) would refuse them before these defences are reached.
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!', TRUSTED_DOCUMENTS: 'off' };
const LEAKS = /select|insert|from\s+"|relation|does not exist|prisma|P20\d\d|pglite|postgres|\bat\s+\S+\.(ts|js):\d+|stack/i;

describe('a production server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(PRODUCTION);
  });
  afterAll(() => server?.close());

  it('refuses introspection (__schema and __type) → 400, while __typename still works', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "User") { fields { name } } }']) {
      const response = await server.graphql(query);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/introspection is not allowed/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    }
    expect((await server.graphql('{ __typename }')).body.data).toEqual({ __typename: 'Query' });
  });

  it('gives no field suggestions ("Did you mean …?") that would map the schema', async () => {
    const response = await server.graphql('{ publicMessage { txt } menuItem(id: "x") { nme } }');
    expect(response.status).toBe(400);
    expect(response.body.errors!.map((error) => error.message)).toEqual(['Cannot query field "txt" on type "Message".', 'Cannot query field "nme" on type "MenuItem".']);
  });

  it('sends a Content-Security-Policy: scripts from its own origin only, no plugins, no framing by other sites', async () => {
    const response = await rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    const policy = Object.fromEntries((response.headers.get('content-security-policy') ?? '').split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(policy).toMatchObject({ 'default-src': ["'self'"], 'script-src': ["'self'"], 'object-src': ["'none'"], 'frame-ancestors': ["'self'"] });
  });

  it('serves no landing page', async () => {
    const response = await rawRequest(server, { method: 'GET', headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(response.text).not.toMatch(/<html|sandbox/i);
  });
});

describe('a development server, for contrast', () => {
  it('does suggest fields (so the production test above would fail without its defence)', async () => {
    const server = await startTestServer();
    try {
      const response = await server.graphql('{ publicMessage { txt } }');
      expect(response.body.errors?.[0]?.message).toBe('Cannot query field "txt" on type "Message". Did you mean "text"?');
    } finally {
      await server.close();
    }
  });
});

describe('a database error', () => {
  for (const [name, env] of [['production', PRODUCTION], ['development', {}]] as const) {
    it(`surfaces as INTERNAL_SERVER_ERROR with no SQL, Prisma detail or stack trace (${name})`, async () => {
      const server = await startTestServer(env);
      try {
        const { token } = await server.createUser();
        await server.db.sql.query('DROP TABLE tasks');
        const response = await server.graphql('{ myTasks { edges { node { id title } } } publicMessage { text } }', { token });
        expect(response.status).toBe(200);
        expect(response.body.errors).toEqual([{ message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['myTasks'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
        // The failed field is null (it is nullable, being guarded); its sibling still answers.
        expect(response.body.data).toEqual({ myTasks: null, publicMessage: { text: 'This is a public message.' } });
        expect(JSON.stringify(response.body)).not.toMatch(LEAKS);

        const write = await server.graphql('mutation { createTask(input: { title: "x" }) { id } }', { token });
        expect(write.body.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
        expect(JSON.stringify(write.body)).not.toMatch(LEAKS);
      } finally {
        await server.close();
      }
    });
  }
});
