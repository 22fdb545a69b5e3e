/**
 * Lists with nested relations cost a constant number of SQL statements per request, whatever
 * their length: counted at the driver, over real HTTP, for 10, 100 and 1,000 users.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_NAMES } from '../src/kernel/permissions.js';
import { createTestDatabase } from './helpers/database.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const USERS_WITH_ROLES = /* GraphQL */ `
  query UsersWithRoles {
    users { id email roles permissions }
  }
`;

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

  async function statementsToList(total: number): Promise<string[]> {
    await growUsersTo(total);
    statements.length = 0;
    const response = await server.graphql<{ users: { id: string; roles: string[]; permissions: string[] }[] }>(USERS_WITH_ROLES, { token: adminToken });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.users).toHaveLength(total);
    // The nested relations really were loaded: roles and the permissions they grant.
    expect(response.body.data!.users.filter((user) => user.roles.includes('menu-admin')).every((user) => user.permissions.includes('update:items'))).toBe(true);
    return [...statements];
  }

  it('lists 10, 100 and 1,000 users with roles and permissions in the same number of statements', async () => {
    const forTen = await statementsToList(10);
    const forHundred = await statementsToList(100);
    const forThousand = await statementsToList(1000);

    expect(forTen.length).toBeGreaterThan(0);
    expect(forHundred.length).toBe(forTen.length);
    expect(forThousand.length).toBe(forTen.length);
    // users, user_roles, roles, role_permissions, permissions: one statement per relation at most.
    expect(forThousand.length).toBeLessThanOrEqual(5);
  });
});
