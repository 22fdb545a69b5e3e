/**
 * Trusted documents over real HTTP: production refuses any document not in the manifest before
 * parsing it and runs the manifest's by hash (documentId, Apollo's persistedQuery, GET or POST);
 * automatic persisted queries cannot add one; TRUSTED_DOCUMENTS_ALLOW_ARBITRARY lets chosen
 * permissions through; `log` runs everything and names each unknown document once.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifestJson from '../../client/generated/trusted-documents.json' with { type: 'json' };
import { loadConfig } from '../../src/config.js';
import type { TrustedDocumentsManifest } from '../../scripts/codegen/trusted-documents.js';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawRequest } from './helpers.js';

const manifest = manifestJson as TrustedDocumentsManifest;
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!' };
const hashOf = (name: string) => Object.entries(manifest).find(([, entry]) => entry.operationName === name)![0];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ARBITRARY = '{ publicMessage { text } }';

const post = (server: TestServer, body: unknown, token?: string) =>
  rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) });

describe('a production server, out of the box (TRUSTED_DOCUMENTS defaults to enforce)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(PRODUCTION);
  });
  afterAll(() => server?.close());

  it('refuses an arbitrary document with TRUSTED_DOCUMENT_REQUIRED, before parsing it (a syntax error gets the same answer)', async () => {
    for (const query of [ARBITRARY, '{ publicMessage { text ']) {
      const response = await post(server, { query });
      expect(response.status).toBe(400);
      expect(response.body?.errors).toEqual([{ message: expect.stringMatching(/^Only trusted documents run here/), extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' } }]);
    }
    const viaGet = await rawRequest(server, { method: 'GET', headers: { 'apollo-require-preflight': 'true' }, search: `?query=${encodeURIComponent(ARBITRARY)}` });
    expect(viaGet.status).toBe(400);
    expect(viaGet.body?.errors?.[0]?.extensions).toEqual({ code: 'TRUSTED_DOCUMENT_REQUIRED' });
  });

  it('runs a manifest document by documentId, by Apollo persistedQuery hash, over GET, and as its exact text', async () => {
    const hash = hashOf('MenuItems');
    const expected = { data: { __typename: 'Query', menuItems: expect.objectContaining({ edges: expect.any(Array) }) } };
    expect((await post(server, { documentId: `sha256:${hash}` })).body).toEqual(expected);
    expect((await post(server, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })).body).toEqual(expected);
    const search = `?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }))}`;
    const viaGet = await rawRequest(server, { method: 'GET', headers: { 'apollo-require-preflight': 'true' }, search });
    expect(viaGet.status).toBe(200);
    expect(viaGet.body).toEqual(expected);
    expect((await post(server, { query: manifest[hash]!.document })).body).toEqual(expected);
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND', async () => {
    for (const body of [{ documentId: `sha256:${sha256(ARBITRARY)}` }, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ARBITRARY) } } }]) {
      const response = await post(server, body);
      expect(response.status).toBe(400);
      expect(response.body?.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    }
  });

  it('lets no one register a document through automatic persisted queries', async () => {
    const persistedQuery = { version: 1, sha256Hash: sha256(ARBITRARY) };
    const register = await post(server, { query: ARBITRARY, extensions: { persistedQuery } });
    expect(register.status).toBe(400);
    expect(register.body?.errors?.[0]?.extensions).toEqual({ code: 'TRUSTED_DOCUMENT_REQUIRED' });
    expect((await post(server, { extensions: { persistedQuery } })).body?.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND' });
  });

  it('refuses a manifest hash sent with another document in place of its own', async () => {
    const response = await post(server, { query: ARBITRARY, documentId: hashOf('MenuItems') });
    expect(response.body?.errors?.[0]?.extensions).toEqual({ code: 'TRUSTED_DOCUMENT_REQUIRED' });
  });
});

describe('TRUSTED_DOCUMENTS_ALLOW_ARBITRARY', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ ...PRODUCTION, TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: 'manage:users' });
  });
  afterAll(() => server?.close());

  it('lets a holder of a named permission send any document, and no one else', async () => {
    const { token: admin } = await server.createUser({ roles: ['admin'] });
    const { token: menuAdmin } = await server.createUser({ roles: ['menu-admin'] });
    // Twice: the second answer comes from the response cache, which holds it for the admin's permissions only.
    for (let attempt = 0; attempt < 2; attempt++) expect((await post(server, { query: ARBITRARY }, admin)).body).toEqual({ data: { publicMessage: { text: 'This is a public message.' } } });
    for (const token of [menuAdmin, undefined]) {
      const refused = await post(server, { query: ARBITRARY }, token);
      expect(refused.status).toBe(400);
      expect(refused.body?.errors?.[0]?.extensions).toEqual({ code: 'TRUSTED_DOCUMENT_REQUIRED' });
    }
  });

  it('answers a bad token with 401, not with a refusal of the document', async () => {
    const response = await post(server, { query: ARBITRARY }, 'not-a-token');
    expect(response.status).toBe(401);
    expect(response.body?.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('names only permissions of the catalog', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: 'manage:users,root' })).toThrow(
      /^Invalid configuration: TRUSTED_DOCUMENTS_ALLOW_ARBITRARY names an unknown permission "root"/,
    );
  });
});

describe('TRUSTED_DOCUMENTS=log', () => {
  it('runs an unknown document and logs it once, with its hash and operation name; a manifest document is not logged', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
        done();
      },
    });
    const server = await startTestServer({ ...PRODUCTION, TRUSTED_DOCUMENTS: 'log' }, { logger: pino({ level: 'info' }, sink) });
    try {
      const query = 'query Greeting { publicMessage { text } }';
      for (let attempt = 0; attempt < 2; attempt++) expect((await post(server, { query })).body).toEqual({ data: { publicMessage: { text: 'This is a public message.' } } });
      expect((await post(server, { documentId: hashOf('MenuItems') })).body?.errors).toBeUndefined();
      expect((await post(server, { query: manifest[hashOf('MenuItems')]!.document })).body?.errors).toBeUndefined();
      const unknown = lines.filter((line) => typeof line.msg === 'string' && line.msg.startsWith('unknown document'));
      expect(unknown).toEqual([expect.objectContaining({ documentHash: sha256(query), operationName: 'Greeting' })]);
    } finally {
      await server.close();
    }
  });
});

describe('the manifest at start-up', () => {
  it('is required in enforce and log modes: a server without it does not start', async () => {
    const db = await createTestDatabase();
    try {
      for (const mode of ['enforce', 'log']) {
        await expect(startTestServer({ ...PRODUCTION, TRUSTED_DOCUMENTS: mode, TRUSTED_DOCUMENTS_MANIFEST: '/nonexistent/trusted-documents.json' }, { db })).rejects.toThrow(
          new RegExp(`TRUSTED_DOCUMENTS=${mode} needs the manifest`),
        );
      }
    } finally {
      await db.close();
    }
  });

  it('is not needed when TRUSTED_DOCUMENTS=off: any document runs', async () => {
    const server = await startTestServer({ ...PRODUCTION, TRUSTED_DOCUMENTS: 'off', TRUSTED_DOCUMENTS_MANIFEST: '/nonexistent/trusted-documents.json' });
    try {
      expect((await post(server, { query: ARBITRARY })).body).toEqual({ data: { publicMessage: { text: 'This is a public message.' } } });
    } finally {
      await server.close();
    }
  });
});
