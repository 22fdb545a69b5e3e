/**
 * Target 5: SQL statements per request stay constant as lists grow. The real app (in this
 * process) over a database whose driver reports each statement (openDatabase's onQuery);
 * a page of `users(first: 100) { … id email roles permissions }` as an admin for 10, 100 and
 * 1,000 users, each with roles and their permissions (the last page, read by following endCursor). test/sql-statements.test.ts asserts the same in the test suite.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { syncPermissionCatalog } from '../src/setup/seed.js';
import { createBenchDatabase } from './lib/database.js';
import { benchEnvironment, tokenFor } from './lib/environment.js';
import { ADMIN_USER_ID } from './lib/fixtures.js';
import { graphqlOnce } from './lib/load.js';
import type { Benchmark } from './lib/result.js';

const SIZES = [10, 100, 1000] as const;
const USERS_WITH_ROLES = /* GraphQL */ `
  query UsersWithRoles($after: String) {
    users(first: 100, after: $after) { edges { node { id email roles permissions } } pageInfo { hasNextPage endCursor } }
  }
`;
type UsersPage = { users: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

export const sqlStatementsBenchmark: Benchmark = {
  name: 'sql-statements',
  description: 'Target 5: SQL statements per page (of 100) for lists of 10, 100 and 1,000 users with roles and permissions',
  async run() {
    const database = await createBenchDatabase();
    const statements: string[] = [];
    const db = await openDatabase({ url: database.url, onQuery: (sql) => statements.push(sql) });
    try {
      await migrate(db);
      await syncPermissionCatalog(db);
      const roles = await db.prisma.role.findMany({ orderBy: { name: 'asc' } });
      const roleIds = roles.map((role) => role.id);
      const adminRoleId = roles.find((role) => role.name === 'admin')!.id;
      await db.prisma.user.create({
        data: { id: ADMIN_USER_ID, email: 'admin@bench.example', fullName: 'Bench Admin', roles: { create: [{ roleId: adminRoleId }] } },
      });

      const server = await createApp(loadConfig(benchEnvironment(database.url)), db);
      await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
      const counts: Record<number, number> = {};
      try {
        for (const size of SIZES) {
          const missing = size - (await db.prisma.user.count());
          const users = Array.from({ length: missing }, (_, index) => ({ id: randomUUID(), email: `listed-${size}-${index}@bench.example`, fullName: `Listed ${index}` }));
          await db.prisma.user.createMany({ data: users });
          await db.prisma.userRole.createMany({
            data: users.flatMap((user, index) => (index % 4 === 3 ? [] : [{ userId: user.id, roleId: roleIds[index % roleIds.length]! }])),
          });
          let after: string | null = null;
          let listed = 0;
          for (;;) {
            statements.length = 0;
            const { users: page }: UsersPage = await graphqlOnce<UsersPage>(url, { query: USERS_WITH_ROLES, token: tokenFor(ADMIN_USER_ID), variables: { after } });
            listed += page.edges.length;
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor;
          }
          if (listed !== size) throw new Error(`expected ${size} users, got ${listed}`);
          counts[size] = statements.length;
        }
      } finally {
        await server.stop();
      }
      return [
        {
          id: '5',
          name: 'SQL statements per request, 1,000 users vs 10 (roles + permissions)',
          ratio: counts[1000]! / counts[10]!,
          target: { comparison: '=', value: 1 },
          ratioOf: 'statements for 1,000 users / statements for 10 users',
          context: Object.fromEntries(SIZES.map((size) => [`statements for ${size}`, counts[size]!])),
          notes: database.note ? [database.note] : [],
        },
      ];
    } finally {
      await db.close();
      await database.drop();
    }
  },
};
