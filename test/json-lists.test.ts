/**
 * The JSON-list path (src/server/json-lists.ts): a list read whose nodes the database writes as
 * JSON. A client must not see the difference: each case is sent to a server with the path and to
 * one that executes every query (same database, same keys), and the two bodies must be the same
 * bytes. The log says which answers the database wrote, so the cases also show which reads take
 * the path and which are left to execution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logSink } from './helpers/log-sink.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** Every ASCII character but NUL (PostgreSQL's text cannot hold it), then characters JSON.stringify leaves as they are. */
const AWKWARD_NAME = `${Array.from({ length: 127 }, (_, code) => String.fromCharCode(code + 1)).join('')} é 😀 \u2028 </script> '`;
const WHOLE_MENU = 'query WholeMenu { menuItems(first: 100) { edges { cursor node { id name price description image } } pageInfo { hasNextPage endCursor } } }';
const ALIASED = `query Aliased { m: menuItems(first: 2) { __typename e: edges { __typename c: cursor n: node { __typename nm: name id } }
  pi: pageInfo { __typename startCursor endCursor hasPreviousPage hasNextPage } } }`;
const FORWARD = 'query Forward($first: Int, $after: String) { menuItems(first: $first, after: $after) { edges { node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }';
const BACKWARD = 'query Backward($last: Int, $before: String) { menuItems(last: $last, before: $before) { edges { cursor node { name price } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }';
const BOOKS = 'query Books { books(first: 10) { edges { node { id title author publishedYear summary } } pageInfo { hasNextPage } } }';
const PAGE_INFO_ONLY = 'query PageInfoOnly { menuItems(first: 3) { pageInfo { hasNextPage endCursor } } }';
const WITH_TOTAL = 'query WithTotal { menuItems(first: 2) { totalCount edges { node { name } } } }';
const WITH_FRAGMENT = 'query WithFragment { menuItems(first: 2) { edges { node { ...Dish } } } } fragment Dish on MenuItem { name }';
const WITH_DIRECTIVE = 'query WithDirective($withPrice: Boolean!) { menuItems(first: 2) { edges { node { name price @include(if: $withPrice) } } } }';
const SETTINGS = { RESPONSE_CACHE: 'off' };

interface Page {
  edges: { node: { name: string } }[];
  pageInfo: { hasPreviousPage: boolean; endCursor: string | null };
}
/** The answers' shape, as far as the assertions read it. */
interface Answer {
  data?: { menuItems: Page; m: Record<string, unknown>; books: { edges: { node: unknown }[] } };
  errors?: { extensions: { code: string } }[];
}

