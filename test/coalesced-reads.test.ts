/**
 * Coalesced reads (src/db/coalesced-reads.ts): identical list reads asked for at the same moment
 * run as one statement. What clients and operators would notice: the database runs fewer
 * statements under concurrent identical reads, every answer is the one a lone read gets, a read sent
 * after a write sees it, and no request gets another's answer when authorization or parameters differ.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createTestDatabase } from './helpers/database.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const MENU = 'query Menu { menuItems(first: 10) { edges { node { id name price } } pageInfo { hasNextPage } } }';
const BOOKS = 'query Books { books(first: 10) { edges { node { id title } } } }';
const MENU_PAGE = /^SELECT .*FROM "menu_items"/s;
const BOOKS_PAGE = /^SELECT .*FROM "books"/s;

describe('coalesced reads in the data layer', () => {
  let db: Database;
  const sent: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ onQuery: (sql) => sent.push(sql) });
    await db.prisma.menuItem.createMany({ data: [1, 2].map((n) => ({ name: `Dish ${n}`, price: n, description: 'Good', image: `https://cdn.example.com/${n}.png` })) });
  });
  afterAll(() => db?.close());

  const countSql = 'SELECT count(*)::int AS "count" FROM "menu_items" WHERE "price" >= $1';
  const statementsLike = (text: string) => sent.filter((sql) => sql === text).length;

  it('runs identical reads asked for together once, and gives each caller the rows', async () => {
    const before = statementsLike(countSql);
    const answers = await Promise.all(Array.from({ length: 5 }, () => db.sql.read<{ count: number }>(countSql, [0])));
    expect(statementsLike(countSql) - before).toBe(1);
    for (const rows of answers) expect(rows).toEqual([{ count: 2 }]);
  });

  it('runs reads with other parameters as statements of their own', async () => {
    const before = statementsLike(countSql);
    const [all, expensive] = await Promise.all([db.sql.read<{ count: number }>(countSql, [0]), db.sql.read<{ count: number }>(countSql, [2])]);
    expect(statementsLike(countSql) - before).toBe(2);
    expect(all).toEqual([{ count: 2 }]);
    expect(expensive).toEqual([{ count: 1 }]);
  });

  // A slow statement: it is still in the database while the test goes on.
  const slowCount = 'SELECT count(*)::int AS "count", pg_sleep(0.3)::text AS "slept" FROM "menu_items" WHERE "price" >= $1';

  it('never joins a statement already sent', async () => {
    const before = statementsLike(slowCount);
    const first = db.sql.read(slowCount, [0]);
    await vi.waitFor(() => expect(statementsLike(slowCount) - before).toBe(1));
    const second = db.sql.read(slowCount, [0]);
    await Promise.all([first, second]);
    expect(statementsLike(slowCount) - before).toBe(2);
  });

  it('answers a read asked for after a write with the write, while an earlier statement is still running', async () => {
    const inFlight = db.sql.read<{ count: number }>(slowCount, [0]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await db.prisma.menuItem.create({ data: { name: 'Added meanwhile', price: 3, description: 'New', image: 'https://cdn.example.com/3.png' } });
    const afterWrite = db.sql.read<{ count: number }>(slowCount, [0]);
    expect((await inFlight)[0]!.count).toBe(2);
    expect((await afterWrite)[0]!.count).toBe(3);
  });

  it('joins a statement still waiting for a connection', async () => {
    // More slow statements than the pool has connections (PGlite has one, the PostgreSQL pool ten): the reads below wait.
    const blockers = Array.from({ length: 12 }, () => db.sql.query('SELECT pg_sleep(0.1)'));
    const before = statementsLike(countSql);
    const first = db.sql.read(countSql, [0]);
    // A later turn: the first read has left the turn it was asked in, and waits for a connection.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = db.sql.read(countSql, [0]);
    const [rows, joined] = await Promise.all([first, second, ...blockers]);
    expect(joined).toBe(rows);
    expect(statementsLike(countSql) - before).toBe(1);
  });

  it('gives every caller of a failing statement its error, and runs the next read anew', async () => {
    const failing = 'SELECT 1 / ($1::int - 1) AS "quotient"';
    const results = await Promise.allSettled([db.sql.read(failing, [1]), db.sql.read(failing, [1])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await db.sql.read(failing, [2])).toEqual([{ quotient: 1 }]);
  });
});

describe('coalesced reads behind the API', () => {
  const sent: string[] = [];
  let server: TestServer;
  let reader: string;

  beforeAll(async () => {
    const db = await createTestDatabase({ onQuery: (sql) => sent.push(sql) });
    server = await startTestServer({ RESPONSE_CACHE: 'off' }, { db });
    reader = (await server.createUser()).token;
    await db.prisma.menuItem.createMany({ data: [1, 2, 3].map((n) => ({ name: `Dish ${n}`, price: n * 100, description: 'Good', image: `https://cdn.example.com/${n}.png` })) });
    await db.prisma.book.createMany({ data: [{ title: 'Dune', author: 'Frank Herbert', publishedYear: 1965 }] });
  });
  afterAll(() => server?.close());

  /** The answer's status and parsed body (its headers differ by request id). */
  const post = async (query: string, token?: string) => {
    const { status, body } = await server.graphql(query, { token });
    return { status, body };
  };
  type Answer = Awaited<ReturnType<typeof post>>;

  /** Sends `count` copies at once, after one that teaches the fast path the query; says how many page statements reached the database for them. */
  async function together(count: number, requests: () => Promise<Answer>[], page: RegExp) {
    await Promise.all(requests());
    const before = sent.filter((sql) => page.test(sql)).length;
    const answers = await Promise.all(Array.from({ length: count }, requests).flat());
    return { answers, statements: sent.filter((sql) => page.test(sql)).length - before };
  }

  it('answers 20 concurrent menu reads, signed in or not, with what a lone read answers, in fewer statements', async () => {
    const lone = await post(MENU, reader);
    const { answers, statements } = await together(10, () => [post(MENU, reader), post(MENU)], MENU_PAGE);
    expect(answers).toHaveLength(20);
    for (const answer of answers) expect(answer).toEqual(lone);
    expect((lone.body.data as { menuItems: { edges: unknown[] } }).menuItems.edges).toHaveLength(3);
    expect(statements).toBeGreaterThanOrEqual(1);
    expect(statements).toBeLessThan(20);
  });

  it('still refuses the anonymous reads among signed-in ones that share a statement', async () => {
    const { answers } = await together(5, () => [post(BOOKS, reader), post(BOOKS)], BOOKS_PAGE);
    const [signedIn, anonymous] = [answers.filter((_, index) => index % 2 === 0), answers.filter((_, index) => index % 2 === 1)];
    for (const answer of signedIn) expect((answer.body.data as { books: { edges: unknown[] } }).books.edges).toEqual([{ node: { id: expect.any(String), title: 'Dune' } }]);
    for (const answer of anonymous) {
      expect(answer.body.data).toEqual({ books: null });
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers a read sent right after a write with the write in it', async () => {
    const create = `mutation { createMenuItem(input: { name: "Fresh", price: 900, description: "Just added", image: "https://cdn.example.com/fresh.png" }) { id } }`;
    const admin = (await server.createUser({ roles: ['admin'] })).token;
    const reading = Array.from({ length: 5 }, () => post(MENU, reader));
    const created = await server.graphql<{ createMenuItem: { id: string } }>(create, { token: admin });
    const after = await server.graphql<{ menuItems: { edges: { node: { id: string } }[] } }>(MENU, { token: reader });
    await Promise.all(reading);
    expect(after.body.data!.menuItems.edges.map(({ node }) => node.id)).toContain(created.body.data!.createMenuItem.id);
  });
});
