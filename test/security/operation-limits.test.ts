/**
 * Denial of service through the query language (OWASP GraphQL cheat sheet): depth, alias,
 * cost, fragment-cycle, token, directive and length bombs are refused with HTTP 400 and a
 * message naming the limit, before anything executes; every legitimate operation still fits.
 * Depth, alias and cost limits depend on the caller: anonymous (strictest), signed-in, or a
 * trusted document (exempt from the cost limit).
 */
import { getIntrospectionQuery, parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import trustedManifest from '../../client/generated/trusted-documents.json' with { type: 'json' };
import { loadConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawRequest } from './helpers.js';

const ITEM_FIELDS = 'id name price description image';

describe('operation limits with their defaults, for a signed-in caller', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    ({ token } = await server.createUser());
  });
  afterAll(() => server?.close());

  const expectRefused = async (query: string, message: string | RegExp, code = 'GRAPHQL_VALIDATION_FAILED') => {
    const response = await server.graphql(query, { token });
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toContainEqual(expect.objectContaining({ message: typeof message === 'string' ? message : expect.stringMatching(message), extensions: { code } }));
    return response;
  };

  it('lets the largest legitimate reads through: a full page of every list with every field at once, a full sign-in payload, the Sandbox introspection query', async () => {
    await server.db.prisma.menuItem.createMany({
      data: Array.from({ length: 100 }, (_, index) => ({ name: `Item ${index}`, price: 100 + index, description: 'Tasty', image: `https://img.example/${index}.png` })),
    });
    const menu = await server.graphql<{ menuItems: { edges: unknown[] } }>(`{ menuItems(first: 100) { edges { cursor node { ${ITEM_FIELDS} } } } }`);
    expect(menu.body.errors).toBeUndefined();
    expect(menu.body.data!.menuItems.edges).toHaveLength(100);

    const { token } = await server.createUser({ roles: ['admin'] });
    const page = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
    const everything = await server.graphql(
      `query ($first: Int) { me { id fullName email roles permissions createdAt disabledAt }
         menuItems(first: $first) { edges { cursor node { ${ITEM_FIELDS} } } ${page} }
         books(first: $first) { edges { cursor node { id title author publishedYear summary } } ${page} }
         myTasks(first: $first) { edges { cursor node { id title done createdAt } } ${page} }
         users(first: $first, includeDisabled: true) { edges { cursor node { id fullName email roles permissions createdAt disabledAt } } ${page} }
         publicMessage { text } protectedMessage { text } adminMessage { text } }`,
      { token, variables: { first: 100 } },
    );
    expect(everything.body.errors).toBeUndefined();

    const introspection = await server.graphql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }));
    expect(introspection.body.errors).toBeUndefined();
  });

  it('depth bomb: a 9-deep __type → ofType chain is refused (limit 6)', async () => {
    await expectRefused('{ __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } }', 'Query depth limit of 8 exceeded, found 9.');
  });

  it('depth bomb: nested inline fragments are counted too', async () => {
    await expectRefused(`{ ${'... on Query { '.repeat(10)} __typename ${'} '.repeat(10)}}`, /^Query depth limit of 8 exceeded, found \d+\.$/);
  });

  it('alias bomb: 16 aliases of one field are refused (limit 15)', async () => {
    const aliases = Array.from({ length: 16 }, (_, index) => `m${index}: publicMessage { text }`).join(' ');
    await expectRefused(`{ ${aliases} }`, 'Aliases limit of 15 exceeded, found 16.');
  });

  it('cost bomb: 300 spreads of one fragment under a list are refused (cost limit 5000)', async () => {
    await expectRefused(`{ menuItems { edges { node { ${'...M '.repeat(300)}} } } } fragment M on MenuItem { ${ITEM_FIELDS} }`, 'Query Cost limit of 5000 exceeded, found 30041.');
  });

  it('cost counts first as the page size: 15 aliased pages of 100 users are refused, of 10 users let through', async () => {
    const { token } = await server.createUser({ roles: ['admin'] });
    const pages = (first: number | string) =>
      Array.from({ length: 15 }, (_, index) => `u${index}: users(first: ${first}) { edges { node { id fullName email roles permissions createdAt } } }`).join(' ');
    // Each: 1 (users) + 100 × (1 edge + 1 node + 6 fields) = 801. A variable counts as the most it may be (100):
    // armor's rule read only a literal first, so the $n form passed it.
    await expectRefused(`{ ${pages(100)} }`, 'Query Cost limit of 5000 exceeded, found 12015.');
    await expectRefused(`query ($n: Int) { ${pages('$n')} }`, 'Query Cost limit of 5000 exceeded, found 12015.');
    const small = await server.graphql(`{ ${pages(10)} }`, { token });
    expect(small.body.errors).toBeUndefined();
  });

  it('fragment bomb: 2^20 expansions of nested fragments are refused at once, by cost and depth', async () => {
    let fragments = 'fragment F0 on Query { publicMessage { text } }';
    for (let level = 1; level <= 20; level++) fragments += ` fragment F${level} on Query { ...F${level - 1} ...F${level - 1} }`;
    const response = await expectRefused(`{ ...F20 } ${fragments}`, 'Query Cost limit of 5000 exceeded, found 2097152.');
    expect(response.body.errors).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/^Query depth limit of 8 exceeded/) }));
  });

  it('fragment cycle: refused as invalid, without hanging the validator, and the server keeps serving', async () => {
    await expectRefused('{ ...A } fragment A on Query { publicMessage { text } ...B } fragment B on Query { ...A }', 'Cannot spread fragment "A" within itself via "B".');
    await expectRefused('{ ...A } fragment A on Query { ...A }', 'Cannot spread fragment "A" within itself.');
    expect((await server.graphql('{ publicMessage { text } }')).body.errors).toBeUndefined();
  });

  it('token bomb: 1,500 tokens in under 10,000 characters are refused while parsing (limit 1000)', async () => {
    const query = `{ menuItem(id: "00000000-0000-4000-8000-000000000000") { ${'id '.repeat(1500)}} }`;
    expect(query.length).toBeLessThan(10_000);
    await expectRefused(query, 'Syntax Error: Document contains more that 1000 tokens. Parsing aborted.', 'GRAPHQL_PARSE_FAILED');
  });

  it('directive bomb: 11 directives are refused (limit 10)', async () => {
    await expectRefused(`{ __typename ${'@include(if: true) '.repeat(11)}}`, 'Directives limit of 10 exceeded, found 11.');
  });

  it('length bomb: a query over 10,000 characters is refused before parsing, even one that is mostly a comment, over POST and GET', async () => {
    const query = `{ publicMessage { text } } # ${'x'.repeat(10_000)}`;
    await expectRefused(query, 'Query is too long: 10029 characters, at most 10000');
    const viaGet = await rawRequest(server, { method: 'GET', headers: { 'apollo-require-preflight': 'true' }, search: `?query=${encodeURIComponent(query)}` });
    expect(viaGet.status).toBe(400);
    expect(viaGet.body?.errors?.[0]?.message).toBe('Query is too long: 10029 characters, at most 10000');
  });
});

