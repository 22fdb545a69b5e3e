/**
 * Lists with nested relations cost a constant number of SQL statements per request, whatever
 * their length or the page read: counted at the driver, over real HTTP, for 10, 100 and 1,000
 * users, and for the first and the fiftieth page of 5,000 tasks.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_NAMES } from '../src/kernel/permissions.js';
import { createTestDatabase } from './helpers/database.js';
import { startTestServer, type GraphQLResponse, type TestServer } from './helpers/server.js';

const USERS_WITH_ROLES = /* GraphQL */ `
  query UsersWithRoles($after: String) {
    users(first: 100, after: $after) { edges { node { id email roles permissions } } pageInfo { hasNextPage endCursor } }
  }
`;

type UsersPage = { users: { edges: { node: { id: string; roles: string[]; permissions: string[] } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };

describe('SQL statements per request', () => {
  const statements: string[] = [];
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    const db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
    server = await startTestServer({}, { db });
    ({ token: adminToken } = await server.createUser({ roles: ['admin'] }));
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Adds users (each holding one role, or none) until there are `total`. */
  async function growUsersTo(total: number): Promise<void> {
    const { prisma } = server.db;
    const missing = total - (await prisma.user.count());
    const roleIds = (await prisma.role.findMany({ orderBy: { name: 'asc' } })).map((role) => role.id);
    expect(roleIds).toHaveLength(ROLE_NAMES.length);
    const users = Array.from({ length: missing }, (_, index) => ({
      id: randomUUID(),
      email: `listed-${total}-${index}@test.example`,
      fullName: `Listed User ${index}`,
    }));
    await prisma.user.createMany({ data: users });
    const withRoles = users.flatMap((user, index) => (index % 4 === 3 ? [] : [{ userId: user.id, roleId: roleIds[index % roleIds.length]! }]));
    await prisma.userRole.createMany({ data: withRoles });
  }

  /** The statements of one page of users: the first, or the last one reached by following endCursor. */
  async function statementsToList(total: number, { lastPage = false } = {}): Promise<string[]> {
    await growUsersTo(total);
    let after: string | null = null;
    for (;;) {
      statements.length = 0;
      const response: GraphQLResponse<UsersPage> = await server.graphql<UsersPage>(USERS_WITH_ROLES, { token: adminToken, variables: { after } });
      expect(response.body.errors).toBeUndefined();
      const { edges, pageInfo } = response.body.data!.users;
      expect(edges).toHaveLength(pageInfo.hasNextPage ? 100 : total % 100 || 100);
      // The nested relations really were loaded: roles and the permissions they grant.
      expect(edges.filter(({ node }) => node.roles.includes('menu-admin')).every(({ node }) => node.permissions.includes('update:items'))).toBe(true);
      if (!lastPage || !pageInfo.hasNextPage) return [...statements];
      after = pageInfo.endCursor;
    }
  }

  it('lists 10, 100 and 1,000 users with roles and permissions in the same number of statements, on the first page and the last', async () => {
    const forTen = await statementsToList(10);
    const forHundred = await statementsToList(100);
    const forThousand = await statementsToList(1000);
    const lastOfThousand = await statementsToList(1000, { lastPage: true });

    expect(forTen.length).toBeGreaterThan(0);
    expect(forHundred.length).toBe(forTen.length);
    expect(forThousand.length).toBe(forTen.length);
    expect(lastOfThousand.length).toBe(forTen.length);
    // users, user_roles, roles, role_permissions, permissions: one statement per relation at most.
    expect(forThousand.length).toBeLessThanOrEqual(5);
  });

  it('pages myTasks in one statement per page, the fiftieth of 5,000 as the first; totalCount adds one count, only when selected', async () => {
    const { user, token } = await server.createUser();
    const start = Date.now() - 86_400_000;
    await server.db.prisma.task.createMany({ data: Array.from({ length: 5000 }, (_, index) => ({ ownerId: user.id, title: `Task ${index}`, createdAt: new Date(start + index) })) });
    const pageStatements = async (query: string, after: string | null) => {
      statements.length = 0;
      const response = await server.graphql<{ myTasks: { edges: unknown[]; pageInfo: { endCursor: string } } }>(query, { token, variables: { after } });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.myTasks.edges).toHaveLength(100);
      return { count: statements.length, sql: [...statements], endCursor: response.body.data!.myTasks.pageInfo.endCursor };
    };
    const PAGE = 'query ($after: String) { myTasks(first: 100, after: $after) { edges { cursor node { id title done createdAt } } pageInfo { hasNextPage endCursor } } }';
    const first = await pageStatements(PAGE, null);
    let after = first.endCursor;
    for (let page = 2; page < 50; page++) after = (await pageStatements(PAGE, after)).endCursor;
    const fiftieth = await pageStatements(PAGE, after);
    expect(first.count).toBe(1);
    expect(fiftieth.count).toBe(1);
    const counted = await pageStatements(PAGE.replace('pageInfo {', 'totalCount pageInfo {'), null);
    expect(counted.count).toBe(2);
    expect(counted.sql.filter((sql) => /count\(/i.test(sql))).toHaveLength(1);
  });
});
