/**
 * Every list page is an index range, however long the list: the statement each list sends (first
 * page, a page past a cursor, and a page backward) is explained with sorting switched off, and the
 * plan must read the rows in the list's order from an index instead of sorting them. Without the
 * index on a list's keyset order, a page of a large table sorted the whole table (BENCHMARKS.md,
 * data-layer scaling).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlSession } from '../src/db/database.js';
import { createTestDatabase } from './helpers/database.js';
import { startTestServer, type TestServer } from './helpers/server.js';

interface Statement {
  text: string;
  params: unknown[];
}

describe('list pages', () => {
  let server: TestServer;
  let admin: { token: string; id: string };
  const statements: Statement[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase();
    // Records the list pages' SELECTs as the services send them; everything still runs.
    const sql = db.sql;
    const record = (text: string, params: readonly unknown[]) => {
      if (/^SELECT .* ORDER BY /s.test(text)) statements.push({ text, params: [...params] });
    };
    const recording: SqlSession = {
      ...sql,
      query: (text, params = []) => {
        record(text, params);
        return sql.query(text, params);
      },
      read: (text, params) => {
        record(text, params);
        return sql.read(text, params);
      },
    };
    server = await startTestServer({}, { db: { ...db, sql: recording } });
    const { user, token } = await server.createUser({ roles: ['admin'] });
    admin = { token, id: user.id };
    await db.prisma.menuItem.createMany({ data: [1, 2, 3].map((n) => ({ name: `Dish ${n}`, price: n * 100, description: 'Good', image: `https://cdn.example.com/${n}.png` })) });
    await db.prisma.book.createMany({ data: [1, 2, 3].map((n) => ({ title: `Book ${n}`, author: 'Someone', publishedYear: 2000 + n })) });
    await db.prisma.task.createMany({ data: [1, 2, 3].map((n) => ({ title: `Task ${n}`, ownerId: admin.id })) });
  });
  afterAll(() => server?.close());

  /** The plan of `statement` when the database may not sort: a Sort node means no index gives the order. */
  async function planOf({ text, params }: Statement): Promise<string> {
    return server.db.withExclusiveSession(424_242, async (session) => {
      await session.exec('BEGIN; SET LOCAL enable_sort = off; SET LOCAL enable_incremental_sort = off; SET LOCAL enable_seqscan = off');
      try {
        const rows = await session.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await session.exec('ROLLBACK');
      }
    });
  }

  /** The statements one list sends for its first page, the page past it, and a page backward from there. */
  async function statementsOf(field: string, extra = ''): Promise<Statement[]> {
    const before = statements.length;
    const query = `query ($after: String, $before: String, $first: Int, $last: Int) { ${field}(first: $first, after: $after, last: $last, before: $before${extra}) { pageInfo { endCursor } } }`;
    const first = await server.graphql<Record<string, { pageInfo: { endCursor: string } }>>(query, { token: admin.token, variables: { first: 1 } });
    const cursor = first.body.data![field]!.pageInfo.endCursor;
    await server.graphql(query, { token: admin.token, variables: { first: 1, after: cursor } });
    await server.graphql(query, { token: admin.token, variables: { last: 1, before: cursor } });
    return statements.slice(before);
  }

  it.each([['menuItems'], ['books'], ['myTasks']])('of %s read their rows in order from an index, first page, past a cursor and backward', async (field) => {
    const sent = await statementsOf(field);
    expect(sent).toHaveLength(3);
    for (const statement of sent) expect(await planOf(statement)).not.toMatch(/Sort|Seq Scan/);
  });

  it('of users have an index in their order (createdAt, id)', async () => {
    const plan = await planOf({ text: 'SELECT id FROM users WHERE created_at >= $1 ORDER BY created_at ASC, id ASC LIMIT 101', params: [new Date(0).toISOString()] });
    expect(plan).not.toMatch(/Sort|Seq Scan/);
  });
});
