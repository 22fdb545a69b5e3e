/**
 * The response cache in one instance (in memory): who may share an answer, what is never cached,
 * and that a write is seen by the next read.
 */
import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationDirectives } from '../src/authz/directives/index.js';
import { Planner } from '../src/authz/planner/planner.js';
import { SchemaGuards } from '../src/authz/schema-guards.js';
import { createContext, type Context } from '../src/kernel/context.js';
import { Metrics } from '../src/observability/metrics.js';
import { DenialCounter, executorGateway } from '../src/server/executor.js';
import { ResponseCache } from '../src/server/response-cache.js';
import { cacheLookups, CREATE, CREATE_TASK, MENU, MENU_AND_ADMIN_MESSAGE, MY_TASKS } from './helpers/response-cache.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** A connection's page, as these reads select it. */
type Page<Node> = { edges: { node: Node }[] };

const ME = 'query Me { me { id email } }';
const UPDATE = 'mutation Update($id: ID!, $input: UpdateMenuItemInput!) { updateMenuItem(id: $id, input: $input) { id name } }';

async function rawPost(server: TestServer, query: string, token?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), requestId: response.headers.get('x-request-id'), text: await response.text() };
}

describe('response cache (in memory)', () => {
  let server: TestServer;
  let menuAdmin: string;

  beforeAll(async () => {
    server = await startTestServer();
    menuAdmin = (await server.createUser({ roles: ['menu-admin'] })).token;
    for (const name of ['Soup', 'Bread']) {
      const created = await server.graphql(CREATE, { token: menuAdmin, variables: { input: { name, price: 300, description: 'Fresh', image: 'https://example.com/i.png' } } });
      expect(created.body.errors).toBeUndefined();
    }
  });
  afterAll(() => server.close());

  it('answers a repeated public read from the cache, byte for byte what Apollo sent, with the usual headers', async () => {
    const before = await cacheLookups(server);
    const first = await rawPost(server, MENU);
    const second = await rawPost(server, MENU);
    const third = await rawPost(server, MENU);
    expect(JSON.parse(first.text).data.menuItems.edges.length).toBeGreaterThanOrEqual(2);
    expect(second).toMatchObject({ status: 200, contentType: first.contentType, text: first.text });
    expect(third.text).toBe(first.text);
    expect(third.requestId).toBeTruthy();
    const after = await cacheLookups(server);
    expect(after.hit - before.hit).toBe(2);
    expect(after.miss - before.miss).toBe(1);
  });

  it('shows a write through a mutation to the very next read', async () => {
    const { body } = await server.graphql<{ menuItems: Page<{ id: string; name: string }> }>(MENU);
    const item = body.data!.menuItems.edges[0]!.node;
    await server.graphql(MENU);
    const updated = await server.graphql(UPDATE, { token: menuAdmin, variables: { id: item.id, input: { name: 'Renamed soup' } } });
    expect(updated.body.errors).toBeUndefined();
    const after = await server.graphql<{ menuItems: Page<{ id: string; name: string }> }>(MENU);
    expect(after.body.data!.menuItems.edges.find(({ node }) => node.id === item.id)?.node.name).toBe('Renamed soup');

    const created = await server.graphql<{ createMenuItem: { id: string } }>(CREATE, { token: menuAdmin, variables: { input: { name: 'Salad', price: 500, description: 'Green', image: 'https://example.com/s.png' } } });
    const list = await server.graphql<{ menuItems: Page<{ id: string }> }>(MENU);
    expect(list.body.data!.menuItems.edges.map(({ node }) => node.id)).toContain(created.body.data!.createMenuItem.id);
  });

  it('keeps cached answers through a mutation that wrote nothing (a failed anonymous login), and drops them after one that wrote', async () => {
    const { token: reader } = await server.createUser({ email: 'reader@cache.test', roles: ['admin'] });
    const USERS = 'query Users { users { edges { node { id } } } }';
    await server.graphql(USERS, { token: reader });
    const before = await cacheLookups(server);
    const failed = await server.graphql('mutation { login(input: { email: "reader@cache.test", password: "not the password at all" }) { accessToken user { id email } } }');
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await server.graphql(USERS, { token: reader });
    const afterFailure = await cacheLookups(server);
    expect(afterFailure.hit - before.hit).toBe(1);

    const signedUp = await server.graphql('mutation { signup(input: { email: "newcomer@cache.test", password: "another long passphrase", fullName: "New" }) { user { id } } }');
    expect(signedUp.body.errors).toBeUndefined();
    await server.graphql(USERS, { token: reader });
    const afterWrite = await cacheLookups(server);
    expect(afterWrite.miss - afterFailure.miss).toBe(1);
  });

  it('never serves a permission-gated answer to a viewer without the permission', async () => {
    const admin = (await server.createUser({ roles: ['admin'] })).token;
    const plain = (await server.createUser()).token;
    for (let i = 0; i < 2; i += 1) {
      const read = await server.graphql<{ adminMessage: { text: string } | null }>(MENU_AND_ADMIN_MESSAGE, { token: admin });
      expect(read.body.data!.adminMessage?.text).toBeTruthy();
    }
    const before = await cacheLookups(server);
    for (const token of [plain, undefined, plain, undefined]) {
      const read = await server.graphql<{ adminMessage: unknown; menuItems: Page<unknown> }>(MENU_AND_ADMIN_MESSAGE, { token });
      expect(read.body.data!.adminMessage).toBeNull();
      expect(read.body.data!.menuItems.edges.length).toBeGreaterThan(0);
      expect(read.body.errors?.[0]?.extensions?.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
    // An answer with an error is never stored: each of these was looked up and executed.
    const after = await cacheLookups(server);
    expect(after.hit - before.hit).toBe(0);
    expect(after.miss - before.miss).toBe(4);
  });

  it("never caches an identity-dependent answer: each viewer reads their own, and no lookup is made", async () => {
    const alice = await server.createUser({ email: 'alice-cache@test.example' });
    const bob = await server.createUser({ email: 'bob-cache@test.example' });
    await server.graphql(CREATE_TASK, { token: alice.token, variables: { title: "Alice's task" } });
    await server.graphql(CREATE_TASK, { token: bob.token, variables: { title: "Bob's task" } });
    const before = await cacheLookups(server);
    for (let i = 0; i < 2; i += 1) {
      const a = await server.graphql<{ me: { id: string; email: string } }>(ME, { token: alice.token });
      const b = await server.graphql<{ me: { id: string; email: string } }>(ME, { token: bob.token });
      expect(a.body.data!.me.email).toBe('alice-cache@test.example');
      expect(b.body.data!.me.email).toBe('bob-cache@test.example');
      // Same permission set, different people: only identity tells these answers apart.
      expect((await server.graphql(MY_TASKS, { token: alice.token })).body.data).toEqual({ myTasks: { edges: [{ node: { title: "Alice's task" } }] } });
      expect((await server.graphql(MY_TASKS, { token: bob.token })).body.data).toEqual({ myTasks: { edges: [{ node: { title: "Bob's task" } }] } });
    }
    expect(await cacheLookups(server)).toEqual(before);
  });

  it('answers bad credentials as before, even for a query the cache holds', async () => {
    await server.graphql(MENU);
    await server.graphql(MENU);
    const refused = await server.graphql(MENU, { token: 'not-a-token' });
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('response cache keys and sizes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RESPONSE_CACHE_MAX_ENTRY_KB: '1' });
    // Names long enough that the whole menu answers more than 1 KB.
    await server.db.prisma.menuItem.createMany({ data: Array.from({ length: 20 }, (_, index) => ({ name: `Dish ${index} ${'x'.repeat(60)}`, price: 100 + index, description: 'Seeded', image: 'https://example.com/d.png' })) });
  });
  afterAll(() => server.close());

  const PAGE = 'query Page($first: Int) { menuItems(first: $first) { edges { node { id } } } }';

  it('keys an answer on the variables the operation declares: junk variables neither miss nor store a new entry', async () => {
    const before = await cacheLookups(server);
    for (let request = 0; request < 5; request += 1) {
      const response = await server.graphql(PAGE, { variables: { first: 2, [`junk${request}`]: Math.random() } });
      expect(response.body.errors).toBeUndefined();
    }
    const after = await cacheLookups(server);
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(4);
    // A declared variable still tells answers apart.
    await server.graphql(PAGE, { variables: { first: 3 } });
    expect((await cacheLookups(server)).miss - after.miss).toBe(1);
  });

  it('does not store an answer larger than RESPONSE_CACHE_MAX_ENTRY_KB, and still stores smaller ones', async () => {
    const before = await cacheLookups(server);
    const first = await server.graphql(MENU);
    expect(JSON.stringify(first.body).length).toBeGreaterThan(1024);
    await server.graphql(MENU);
    const after = await cacheLookups(server);
    expect(after.hit - before.hit).toBe(0);
    expect(after.miss - before.miss).toBe(2);
    await server.graphql(PAGE, { variables: { first: 1 } });
    await server.graphql(PAGE, { variables: { first: 1 } });
    expect((await cacheLookups(server)).hit - after.hit).toBe(1);
  });
});

describe('response cache, defence in depth', () => {
  it('does not store an answer whose resolver read the viewer, even under @public', async () => {
    const directives = authorizationDirectives();
    const raw = makeExecutableSchema({
      typeDefs: [...directives.map((directive) => directive.typeDefs), 'type Query { greeting: Greeting @public } type Greeting @public { text: String }'],
      resolvers: { Query: { greeting: (_source: unknown, _args: unknown, { viewer }: Context) => ({ text: `Hello ${viewer?.userId ?? 'stranger'}` }) } },
    });
    const guards = new SchemaGuards(raw, directives);
    const schema = directives.reduce((current, directive) => directive.transformer(current, guards), raw);
    const planner = new Planner(guards, { mode: 'filter' });
    const logger = pino({ level: 'silent' });
    const metrics = new Metrics({ operationNames: new Set() });
    const responseCache = new ResponseCache(schema, planner, { ttlSeconds: 30, maxBytes: 1_000_000, keyPrefix: 'test', logger, metrics });
    const apollo = new ApolloServer<Context>({ gateway: executorGateway({ schema, planner, logger, denials: new DenialCounter(), responseCache }) });
    await apollo.start();
    const greet = async (userId: string) => {
      const response = await apollo.executeOperation({ query: '{ greeting { text } }' }, { contextValue: createContext({ userId, permissions: new Set(), issuer: 'local' }) });
      return response.body.kind === 'single' ? response.body.singleResult.data : undefined;
    };
    expect(await greet('ada')).toEqual({ greeting: { text: 'Hello ada' } });
    expect(await greet('bob')).toEqual({ greeting: { text: 'Hello bob' } });
    expect(await greet('ada')).toEqual({ greeting: { text: 'Hello ada' } });
    await apollo.stop();
  });
});

describe('RESPONSE_CACHE_TTL_SECONDS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RESPONSE_CACHE_TTL_SECONDS: '1' });
  });
  afterAll(() => server.close());

  it('bounds how long a write made outside any GraphQL mutation stays unseen', async () => {
    const item = await server.db.prisma.menuItem.create({ data: { name: 'Tea', price: 200, description: 'Hot', image: 'https://example.com/t.png' } });
    const names = async () => (await server.graphql<{ menuItems: Page<{ name: string }> }>(MENU)).body.data!.menuItems.edges.map(({ node }) => node.name);
    expect(await names()).toEqual(['Tea']);
    await server.db.prisma.menuItem.update({ where: { id: item.id }, data: { name: 'Green tea' } });
    expect(await names()).toEqual(['Tea']);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await names()).toEqual(['Green tea']);
  });
});

describe('RESPONSE_CACHE=off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RESPONSE_CACHE: 'off' });
  });
  afterAll(() => server.close());

  it('looks nothing up and executes every read', async () => {
    for (let i = 0; i < 3; i += 1) expect((await server.graphql(MENU)).body.errors).toBeUndefined();
    expect(await cacheLookups(server)).toEqual({ hit: 0, miss: 0 });
  });
});
