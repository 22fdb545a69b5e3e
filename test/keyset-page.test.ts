/**
 * List pages are read with one SQL statement of their own (src/db/keyset-page.ts), not Prisma: the
 * rows must be the ones Prisma reads, Dates included, and cursors must continue exactly where the
 * last page ended, whatever the process's time zone (node-pg reads a timestamp without time zone
 * as local time; Prisma stores UTC).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectPage } from '../src/db/keyset-page.js';
import { createTestDatabase } from './helpers/database.js';
import { startTestServer, type GraphQLResponse, type TestServer } from './helpers/server.js';

const MENU_PAGE = /* GraphQL */ `
  query MenuPage($first: Int, $after: String, $last: Int, $before: String) {
    menuItems(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
  }
`;
type MenuPage = { menuItems: { edges: { cursor: string; node: { name: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } } };

describe('list pages read by their own SELECT', () => {
  let server: TestServer;
  const originalZone = process.env.TZ;

  beforeAll(async () => {
    // Far from UTC, so a timestamp read as local time would be hours off.
    process.env.TZ = 'Pacific/Kiritimati';
    server = await startTestServer({}, { db: await createTestDatabase() });
    const { prisma } = server.db;
    await prisma.menuItem.deleteMany();
    // Three items share one instant (to the millisecond), so the order falls through to name and id.
    const shared = new Date('2026-03-04T05:06:07.089Z');
    const names = ['Ajvar', 'Burek', 'Ćevapi', 'Dolma', 'Eggplant'];
    await prisma.menuItem.createMany({
      data: names.map((name, index) => ({ name, price: 100 + index, description: `${name}, as served`, image: `https://example.com/${index}.png`, createdAt: index < 3 ? shared : new Date(shared.getTime() + index) })),
    });
  });

  afterAll(async () => {
    await server?.close();
    process.env.TZ = originalZone;
  });

  it('reads the same rows as Prisma, createdAt to the millisecond, in the same order', async () => {
    const { prisma, sql } = server.db;
    const viaPrisma = await prisma.menuItem.findMany({
      select: { id: true, name: true, price: true, description: true, image: true, createdAt: true },
      orderBy: [{ createdAt: 'asc' }, { name: 'asc' }, { id: 'asc' }],
    });
    const viaSql = await selectPage<(typeof viaPrisma)[number]>(
      sql,
      { table: 'menu_items', columns: { id: 'id', name: 'name', price: 'price', description: 'description', image: 'image', createdAt: { name: 'created_at', timestamp: true } } },
      { order: [['createdAt', 'asc'], ['name', 'asc'], ['id', 'asc']], backward: false, limit: 10 },
    );
    expect(viaSql).toEqual(viaPrisma);
    expect(viaSql[0]!.createdAt.toISOString()).toBe('2026-03-04T05:06:07.089Z');
  });

  it('reads a timestamp asked for as ISO text exactly as Date.toISOString() writes the stored instant', async () => {
    const { prisma, sql } = server.db;
    const viaPrisma = await prisma.menuItem.findMany({ select: { id: true, name: true, createdAt: true }, orderBy: [{ createdAt: 'asc' }, { name: 'asc' }, { id: 'asc' }] });
    const viaSql = await selectPage<{ id: string; name: string; createdAt: string }>(
      sql,
      { table: 'menu_items', columns: { id: 'id', name: 'name', createdAt: { name: 'created_at', timestamp: 'iso' } } },
      { order: [['createdAt', 'asc'], ['name', 'asc'], ['id', 'asc']], backward: false, limit: 10 },
    );
    expect(viaSql).toEqual(viaPrisma.map((item) => ({ ...item, createdAt: item.createdAt.toISOString() })));
  });

  it('pages forward and back through items that share a timestamp, each exactly once', async () => {
    const names: string[] = [];
    let after: string | null | undefined = null;
    for (let page = 0; page < 5; page++) {
      const response: GraphQLResponse<MenuPage> = await server.graphql<MenuPage>(MENU_PAGE, { variables: { first: 2, after } });
      const data = response.body.data;
      names.push(...data!.menuItems.edges.map(({ node }) => node.name));
      expect(data!.menuItems.pageInfo.endCursor).toBe(data!.menuItems.edges.at(-1)?.cursor ?? null);
      after = data!.menuItems.pageInfo.endCursor;
      if (!data!.menuItems.pageInfo.hasNextPage) break;
    }
    expect(names).toEqual(['Ajvar', 'Burek', 'Ćevapi', 'Dolma', 'Eggplant']);

    const { body: { data: back } } = await server.graphql<MenuPage>(MENU_PAGE, { variables: { last: 2, before: after } });
    expect(back!.menuItems.edges.map(({ node }) => node.name)).toEqual(['Ćevapi', 'Dolma']);
    expect(back!.menuItems.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: back!.menuItems.edges[0]!.cursor });
  });
});
