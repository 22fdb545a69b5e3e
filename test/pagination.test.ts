/**
 * Cursor connections over real HTTP: pages of at most GRAPHQL_MAX_PAGE_SIZE rows, forward and
 * backward, opaque cursors refused when forged or foreign, and keyset pages that neither skip nor
 * repeat a row while rows are inserted and deleted between requests — 5,000 tasks included.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from './helpers/server.js';

interface Page<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount?: number;
}
type TaskNode = { id: string; title: string };

const TASKS = /* GraphQL */ `
  query Tasks($first: Int, $after: String, $last: Int, $before: String) {
    myTasks(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id title } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const cursorOf = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('connections', () => {
  let server: TestServer;
  let token: string;
  let ownerId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const owner = await server.createUser({ fullName: 'Pager' });
    ({ token } = owner);
    ownerId = owner.user.id;
  });
  afterAll(() => server?.close());

  const tasksPage = async (variables: Record<string, unknown>) => server.graphql<{ myTasks: Page<TaskNode> | null }>(TASKS, { token, variables });
  const expectRefused = (response: GraphQLResponse, field: string, message: string | RegExp) => {
    expect(response.status).toBe(200);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]).toMatchObject({ message: typeof message === 'string' ? message : expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', field } });
  };

  /** Creates `count` tasks of the owner, each a millisecond apart, oldest first. */
  async function seedTasks(count: number, prefix: string, start = Date.now() - 10 * 86_400_000) {
    const rows = Array.from({ length: count }, (_, index) => ({ id: randomUUID(), ownerId, title: `${prefix} ${index}`, createdAt: new Date(start + index) }));
    await server.db.prisma.task.createMany({ data: rows });
    return rows;
  }

  /** Every task, following endCursor from the first page; `between` runs after each page. */
  async function readAll(first: number, between: (page: number) => Promise<void> = async () => {}) {
    const seen: TaskNode[] = [];
    let after: string | null = null;
    for (let page = 1; ; page++) {
      const response = await tasksPage({ first, after });
      expect(response.body.errors).toBeUndefined();
      const connection = response.body.data!.myTasks!;
      expect(connection.edges.length).toBeLessThanOrEqual(first);
      seen.push(...connection.edges.map(({ node }) => node));
      if (!connection.pageInfo.hasNextPage) return { seen, pages: page };
      after = connection.pageInfo.endCursor;
      await between(page);
    }
  }

  it('pages myTasks newest first: 20 by default, then from endCursor, with totalCount and pageInfo', async () => {
    const tasks = await seedTasks(45, 'Page');
    const newestFirst = tasks.map(({ id }) => id).reverse();

    const first = await server.graphql<{ myTasks: Page<TaskNode> }>('{ myTasks { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } totalCount } }', { token });
    expect(first.body.data!.myTasks.edges.map(({ node }) => node.id)).toEqual(newestFirst.slice(0, 20));
    expect(first.body.data!.myTasks).toMatchObject({ pageInfo: { hasNextPage: true, hasPreviousPage: false }, totalCount: 45 });

    const second = await tasksPage({ first: 20, after: first.body.data!.myTasks.pageInfo.endCursor });
    expect(second.body.data!.myTasks!.edges.map(({ node }) => node.id)).toEqual(newestFirst.slice(20, 40));
    // Paging forward, hasPreviousPage is false even past the first page: learning it would cost another query.
    expect(second.body.data!.myTasks!.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const third = await tasksPage({ first: 20, after: second.body.data!.myTasks!.pageInfo.endCursor });
    expect(third.body.data!.myTasks!.edges.map(({ node }) => node.id)).toEqual(newestFirst.slice(40));
    expect(third.body.data!.myTasks!.pageInfo.hasNextPage).toBe(false);

    // Backward from the end: the 10 rows just before the last page's first row.
    const back = await tasksPage({ last: 10, before: third.body.data!.myTasks!.pageInfo.startCursor });
    expect(back.body.data!.myTasks!.edges.map(({ node }) => node.id)).toEqual(newestFirst.slice(30, 40));
    expect(back.body.data!.myTasks!.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const start = await tasksPage({ last: 20, before: first.body.data!.myTasks.edges[5]!.cursor });
    expect(start.body.data!.myTasks!.edges.map(({ node }) => node.id)).toEqual(newestFirst.slice(0, 5));
    expect(start.body.data!.myTasks!.pageInfo.hasPreviousPage).toBe(false);

    const empty = await tasksPage({ first: 0 });
    expect(empty.body.data!.myTasks).toMatchObject({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
    await server.db.prisma.task.deleteMany({ where: { ownerId } });
  });

  it('refuses a page over GRAPHQL_MAX_PAGE_SIZE (100) with BAD_USER_INPUT instead of capping it, and mixed directions', async () => {
    await seedTasks(105, 'Many');
    expect((await tasksPage({ first: 100 })).body.data!.myTasks!.edges).toHaveLength(100);
    expectRefused(await tasksPage({ first: 101 }), 'first', 'first must be at most 100 (GRAPHQL_MAX_PAGE_SIZE)');
    expectRefused(await tasksPage({ last: 1000 }), 'last', 'last must be at most 100 (GRAPHQL_MAX_PAGE_SIZE)');
    expectRefused(await tasksPage({ first: -1 }), 'first', 'first must not be negative');
    expectRefused(await tasksPage({ first: 5, last: 5 }), 'last', /^Page forward with first\/after or backward with last\/before/);
    const viaLiteral = await server.graphql('{ users(first: 5000) { edges { node { id } } } }', { token: (await server.createUser({ roles: ['admin'] })).token });
    expectRefused(viaLiteral, 'first', 'first must be at most 100 (GRAPHQL_MAX_PAGE_SIZE)');
    expect(viaLiteral.body.data).toEqual({ users: null });
    await server.db.prisma.task.deleteMany({ where: { ownerId } });
  });

  it('refuses a forged, foreign or malformed cursor with BAD_USER_INPUT on after/before, never a 500', async () => {
    await seedTasks(3, 'Cursor');
    const real = (await tasksPage({ first: 1 })).body.data!.myTasks!.pageInfo.endCursor!;
    const decoded = JSON.parse(Buffer.from(real, 'base64url').toString()) as { v: number; k: string; s: unknown[] };
    const admin = await server.createUser({ roles: ['admin'] });
    const usersCursor = (await server.graphql<{ users: Page<{ id: string }> }>('{ users(first: 1) { pageInfo { endCursor } } }', { token: admin.token })).body.data!.users.pageInfo.endCursor!;
    const forged = [
      'not a cursor',
      'bm90IGpzb24',
      cursorOf({ ...decoded, k: 'users' }),
      usersCursor,
      cursorOf({ ...decoded, v: 2 }),
      cursorOf({ ...decoded, s: [decoded.s[0]] }),
      cursorOf({ ...decoded, s: ["2024-01-01T00:00:00.000Z' OR 1=1 --", decoded.s[1]] }),
      cursorOf({ ...decoded, s: [decoded.s[0], 'not-a-uuid'] }),
      cursorOf({ ...decoded, s: [12, decoded.s[1]] }),
      cursorOf({ ...decoded, extra: true }),
      cursorOf([1, 2, 3]),
      cursorOf(null),
      'A'.repeat(5000),
    ];
    for (const after of forged) expectRefused(await tasksPage({ first: 2, after }), 'after', 'after: not a cursor of this list');
    expectRefused(await tasksPage({ last: 2, before: usersCursor }), 'before', 'before: not a cursor of this list');
    // The tasks cursor is as foreign to the menu and the books as theirs are to tasks.
    const menu = await server.graphql('query ($after: String) { menuItems(after: $after) { edges { cursor } } }', { variables: { after: real } });
    expect(menu.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    const books = await server.graphql('query ($after: String) { books(after: $after) { edges { cursor } } }', { token, variables: { after: real } });
    expect(books.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    // A cursor is only a position: valid values that name no row still page from there.
    const anywhere = await tasksPage({ first: 2, after: cursorOf({ v: 1, k: 'tasks', s: ['2999-01-01T00:00:00.000Z', randomUUID()] }) });
    expect(anywhere.body.errors).toBeUndefined();
    expect(anywhere.body.data!.myTasks!.edges).toHaveLength(2);
    await server.db.prisma.task.deleteMany({ where: { ownerId } });
  });

  it('skips and repeats no task while others are inserted and deleted between pages (ties in createdAt included)', async () => {
    const sameInstant = new Date(Date.now() - 86_400_000);
    // 60 tasks share one createdAt: only the id orders them, and the pages must still be exact.
    const tied = Array.from({ length: 60 }, (_, index) => ({ id: randomUUID(), ownerId, title: `Tied ${index}`, createdAt: sameInstant }));
    await server.db.prisma.task.createMany({ data: tied });
    const spread = await seedTasks(90, 'Spread');
    const before = [...tied, ...spread].map(({ id }) => id);
    const deleted = new Set<string>();

    const { seen } = await readAll(7, async (page) => {
      // New tasks (newer than every page, and at the tied instant itself) and deletions of rows on either side of the cursor.
      await server.graphql(`mutation { createTask(input: { title: "Concurrent ${page}" }) { id } }`, { token });
      await server.db.prisma.task.create({ data: { ownerId, title: `Backdated ${page}`, createdAt: sameInstant } });
      const victim = before[(page * 37) % before.length]!;
      if (!deleted.has(victim)) {
        deleted.add(victim);
        await server.db.prisma.task.delete({ where: { id: victim } });
      }
    });

    const ids = seen.map(({ id }) => id);
    expect(new Set(ids).size).toBe(ids.length);
    const survivors = before.filter((id) => !deleted.has(id));
    expect(survivors.filter((id) => !ids.includes(id))).toEqual([]);
    await server.db.prisma.task.deleteMany({ where: { ownerId } });
  });

  it('pages 5,000 tasks cleanly: 50 pages of 100, each task once, in order', async () => {
    const tasks = await seedTasks(5000, 'Bulk');
    const { seen, pages } = await readAll(100);
    expect(pages).toBe(50);
    expect(seen.map(({ id }) => id)).toEqual(tasks.map(({ id }) => id).reverse());
    const count = await server.graphql<{ myTasks: { totalCount: number } }>('{ myTasks(first: 1) { totalCount } }', { token });
    expect(count.body.data!.myTasks.totalCount).toBe(5000);
    await server.db.prisma.task.deleteMany({ where: { ownerId } });
  });

  it('pages users oldest first and books by title, duplicate titles included', async () => {
    const admin = await server.createUser({ roles: ['admin'] });
    const allUsers = await server.db.prisma.user.findMany({ where: { disabledAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const users: string[] = [];
    let after: string | null = null;
    do {
      const response: GraphQLResponse<{ users: Page<{ id: string }> }> = await server.graphql('query ($after: String) { users(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } }', {
        token: admin.token,
        variables: { after },
      });
      expect(response.body.errors).toBeUndefined();
      users.push(...response.body.data!.users.edges.map(({ node }) => node.id));
      expect(response.body.data!.users.totalCount).toBe(allUsers.length);
      after = response.body.data!.users.pageInfo.hasNextPage ? response.body.data!.users.pageInfo.endCursor : null;
    } while (after);
    expect(users).toEqual(allUsers.map(({ id }) => id));

    await server.db.prisma.book.createMany({ data: ['Dune', 'Dune', 'Emma', 'Dune', 'Beloved'].map((title) => ({ title, author: 'A', publishedYear: 1990 })) });
    const expected = (await server.db.prisma.book.findMany({ orderBy: [{ title: 'asc' }, { id: 'asc' }] })).map(({ id }) => id);
    const books: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const response: GraphQLResponse<{ books: Page<{ id: string }> }> = await server.graphql('query ($after: String) { books(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }', {
        token,
        variables: { after: cursor },
      });
      books.push(...response.body.data!.books.edges.map(({ node }) => node.id));
      if (!response.body.data!.books.pageInfo.hasNextPage) break;
      cursor = response.body.data!.books.pageInfo.endCursor;
    }
    expect(books).toEqual(expected);
  });
});

describe('GRAPHQL_MAX_PAGE_SIZE', () => {
  it('is a setting: a smaller limit refuses larger pages, and lowers the default page size with it', async () => {
    const server = await startTestServer({ GRAPHQL_MAX_PAGE_SIZE: '5' });
    try {
      await server.db.prisma.menuItem.createMany({ data: Array.from({ length: 8 }, (_, index) => ({ name: `Item ${index}`, price: 100, description: '', image: 'https://example.com/i.png' })) });
      const page = await server.graphql<{ menuItems: Page<{ id: string }> }>('{ menuItems { edges { node { id } } pageInfo { hasNextPage } } }');
      expect(page.body.data!.menuItems.edges).toHaveLength(5);
      expect(page.body.data!.menuItems.pageInfo.hasNextPage).toBe(true);
      const refused = await server.graphql('{ menuItems(first: 6) { edges { node { id } } } }');
      expect(refused.body.errors?.[0]).toMatchObject({ message: 'first must be at most 5 (GRAPHQL_MAX_PAGE_SIZE)', extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    } finally {
      await server.close();
    }
  });
});