describe('the JSON-list path', () => {
  const logs = logSink();
  let jsonLists: TestServer;
  let executed: TestServer;
  let admin: string;

  beforeAll(async () => {
    jsonLists = await startTestServer(SETTINGS, { app: { logger: logs.logger } });
    executed = await startTestServer(SETTINGS, { db: jsonLists.db, app: { jsonLists: false } });
    admin = (await jsonLists.createUser({ roles: ['admin'] })).token;
    await jsonLists.db.prisma.menuItem.createMany({
      data: [
        ...[1, 2, 3, 4, 5].map((n) => ({ name: `Dish ${n}`, price: 100 * n, description: `Line one\nline "two"\t\\`, image: `https://cdn.example.com/${n}.png` })),
        { name: AWKWARD_NAME, price: 2_147_483_647, description: '', image: 'https://cdn.example.com/awkward.png' },
      ],
    });
    await jsonLists.db.prisma.book.createMany({
      data: [
        { title: 'Dune', author: 'Frank Herbert', publishedYear: 1965, summary: null },
        { title: 'Emma', author: 'Jane Austen', publishedYear: 1815, summary: 'A comedy of manners — "handsome, clever, and rich".' },
      ],
    });
  });
  afterAll(async () => {
    await executed?.server.stop();
    await jsonLists?.close();
  });

  async function post(server: TestServer, query: string, variables: Record<string, unknown> | undefined, token: string | undefined, requestId: string) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  }

  /** Sends the query to both servers (the first time through Apollo, which teaches the fast path the query); says whether the database wrote the answer. */
  async function sendToBoth(query: string, { variables, token = admin }: { variables?: Record<string, unknown>; token?: string } = {}) {
    await post(jsonLists, query, variables, token, 'learning');
    const requestId = `case-${Math.random().toString(36).slice(2)}`;
    const [viaJson, viaExecution] = [await post(jsonLists, query, variables, token, requestId), await post(executed, query, variables, token, requestId)];
    const line = logs.lines.find((entry) => entry.requestId === requestId && entry.msg === 'graphql operation');
    return { viaJson, viaExecution, written: line?.jsonList === true, body: JSON.parse(viaJson.body) as Answer };
  }

  it('answers a whole page, cursors and every character JSON escapes, byte for byte as execution does', async () => {
    const { viaJson, viaExecution, written, body } = await sendToBoth(WHOLE_MENU);
    expect(viaJson).toEqual(viaExecution);
    expect(written).toBe(true);
    expect(body.data!.menuItems.edges.map((edge) => edge.node.name)).toContain(AWKWARD_NAME);
  });

  it('keeps aliases, __typename and the selection order at every level', async () => {
    const { viaJson, viaExecution, written, body } = await sendToBoth(ALIASED);
    expect(viaJson).toEqual(viaExecution);
    expect(written).toBe(true);
    expect(Object.keys(body.data!.m)).toEqual(['__typename', 'e', 'pi']);
  });

  it('pages forward and backward with cursors, to an empty page, as execution does', async () => {
    const all = await sendToBoth(FORWARD, { variables: { first: 100 } });
    const names = (answer: typeof all) => answer.body.data!.menuItems.edges.map((edge) => edge.node.name);
    const first = await sendToBoth(FORWARD, { variables: { first: 2 } });
    expect(first.viaJson).toEqual(first.viaExecution);
    expect(first.written).toBe(true);
    const next = await sendToBoth(FORWARD, { variables: { first: 2, after: first.body.data!.menuItems.pageInfo.endCursor } });
    expect(next.viaJson).toEqual(next.viaExecution);
    expect(names(next)).toEqual(names(all).slice(2, 4));
    const back = await sendToBoth(BACKWARD, { variables: { last: 3, before: next.body.data!.menuItems.pageInfo.endCursor } });
    expect(back.viaJson).toEqual(back.viaExecution);
    expect(back.written).toBe(true);
    expect(names(back)).toEqual(names(all).slice(0, 3));
    expect(back.body.data!.menuItems.pageInfo.hasPreviousPage).toBe(false);
    const end = await sendToBoth(FORWARD, { variables: { first: 5, after: all.body.data!.menuItems.pageInfo.endCursor } });
    expect(end.viaJson).toEqual(end.viaExecution);
    expect(end.body.data!.menuItems).toEqual({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
  });

  it('writes null for an empty nullable column, and a page with nothing but pageInfo', async () => {
    const books = await sendToBoth(BOOKS);
    expect(books.viaJson).toEqual(books.viaExecution);
    expect(books.written).toBe(true);
    expect(books.body.data!.books.edges[0]?.node).toEqual({ id: expect.any(String), title: 'Dune', author: 'Frank Herbert', publishedYear: 1965, summary: null });
    const pageInfo = await sendToBoth(PAGE_INFO_ONLY);
    expect(pageInfo.viaJson).toEqual(pageInfo.viaExecution);
    expect(pageInfo.written).toBe(true);
  });

  it.each([
    ['a field with a resolver of its own (totalCount)', WITH_TOTAL, {}],
    ['a fragment', WITH_FRAGMENT, {}],
    ['a directive', WITH_DIRECTIVE, { withPrice: true }],
  ])('leaves %s to execution, with the same answer', async (_name, query, variables) => {
    const { viaJson, viaExecution, written, body } = await sendToBoth(query, { variables });
    expect(viaJson).toEqual(viaExecution);
    expect(written).toBe(false);
    expect(body.errors).toBeUndefined();
  });

  it('is off under GRAPHQL_EXECUTOR=graphql-js, the reference executor', async () => {
    const reference = await startTestServer({ ...SETTINGS, GRAPHQL_EXECUTOR: 'graphql-js' }, { db: jsonLists.db, app: { logger: logs.logger } });
    try {
      for (const requestId of ['reference-learning', 'reference-case']) await post(reference, WHOLE_MENU, undefined, admin, requestId);
      const line = logs.lines.find((entry) => entry.requestId === 'reference-case' && entry.msg === 'graphql operation');
      expect(line?.fastPath).toBe(true);
      expect(line?.jsonList).toBeUndefined();
    } finally {
      await reference.server.stop();
    }
  });

  it('never writes a list the plan denies, and leaves refused page arguments to the list', async () => {
    // books needs a signed-in viewer: anonymous, the plan denies it and nothing reads the table.
    const denied = await sendToBoth(BOOKS, { token: '' });
    expect(denied.viaJson).toEqual(denied.viaExecution);
    expect(denied.written).toBe(false);
    expect(denied.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const tooMany = await sendToBoth(FORWARD, { variables: { first: 1000 } });
    expect(tooMany.viaJson).toEqual(tooMany.viaExecution);
    expect(tooMany.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const forged = await sendToBoth(FORWARD, { variables: { first: 2, after: 'bm90LWEtY3Vyc29y' } });
    expect(forged.viaJson).toEqual(forged.viaExecution);
    expect(forged.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
