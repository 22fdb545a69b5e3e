/** Apollo Sandbox and introspection: open in development, off in production unless asked for. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createTestDatabase } from './helpers/database.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// Arbitrary documents, as an attacker would send them: production's trusted-documents check (on by
// default, test/security/trusted-documents.test.ts) would refuse them before these defences are reached.
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!', TRUSTED_DOCUMENTS: 'off' };
const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';

const openInBrowser = (server: TestServer) => fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });

describe('Apollo Sandbox and introspection', () => {
  let database: Database;
  let server: TestServer | undefined;
  // One database for the three servers: each test closes its server, not the database.
  const start = (env: Record<string, string>) => startTestServer(env, { db: { ...database, close: async () => {} } });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(() => database?.close());

  it('serves the Sandbox landing page at /graphql to a browser in development, with introspection on', async () => {
    server = await start({ NODE_ENV: 'development' });
    const page = await openInBrowser(server);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('embeddable-sandbox.cdn.apollographql.com');
    expect(html).toContain('EmbeddedSandbox');

    const introspection = await server.graphql<{ __schema: { queryType: { name: string } } }>(INTROSPECTION);
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data?.__schema.queryType.name).toBe('Query');
  });

  it('serves no landing page in production and refuses introspection, while ordinary queries still work', async () => {
    server = await start(PRODUCTION);
    const page = await openInBrowser(server);
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await page.text()).not.toMatch(/sandbox/i);

    const introspection = await server.graphql(INTROSPECTION);
    expect(introspection.body.data ?? undefined).toBeUndefined();
    expect(introspection.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/introspection is not allowed/i),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect((await server.graphql('{ publicMessage { text } }')).body.data).toEqual({ publicMessage: { text: expect.any(String) } });
  });

  it('answers introspection in production when INTROSPECTION=true, still without a landing page', async () => {
    server = await start({ ...PRODUCTION, INTROSPECTION: 'true' });
    const introspection = await server.graphql<{ __schema: { types: { name: string }[] } }>(INTROSPECTION);
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data?.__schema.types.map((type) => type.name)).toContain('MenuItem');
    expect(await (await openInBrowser(server)).text()).not.toMatch(/sandbox/i);
  });
});
