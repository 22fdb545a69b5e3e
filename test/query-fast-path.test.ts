/**
 * The compiled-query fast path (src/server/query-fast-path.ts): a query Apollo has validated once
 * is answered before Apollo's pipeline from then on. Every answer it gives, and every refusal it
 * hands on, must be what Apollo's path answers: each case below is sent, after the query was
 * learned, to a server with the fast path and to one without it (same database, same keys), and
 * the two responses must be identical. The log says which answers the fast path gave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logSink } from './helpers/log-sink.js';
import { startTestServer, type GraphQLResponse, type RequestOptions, type TestServer } from './helpers/server.js';

const MENU = 'query Menu($first: Int) { menuItems(first: $first) { edges { node { id name price } } pageInfo { hasNextPage } } }';
const USERS = 'query Users { users(first: 5) { edges { node { id email } } } }';
const PROTECTED = 'query Protected { protectedMessage { text } }';
const MY_TASKS = 'query MyTasks { myTasks(first: 10) { edges { node { title } } } }';
const WHOLE_MENU = 'query WholeMenu { menuItems(first: 100) { edges { cursor node { id name price description image } } pageInfo { hasNextPage endCursor } } }';
const TASK = 'query Task($id: ID!) { task(id: $id) { title } }';
const MENU_ITEM = 'query MenuItem($id: ID!) { menuItem(id: $id) { name } }';
/** The response cache off: a cacheable query's misses are the cache's to store, through Apollo, and its hits never reach the fast path. */
const SETTINGS = { GRAPHQL_MAX_COST_ANONYMOUS: '600', RESPONSE_CACHE: 'off' };

