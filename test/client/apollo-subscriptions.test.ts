/**
 * Apollo Client (in Node) with the usual split link: queries and mutations over HttpLink,
 * subscriptions over GraphQLWsLink (graphql-ws) on the same /graphql, with the generated documents
 * of client/operations. Against a development server, and against a production one whose trusted
 * documents are enforced: the manifest's subscriptions run, any other is refused.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql, type DocumentNode } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import { createHash } from 'node:crypto';
import { Kind, print, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BookAddedDocument, CreateMenuItemDocument, MenuItemChangedDocument, TaskChangedDocument } from '../../client/generated/graphql.js';
import { listening } from '../helpers/subscriptions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// GraphQLWsLink reads the global WebSocket when a socket fails; Node 20 has none (Node 22 does).
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

interface Subscriber<Data> {
  events: Data[];
  errors: unknown[];
  stop(): void;
}

/** Codegen's hash of a generated document ("sha256:<hex>" in `__meta__`); another document gets one the server does not know. */
const hashOf = (document: DocumentNode) => (document as { __meta__?: { hash?: string } }).__meta__?.hash?.replace(/^sha256:/, '') ?? createHash('sha256').update(print(document)).digest('hex');

/**
 * `hashesOnly`: as a client of a server enforcing trusted documents does it: PersistedQueryLink puts the
 * hash in `extensions.persistedQuery`, and graphql-ws's message replacer sends an empty query beside it.
 */
function clientFor(server: TestServer, token?: string, { hashesOnly = false } = {}): { apollo: ApolloClient; ws: Client } {
  const ws = createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    ...(hashesOnly && {
      jsonMessageReplacer: (key: string, value: unknown) =>
        key === 'payload' && (value as { extensions?: { persistedQuery?: unknown } })?.extensions?.persistedQuery ? { ...(value as object), query: '' } : value,
    }),
  });
  const http = new HttpLink({ uri: `${server.url}/graphql`, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const isSubscription = ({ query }: { query: DocumentNode }) => {
    const definition = getMainDefinition(query);
    return definition.kind === Kind.OPERATION_DEFINITION && (definition as OperationDefinitionNode).operation === 'subscription';
  };
  const subscriptions = hashesOnly ? ApolloLink.from([new PersistedQueryLink({ generateHash: hashOf, retry: () => false, disable: () => false }), new GraphQLWsLink(ws)]) : new GraphQLWsLink(ws);
  return { apollo: new ApolloClient({ cache: new InMemoryCache(), link: ApolloLink.split(isSubscription, subscriptions, http) }), ws };
}

/** What a client error says: Apollo's CombinedGraphQLErrors keeps the server's errors in `errors`. */
const describeError = (error: unknown) => `${String(error)} ${JSON.stringify((error as { errors?: unknown }).errors ?? error)}`;

function subscribe<Data>(apollo: ApolloClient, query: DocumentNode): Subscriber<Data> {
  const events: Data[] = [];
  const errors: unknown[] = [];
  const subscription = apollo.subscribe({ query }).subscribe({
    next: (result) => (result.error ? errors.push(result.error) : events.push(result.data as Data)),
    error: (error) => errors.push(error),
  });
  return { events, errors, stop: () => subscription.unsubscribe() };
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Apollo Client with GraphQLWsLink against the real server', () => {
  let server: TestServer;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await server?.close();
  });

  it('receives the menu changes a mutation through the same client makes, and each user only their own task changes', async () => {
    const { token: adminToken } = await server.createUser({ roles: ['menu-admin'] });
    const [alice, bob] = [await server.createUser(), await server.createUser()];
    const admin = clientFor(server, adminToken);
    const aliceClient = clientFor(server, alice.token);
    const bobClient = clientFor(server, bob.token);
    clients.push(admin.ws, aliceClient.ws, bobClient.ws);

    const menu = subscribe<{ menuItemChanged: { kind: string; item: { name: string } } }>(admin.apollo, MenuItemChangedDocument);
    const aliceTasks = subscribe<{ taskChanged: { kind: string; task: { title: string } } }>(aliceClient.apollo, TaskChangedDocument);
    const bobTasks = subscribe<{ taskChanged: { kind: string; task: { title: string } } }>(bobClient.apollo, TaskChangedDocument);
    await listening(server.server, 3);

    await admin.apollo.mutate({ mutation: CreateMenuItemDocument, variables: { input: { name: 'Lemonade', price: 249, description: 'Cold', image: 'https://example.com/l.png' } } });
    await aliceClient.apollo.mutate({ mutation: gql`mutation { createTask(input: { title: "Alice's" }) { id } }` });
    await eventually(() => menu.events.length === 1 && aliceTasks.events.length === 1, 'the events');
    expect(menu.events[0]!.menuItemChanged).toMatchObject({ kind: 'CREATED', item: { name: 'Lemonade' } });
    expect(aliceTasks.events[0]!.taskChanged).toMatchObject({ kind: 'CREATED', task: { title: "Alice's" } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bobTasks.events).toEqual([]);
    expect([menu, aliceTasks, bobTasks].flatMap((subscriber) => subscriber.errors)).toEqual([]);
    for (const subscriber of [menu, aliceTasks, bobTasks]) subscriber.stop();
  });

  it('gets the denial as an error for bookAdded when anonymous, and the books when signed in', async () => {
    const anonymous = clientFor(server);
    const { token } = await server.createUser({ roles: ['book-admin'] });
    const signedIn = clientFor(server, token);
    clients.push(anonymous.ws, signedIn.ws);
    const refused = subscribe(anonymous.apollo, BookAddedDocument);
    const before = server.server.subscriptions.listening;
    const books = subscribe<{ bookAdded: { title: string } }>(signedIn.apollo, BookAddedDocument);
    await listening(server.server, before + 1);
    await signedIn.apollo.mutate({ mutation: gql`mutation { createBook(input: { title: "Dune", author: "Frank Herbert", publishedYear: 1965 }) { id } }` });
    await eventually(() => refused.errors.length === 1 && books.events.length === 1, 'the denial and the book');
    expect(describeError(refused.errors[0])).toMatch(/UNAUTHENTICATED/);
    expect(books.events[0]!.bookAdded).toMatchObject({ title: 'Dune' });
    books.stop();
  });
});

