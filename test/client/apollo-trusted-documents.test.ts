/**
 * Apollo Client (in Node) against a production server as it starts out of the box, trusted
 * documents enforced: every operation of client/operations runs by its hash alone (HttpLink with
 * the persisted-queries link, hashes from codegen), and a document outside the manifest is refused.
 */
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql, type DocumentNode, type OperationVariables } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Kind, print, typeFromAST, type GraphQLInputType, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as generated from '../../client/generated/graphql.js';
import manifestJson from '../../client/generated/trusted-documents.json' with { type: 'json' };
import type { TrustedDocumentsManifest } from '../../scripts/codegen/trusted-documents.js';
import { buildSchema } from '../../src/server/schema.js';
import { placeholder } from '../helpers/operations.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';

const manifest = manifestJson as TrustedDocumentsManifest;
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!' };
const { schema } = buildSchema();

/** Codegen's hash ("sha256:<hex>" in `__meta__`); any other document gets the sha256 of its text, which the server does not know. */
function generateHash(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  return hash ? hash.replace(/^sha256:/, '') : createHash('sha256').update(print(document)).digest('hex');
}

const operations = Object.entries(generated)
  .filter(([name]) => name.endsWith('Document'))
  .map(([, document]) => {
    const definition = (document as DocumentNode).definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION)!;
    return { name: definition.name!.value, document: document as DocumentNode, definition };
  })
  // Subscriptions run over graphql-ws: test/client/apollo-subscriptions.test.ts runs them by hash.
  .filter(({ definition }) => definition.operation !== 'subscription');

describe('Apollo Client, hashes only, against a production server (trusted documents enforced)', () => {
  let server: TestServer;
  const sent: Record<string, unknown>[] = [];

  /** A client that sends hashes only: no full document on a miss, and persisted queries never turned off. */
  const clientFor = (token?: string) =>
    new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.from([
        new PersistedQueryLink({ generateHash, retry: () => false, disable: () => false }),
        new HttpLink({
          uri: `${server.url}/graphql`,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          fetch: async (url, init) => {
            sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
            return fetch(url, init);
          },
        }),
      ]),
    });

  beforeAll(async () => {
    server = await startTestServer(PRODUCTION);
    expect(server.config.trustedDocuments.mode).toBe('enforce');
  });
  afterAll(() => server?.close());

  it('runs every operation of client/operations by hash, signed in as an admin through the Login operation', async () => {
    const { user } = await server.createUser({ roles: ['admin'], fullName: 'Ada Admin' });
    const run = async (name: string, variables: OperationVariables, token?: string) => {
      const { document, definition } = operations.find((operation) => operation.name === name)!;
      const client = clientFor(token);
      const result =
        definition.operation === 'mutation'
          ? await client.mutate({ mutation: document, variables })
          : await client.query({ query: document, variables, fetchPolicy: 'network-only' });
      expect(result.error, name).toBeUndefined();
      expect(result.data, name).toBeTruthy();
      return result.data as Record<string, Record<string, unknown>>;
    };

    const { login } = await run('Login', { input: { email: user.email, password: TEST_PASSWORD } });
    const token = login!.accessToken as string;
    expect(login!.user).toEqual({ __typename: 'User', id: user.id, fullName: 'Ada Admin' });
    const { createMenuItem } = await run(
      'CreateMenuItem',
      { input: { name: 'Lemonade', price: 249, description: 'Fresh and cold', image: 'https://example.com/lemonade.png' } },
      token,
    );
    const done = new Set(['Login', 'CreateMenuItem']);
    const last = ['DeleteMenuItem', 'RefreshToken', 'Logout'];
    // Every other operation, whatever client/operations holds: variables from the schema's types.
    for (const { name, definition } of operations.filter((operation) => !done.has(operation.name) && !last.includes(operation.name))) {
      // Required variables only: an optional one (a page's `after` cursor) is best left out.
      const variables = Object.fromEntries(
        (definition.variableDefinitions ?? [])
          .filter((variable) => variable.type.kind === Kind.NON_NULL_TYPE)
          .map((variable) => [variable.variable.name.value, placeholder(typeFromAST(schema, variable.type as never) as GraphQLInputType)]),
      );
      await run(name, variables, token);
      done.add(name);
    }
    expect((await run('DeleteMenuItem', { id: createMenuItem!.id }, token)).deleteMenuItem).toMatchObject({ id: createMenuItem!.id });
    const { refreshToken } = await run('RefreshToken', { refreshToken: login!.refreshToken });
    expect((await run('Logout', { refreshToken: refreshToken!.refreshToken })).logout).toBe(true);
    last.forEach((name) => done.add(name));

    const httpOperations = Object.values(manifest).filter((entry) => !entry.document.includes('subscription '));
    expect([...done].sort()).toEqual(httpOperations.map((entry) => entry.operationName).sort());
    // Hashes only: no request carried a document.
    expect(sent.length).toBeGreaterThanOrEqual(done.size);
    for (const body of sent) {
      expect(body.query).toBeUndefined();
      expect(body.extensions).toMatchObject({ persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    }
  });

  it('gets PERSISTED_QUERY_NOT_FOUND for a document outside the manifest, and never sends its text', async () => {
    const before = sent.length;
    const result = await clientFor().query({ query: gql`query Sneaky { publicMessage { text } }`, fetchPolicy: 'network-only', errorPolicy: 'all' });
    expect(result.data).toBeUndefined();
    expect(JSON.stringify(result.error)).toMatch(/PERSISTED_QUERY_NOT_FOUND/);
    expect(sent.slice(before).map((body) => body.query)).toEqual([undefined]);
  });

  it('is refused an arbitrary document sent in full (TRUSTED_DOCUMENT_REQUIRED), signed in or not', async () => {
    const { token } = await server.createUser({ roles: ['admin'] });
    for (const asWho of [undefined, token]) {
      const plain = new ApolloClient({ cache: new InMemoryCache(), link: new HttpLink({ uri: `${server.url}/graphql`, headers: asWho ? { authorization: `Bearer ${asWho}` } : {} }) });
      const result = await plain.query({ query: gql`query Sneaky { publicMessage { text } }`, fetchPolicy: 'network-only', errorPolicy: 'all' });
      expect(result.data).toBeUndefined();
      expect(JSON.stringify(result.error)).toMatch(/TRUSTED_DOCUMENT_REQUIRED/);
    }
  });
});