describe('the compiled-query fast path', () => {
  const logs = logSink();
  let fast: TestServer;
  let apolloOnly: TestServer;
  let admin: string;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let aliceTaskId: string;

  beforeAll(async () => {
    fast = await startTestServer(SETTINGS, { app: { logger: logs.logger } });
    apolloOnly = await startTestServer(SETTINGS, { db: fast.db, app: { queryFastPath: false } });
    admin = (await fast.createUser({ roles: ['admin'] })).token;
    const signIn = async () => {
      const { user, token } = await fast.createUser();
      return { id: user.id, token };
    };
    [alice, bob] = [await signIn(), await signIn()];
    await fast.db.prisma.task.createMany({ data: [{ title: 'alice: write the report', ownerId: alice.id }, { title: 'bob: water the plants', ownerId: bob.id }] });
    aliceTaskId = (await fast.db.prisma.task.findFirstOrThrow({ where: { ownerId: alice.id } })).id;
    await fast.db.prisma.menuItem.createMany({ data: [1, 2, 3].map((n) => ({ name: `Dish ${n}`, price: 100 * n, description: 'Good', image: `https://cdn.example.com/${n}.png` })) });
  });
  afterAll(async () => {
    await apolloOnly?.server.stop();
    await fast?.close();
  });

  /** Learns `query` on the fast server (an admin's clean answer through Apollo), then sends the case to both servers. */
  async function sendToBoth(query: string, options: RequestOptions, learnWith: RequestOptions = { token: admin }) {
    await fast.graphql(query, learnWith);
    const requestId = `case-${Math.random().toString(36).slice(2)}`;
    const withId = { ...options, headers: { ...options.headers, 'x-request-id': requestId } };
    const [viaFastServer, viaApollo] = [await fast.graphql(query, withId), await apolloOnly.graphql(query, withId)];
    const line = logs.lines.find((entry) => entry.requestId === requestId && entry.msg === 'graphql operation');
    return { viaFastServer, viaApollo, tookFastPath: line?.fastPath === true };
  }

  /** Everything but the Date header; x-request-id is the one each case sends. */
  const comparable = (response: GraphQLResponse) => ({
    status: response.status,
    headers: [...response.headers.entries()].filter(([name]) => name !== 'date'),
    body: response.body,
  });

  /** graphql_operations_total for operations outside client/operations (bucketed as `other`) that succeeded. */
  async function otherSucceeded(): Promise<number> {
    const metric = await fast.server.metrics.registry.getSingleMetric('graphql_operations_total')!.get();
    return metric.values.find(({ labels }) => labels.operation === 'other' && labels.outcome === 'success')?.value ?? 0;
  }

  it('answers a learned query before Apollo with the bytes, status, headers and counters Apollo gives', async () => {
    const counted = await otherSucceeded();
    const { viaFastServer, viaApollo, tookFastPath } = await sendToBoth(MENU, { variables: { first: 2 } });
    expect(tookFastPath).toBe(true);
    // The admin's request that taught it the query (through Apollo), and the one the fast path answered.
    expect((await otherSucceeded()) - counted).toBe(2);
    expect(comparable(viaFastServer)).toEqual(comparable(viaApollo));
    expect(viaFastServer.body.data).toMatchObject({ menuItems: { edges: [{ node: { name: expect.stringMatching(/^Dish/) } }, { node: { price: expect.any(Number) } }], pageInfo: { hasNextPage: true } } });
  });

  it('plans each request for its own viewer: another user of a learned query gets only their own tasks', async () => {
    const { viaFastServer, viaApollo, tookFastPath } = await sendToBoth(MY_TASKS, { token: bob.token }, { token: alice.token });
    expect(tookFastPath).toBe(true);
    expect(comparable(viaFastServer)).toEqual(comparable(viaApollo));
    expect(viaFastServer.body.data).toEqual({ myTasks: { edges: [{ node: { title: 'bob: water the plants' } }] } });
  });

  it('answers another user’s task as missing, as Apollo does, after its owner ran the query', async () => {
    const { viaFastServer, viaApollo, tookFastPath } = await sendToBoth(TASK, { token: bob.token, variables: { id: aliceTaskId } }, { token: alice.token, variables: { id: aliceTaskId } });
    expect(tookFastPath).toBe(true);
    expect(comparable(viaFastServer)).toEqual(comparable(viaApollo));
    expect(viaFastServer.body).toEqual({ data: { task: null } });
  });

  const refusals: [string, string, () => RequestOptions, string][] = [
    ['an anonymous caller of an @auth field', PROTECTED, () => ({}), 'UNAUTHENTICATED'],
    ['a signed-in caller without read:users', USERS, () => ({ token: alice.token }), 'FORBIDDEN'],
    ['a token that does not verify', MENU, () => ({ token: 'not-a-token', variables: { first: 1 } }), 'UNAUTHENTICATED'],
    ['a variable that does not coerce', MENU, () => ({ token: admin, variables: { first: 'ten' } }), 'BAD_USER_INPUT'],
    // Refused as the field resolves: Apollo answers the fast path's execution instead of executing again.
    ['a page larger than the limit', MENU, () => ({ token: admin, variables: { first: 5000 } }), 'BAD_USER_INPUT'],
    ['a NUL character in a variable', MENU_ITEM, () => ({ variables: { id: 'a\u0000b' } }), 'BAD_USER_INPUT'],
    ['a query over the anonymous tier’s cost limit that signed-in callers may run', WHOLE_MENU, () => ({}), 'GRAPHQL_VALIDATION_FAILED'],
  ];

  it.each(refusals)('hands %s on to Apollo, which refuses it exactly as without the fast path', async (_case, query, options, code) => {
    const { viaFastServer, viaApollo, tookFastPath } = await sendToBoth(query, options());
    expect(tookFastPath).toBe(false);
    expect(comparable(viaFastServer)).toEqual(comparable(viaApollo));
    expect(viaFastServer.body.errors?.map((error) => error.extensions?.code)).toContain(code);
  });

  it('logs and counts a denial once, on Apollo’s path, when a learned query is denied', async () => {
    const { viaFastServer } = await sendToBoth(USERS, { token: bob.token, headers: {} });
    const denialLines = logs.lines.filter((entry) => entry.msg === 'authorization denied' && entry.viewerId === bob.id);
    expect(viaFastServer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(denialLines).toHaveLength(1);
  });
});

describe('the compiled-query fast path under trusted documents (enforce)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TRUSTED_DOCUMENTS: 'enforce', TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: 'manage:users' });
  });
  afterAll(() => server?.close());

  it('still refuses an arbitrary document from a caller who may not send one, after an admin ran the same text', async () => {
    const { token } = await server.createUser({ roles: ['admin'] });
    const query = 'query Arbitrary { publicMessage { text } }';
    expect((await server.graphql(query, { token })).body.data).toEqual({ publicMessage: { text: expect.any(String) } });
    expect((await server.graphql(query, { token })).body.data).toEqual({ publicMessage: { text: expect.any(String) } });
    const anonymous = await server.graphql(query);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });
});
