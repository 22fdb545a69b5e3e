/**
 * The response cache shared through Redis by two instances on one PostgreSQL database: an entry
 * one instance stored is served by the other only to viewers entitled to it, and a write through
 * one instance is seen by the next read on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { syncPermissionCatalog } from '../src/setup/seed.js';
import { createEmptyDatabaseUrl, usingPostgres } from './helpers/database.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { cacheLookups, CREATE, CREATE_TASK, MENU, MENU_AND_ADMIN_MESSAGE, MY_TASKS } from './helpers/response-cache.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? '';
const UPDATE = 'mutation Update($id: ID!, $input: UpdateMenuItemInput!) { updateMenuItem(id: $id, input: $input) { id } }';
const DELETE = 'mutation Delete($id: ID!) { deleteMenuItem(id: $id) { id } }';

type Menu = { menuItems: { edges: { node: { id: string; name: string; price: number } }[] } };
/** The menu items of a page, as a list. */
const itemsOf = (response: { body: { data?: Menu | null } }) => response.body.data!.menuItems.edges.map(({ node }) => node);

describe.runIf(usingPostgres && REDIS_URL !== '')('response cache shared through Redis by two instances (needs TEST_DATABASE_URL and TEST_REDIS_URL, set by CI)', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await createEmptyDatabaseUrl();
    drop = fresh.drop;
    const first: Database = await openDatabase({ url: fresh.url, poolSize: 3 });
    await migrate(first);
    await syncPermissionCatalog(first);
    const second = await openDatabase({ url: fresh.url, poolSize: 3 });
    // Both instances share one key prefix, as the instances of one deployment do; this run's own, so no earlier run's entries meet it.
    const env = { REDIS_URL, RESPONSE_CACHE_KEY_PREFIX: `response-cache-test-${Date.now().toString(36)}`, JWT_SECRET: 'a-shared-secret-for-both-instances-0123456789' };
    a = await startTestServer(env, { db: first });
    b = await startTestServer(env, { db: second });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('serves on one instance an answer the other stored, and shows a write through either to the next read on the other', async () => {
    const { token: menuAdmin } = await a.createUser({ roles: ['menu-admin'] });
    const created = await a.graphql<{ createMenuItem: { id: string } }>(CREATE, { token: menuAdmin, variables: { input: { name: 'Soup', price: 300, description: 'Hot', image: 'https://example.com/soup.png' } } });
    const id = created.body.data!.createMenuItem.id;

    expect(itemsOf(await a.graphql<Menu>(MENU))).toEqual([{ id, name: 'Soup', price: 300 }]);
    const before = await cacheLookups(b);
    expect(itemsOf(await b.graphql<Menu>(MENU))).toEqual([{ id, name: 'Soup', price: 300 }]);
    expect((await cacheLookups(b)).hit - before.hit).toBe(1);

    // Written through A, read on B (which holds the old answer's key), then the other way round.
    await a.graphql(UPDATE, { token: menuAdmin, variables: { id, input: { price: 450 } } });
    expect(itemsOf(await b.graphql<Menu>(MENU))).toEqual([{ id, name: 'Soup', price: 450 }]);
    expect(itemsOf(await b.graphql<Menu>(MENU))).toEqual([{ id, name: 'Soup', price: 450 }]);
    await b.graphql(UPDATE, { token: menuAdmin, variables: { id, input: { name: 'Broth' } } });
    expect(itemsOf(await a.graphql<Menu>(MENU))).toEqual([{ id, name: 'Broth', price: 450 }]);
    await a.graphql(DELETE, { token: menuAdmin, variables: { id } });
    expect(itemsOf(await b.graphql<Menu>(MENU))).toEqual([]);
  });

  it("never serves an admin's permission-gated answer, stored by one instance, to a viewer without the permission on the other", async () => {
    const { token: admin } = await a.createUser({ roles: ['admin'] });
    const { token: plain } = await b.createUser();
    for (let i = 0; i < 2; i += 1) expect((await a.graphql<{ adminMessage: unknown }>(MENU_AND_ADMIN_MESSAGE, { token: admin })).body.data!.adminMessage).not.toBeNull();
    expect((await b.graphql<{ adminMessage: unknown }>(MENU_AND_ADMIN_MESSAGE, { token: admin })).body.data!.adminMessage).not.toBeNull();
    for (const token of [plain, undefined]) {
      const read = await b.graphql<{ adminMessage: unknown }>(MENU_AND_ADMIN_MESSAGE, { token });
      expect(read.body.data!.adminMessage).toBeNull();
      expect(read.body.errors?.[0]?.extensions?.code).toBe(token ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
  });

  it("never serves one viewer's private data to another, whichever instance read it first", async () => {
    const alice = await a.createUser();
    const bob = await b.createUser();
    await a.graphql(CREATE_TASK, { token: alice.token, variables: { title: "Alice's task" } });
    await b.graphql(CREATE_TASK, { token: bob.token, variables: { title: "Bob's task" } });
    for (let i = 0; i < 2; i += 1) {
      expect((await a.graphql(MY_TASKS, { token: alice.token })).body.data).toEqual({ myTasks: { edges: [{ node: { title: "Alice's task" } }] } });
      expect((await b.graphql(MY_TASKS, { token: bob.token })).body.data).toEqual({ myTasks: { edges: [{ node: { title: "Bob's task" } }] } });
      expect((await b.graphql(MY_TASKS, { token: alice.token })).body.data).toEqual({ myTasks: { edges: [{ node: { title: "Alice's task" } }] } });
      expect((await a.graphql(MY_TASKS, { token: bob.token })).body.data).toEqual({ myTasks: { edges: [{ node: { title: "Bob's task" } }] } });
    }
  });
});
