/**
 * A real client against the live server: Apollo Client (core, in Node) with an HttpLink and an
 * InMemoryCache whose myTasks field merges pages with relayStylePagination. It pages with
 * fetchMore through 250 tasks while other tasks are written at the same time, and every task
 * that existed before paging began must end up in the cache exactly once.
 */
import { randomUUID } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MyTasksDocument, type MyTasksQuery } from '../../client/generated/graphql.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const TASK_COUNT = 250;
const PAGE_SIZE = 20;

describe('Apollo Client pages myTasks with fetchMore', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("keeps each of a user's 250 tasks exactly once in the cache while others are inserted during paging", async () => {
    const { user, token } = await server.createUser({ fullName: 'Apollo Pager' });
    const start = Date.now() - 86_400_000;
    // Every fifth task shares its createdAt with its neighbour: the cursor's id must break the tie.
    const existing = Array.from({ length: TASK_COUNT }, (_, index) => ({
      id: randomUUID(),
      ownerId: user.id,
      title: `Existing ${index}`,
      createdAt: new Date(start + index - (index % 5 === 1 ? 1 : 0)),
    }));
    await server.db.prisma.task.createMany({ data: existing });

    const client = new ApolloClient({
      link: new HttpLink({ uri: `${server.url}/graphql`, headers: { authorization: `Bearer ${token}` } }),
      cache: new InMemoryCache({ typePolicies: { Query: { fields: { myTasks: relayStylePagination() } } } }),
    });
    const tasks = client.watchQuery({ query: MyTasksDocument, variables: { first: PAGE_SIZE } });
    const readCache = (): NonNullable<MyTasksQuery['myTasks']> => client.readQuery({ query: MyTasksDocument, variables: { first: PAGE_SIZE } })!.myTasks!;
    const watching = tasks.subscribe({});

    let inserted = 0;
    /** Other writes racing each page: a new task through the API, and one backdated among those not yet read. */
    const insertOthers = async () => {
      inserted++;
      const created = await server.graphql(`mutation { createTask(input: { title: "Inserted while paging ${inserted}" }) { id } }`, { token });
      expect(created.body.errors).toBeUndefined();
      await server.db.prisma.task.create({ data: { ownerId: user.id, title: `Backdated ${inserted}`, createdAt: new Date(start + ((inserted * 53) % TASK_COUNT)) } });
    };

    try {
      const firstPage = await firstValueFrom(tasks.pipe(filter((result) => result.dataState === 'complete')));
      let myTasks = firstPage.data.myTasks!;
      expect(myTasks.edges).toHaveLength(PAGE_SIZE);
      let requests = 1;
      while (myTasks.pageInfo.hasNextPage) {
        const [page] = await Promise.all([tasks.fetchMore({ variables: { after: myTasks.pageInfo.endCursor } }), insertOthers()]);
        expect(page.error).toBeUndefined();
        expect(page.data!.myTasks!.edges.length).toBeLessThanOrEqual(PAGE_SIZE);
        requests++;
        // The merged list as the cache holds it (fetchMore has written the page into it by now).
        myTasks = readCache();
      }

      // Every page merged into one list by relayStylePagination.
      const cached = readCache();
      const ids = cached.edges.map(({ node }) => node.id);
      expect(new Set(ids).size).toBe(ids.length);
      const missing = existing.filter(({ id }) => !ids.includes(id));
      expect(missing).toEqual([]);
      const existingIds = new Set<string>(existing.map(({ id }) => id));
      const newestFirst = [...existing].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map(({ id }) => id);
      expect(ids.filter((id) => existingIds.has(id))).toEqual(newestFirst);
      // At least 13 pages of 20; the tasks backdated among the unread ones make it a few more.
      expect(requests).toBeGreaterThanOrEqual(Math.ceil(TASK_COUNT / PAGE_SIZE));
      expect(inserted).toBe(requests - 1);
    } finally {
      watching.unsubscribe();
      client.stop();
    }
  });
});