describe('Apollo Client with GraphQLWsLink against a production server (trusted documents enforced)', () => {
  let server: TestServer;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!' });
    expect(server.config.trustedDocuments.mode).toBe('enforce');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await server?.close();
  });

  it("runs the manifest's subscription by hash; another document gets PERSISTED_QUERY_NOT_FOUND by hash and TRUSTED_DOCUMENT_REQUIRED in full", async () => {
    const client = clientFor(server, undefined, { hashesOnly: true });
    const plain = clientFor(server);
    clients.push(client.ws, plain.ws);
    const sneakyDocument = gql`subscription Sneaky { menuItemChanged { kind } }`;
    const trusted = subscribe<{ menuItemChanged: { item: { name: string } } }>(client.apollo, MenuItemChangedDocument);
    const byHash = subscribe(client.apollo, sneakyDocument);
    const inFull = subscribe(plain.apollo, sneakyDocument);
    await listening(server.server, 1);
    await server.server.services.menu.create({ name: 'Trusted', price: 100, description: 'x', image: 'https://example.com/t.png' });
    await eventually(() => trusted.events.length + trusted.errors.length >= 1 && byHash.errors.length === 1 && inFull.errors.length === 1, 'the event and the refusals');
    expect(trusted.errors.map(describeError)).toEqual([]);
    expect(trusted.events[0]!.menuItemChanged.item.name).toBe('Trusted');
    expect(describeError(byHash.errors[0])).toMatch(/PERSISTED_QUERY_NOT_FOUND/);
    expect(describeError(inFull.errors[0])).toMatch(/TRUSTED_DOCUMENT_REQUIRED/);
    trusted.stop();
  });
});