describe('operation limits are settings', () => {
  it('applies GRAPHQL_MAX_DEPTH, _ALIASES, _COST, _TOKENS, _DIRECTIVES and _QUERY_LENGTH', async () => {
    const server = await startTestServer({
      GRAPHQL_MAX_DEPTH: '2',
      GRAPHQL_MAX_ALIASES: '1',
      GRAPHQL_MAX_COST: '5',
      GRAPHQL_MAX_TOKENS: '40',
      GRAPHQL_MAX_DIRECTIVES: '1',
      GRAPHQL_MAX_QUERY_LENGTH: '120',
    });
    try {
      const messages = async (query: string) => (await server.graphql(query)).body.errors?.map((error) => error.message) ?? [];
      expect(await messages('{ publicMessage { text } }')).toEqual([]);
      expect(await messages('mutation { login(input: { email: "a@b.c", password: "p" }) { user { id } } }')).toContain('Query depth limit of 2 exceeded, found 3.');
      expect(await messages('{ a: publicMessage { text } b: publicMessage { text } }')).toContain('Aliases limit of 1 exceeded, found 2.');
      expect(await messages(`{ menuItems { edges { node { ${ITEM_FIELDS} } } } }`)).toContainEqual('Query Cost limit of 5 exceeded, found 141.');
      expect(await messages(`{ ${'a '.repeat(40)}}`)).toContain('Syntax Error: Document contains more that 40 tokens. Parsing aborted.');
      expect(await messages('{ __typename @include(if: true) @skip(if: false) }')).toContain('Directives limit of 1 exceeded, found 2.');
      expect(await messages(`{ publicMessage { text } } # ${'x'.repeat(100)}`)).toEqual(['Query is too long: 129 characters, at most 120']);
    } finally {
      await server.close();
    }
  });
});

describe('operation limits by caller: anonymous, signed-in, trusted document', () => {
  let server: TestServer;
  let token: string;
  const menuItems = Object.entries(trustedManifest).find(([, entry]) => entry.operationName === 'MenuItems')!;
  /** An operation `levels` deep: nested inline fragments around one object field. */
  const deep = (levels: number) => `{ ${'... on Query { '.repeat(levels - 2)}publicMessage { text } ${'} '.repeat(levels - 2)}}`;
  const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `m${index}: publicMessage { text }`).join(' ')} }`;
  const errorsOf = async (query: string, asWho?: string) => (await server.graphql(query, { token: asWho })).body.errors?.map((error) => error.message) ?? [];

  beforeAll(async () => {
    server = await startTestServer();
    ({ token } = await server.createUser());
  });
  afterAll(() => server?.close());

  it('gives an anonymous caller a stricter depth (6) and alias (5) limit than a signed-in one (8, 15)', async () => {
    expect(await errorsOf(deep(7))).toEqual([expect.stringMatching(/^Query depth limit of 6 exceeded, found 7\.$/)]);
    expect(await errorsOf(deep(7), token)).toEqual([]);
    expect(await errorsOf(deep(9), token)).toEqual([expect.stringMatching(/^Query depth limit of 8 exceeded, found 9\.$/)]);
    expect(await errorsOf(aliases(6))).toEqual(['Aliases limit of 5 exceeded, found 6.']);
    expect(await errorsOf(aliases(6), token)).toEqual([]);
    // Five full pages of the menu: over the anonymous cost limit (2500), within the signed-in one (5000).
    const costly = `{ ${Array.from({ length: 5 }, (_, index) => `p${index}: menuItems(first: 100) { edges { node { ${ITEM_FIELDS} } } }`).join(' ')} }`;
    expect(await errorsOf(costly)).toEqual([expect.stringMatching(/^Query Cost limit of 2500 exceeded/)]);
    expect(await errorsOf(costly, token)).toEqual([]);
  });

  it('runs a trusted document beyond the cost limit, which still refuses the same operation sent as other text', async () => {
    const [hash, { document }] = menuItems;
    const server = await startTestServer({ GRAPHQL_MAX_COST: '5' });
    const { token } = await server.createUser();
    const errorsOf = async (query: string, asWho?: string) => (await server.graphql(query, { token: asWho })).body.errors?.map((error) => error.message) ?? [];
    onTestFinished(() => server.close());
    const byHash = await rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentId: `sha256:${hash}` }) });
    expect(byHash.body?.errors).toBeUndefined();
    expect(byHash.body?.data).toMatchObject({ menuItems: { edges: expect.any(Array) } });
    // The same operation, printed differently: no longer the trusted document.
    const reprinted = print(parse(document));
    expect(reprinted).not.toBe(document);
    expect(await errorsOf(reprinted, token)).toEqual([expect.stringMatching(/^Query Cost limit of 5 exceeded/)]);
    expect(await errorsOf(reprinted)).toEqual([expect.stringMatching(/^Query Cost limit of 5 exceeded/)]);
  });
});

describe('operation limits by caller are settings', () => {
  it('defaults to anonymous 6 / 5 / 2500 and trusted 12 / 30 / no cost limit, never looser, resp. stricter, than signed-in', () => {
    const tiers = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...env }).graphqlLimits.tiers;
    expect(tiers()).toEqual({
      anonymous: { maxDepth: 6, maxAliases: 5, maxCost: 2500 },
      signedIn: { maxDepth: 8, maxAliases: 15, maxCost: 5000 },
      trusted: { maxDepth: 12, maxAliases: 30, maxCost: undefined },
    });
    expect(tiers({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '40', GRAPHQL_MAX_COST: '100' })).toMatchObject({
      anonymous: { maxDepth: 3, maxAliases: 5, maxCost: 100 },
      trusted: { maxDepth: 12, maxAliases: 40 },
    });
  });

  it('applies GRAPHQL_MAX_DEPTH_ANONYMOUS, _ALIASES_ANONYMOUS, _COST_ANONYMOUS, _DEPTH_TRUSTED and _ALIASES_TRUSTED', async () => {
    const server = await startTestServer({
      GRAPHQL_MAX_DEPTH_ANONYMOUS: '2',
      GRAPHQL_MAX_ALIASES_ANONYMOUS: '1',
      GRAPHQL_MAX_COST_ANONYMOUS: '3',
      GRAPHQL_MAX_DEPTH_TRUSTED: '1',
      GRAPHQL_MAX_ALIASES_TRUSTED: '1',
    });
    try {
      const { token } = await server.createUser();
      const messages = async (query: string, asWho?: string) => (await server.graphql(query, { token: asWho })).body.errors?.map((error) => error.message) ?? [];
      expect(await messages('mutation { login(input: { email: "a@b.c", password: "p" }) { user { id } } }')).toContain('Query depth limit of 2 exceeded, found 3.');
      expect(await messages('{ a: publicMessage { text } b: publicMessage { text } }')).toContain('Aliases limit of 1 exceeded, found 2.');
      expect(await messages(`{ menuItems { edges { node { ${ITEM_FIELDS} } } } }`)).toContainEqual(expect.stringMatching(/^Query Cost limit of 3 exceeded/));
      expect(await messages(`{ menuItems { edges { node { ${ITEM_FIELDS} } } } }`, token)).toEqual([]);
      // A trusted document (menuItems { … }) over a trusted depth limit of 1.
      const [hash] = Object.entries(trustedManifest).find(([, entry]) => entry.operationName === 'MenuItems')!;
      const byHash = await rawRequest(server, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentId: hash }) });
      expect(byHash.body?.errors?.[0]?.message).toMatch(/^Query depth limit of 1 exceeded, found \d+\.$/);
    } finally {
      await server.close();
    }
  });
});
