/**
 * Seeding. The permissions catalog (permissions, roles and their links) is synced from code
 * at every start-up; demo data (users, the WHATABYTE menu, books, tasks) goes into an empty
 * database only. Both are idempotent.
 */
import type { PasswordHasher } from '../auth/passwords.js';
import { ALL_PERMISSIONS, PERMISSIONS, ROLES, ROLE_NAMES, type RoleName } from '../kernel/permissions.js';
import type { Database } from '../db/database.js';

export const DEMO_USERS = [
  { key: 'admin', email: 'admin@example.com', fullName: 'Ada Admin', roles: ['admin'] },
  { key: 'menu', email: 'menu@example.com', fullName: 'Manu Menu', roles: ['menu-admin'] },
  { key: 'user', email: 'user@example.com', fullName: 'Uma User', roles: [] },
] as const satisfies readonly { key: string; email: string; fullName: string; roles: readonly RoleName[] }[];

export type DemoPasswords = Record<(typeof DEMO_USERS)[number]['key'], string>;

/** The menu of the WHATABYTE tutorial; prices in cents. */
export const DEMO_MENU = [
  { name: 'Burger', price: 599, description: 'Tasty', image: 'https://cdn.auth0.com/blog/whatabyte/burger-sm.png' },
  { name: 'Pizza', price: 299, description: 'Cheesy', image: 'https://cdn.auth0.com/blog/whatabyte/pizza-sm.png' },
  { name: 'Tea', price: 199, description: 'Informative', image: 'https://cdn.auth0.com/blog/whatabyte/tea-sm.png' },
  { name: 'Salad', price: 499, description: 'Fresh', image: 'https://images.ctfassets.net/23aumh6u8s0i/5pnNAeu0kev0P5Neh9W0jj/5b62440be149d0c1a9cb84a255662205/whatabyte_salad-sm.png' },
];

export const DEMO_BOOKS = [
  { title: 'The Pragmatic Programmer', author: 'Andrew Hunt and David Thomas', publishedYear: 1999, summary: 'From journeyman to master.' },
  { title: 'Designing Data-Intensive Applications', author: 'Martin Kleppmann', publishedYear: 2017, summary: 'The big ideas behind reliable, scalable systems.' },
  { title: 'Clean Code', author: 'Robert C. Martin', publishedYear: 2008, summary: null },
  { title: 'Refactoring', author: 'Martin Fowler', publishedYear: 1999, summary: 'Improving the design of existing code.' },
];

export const DEMO_TASKS: Record<(typeof DEMO_USERS)[number]['key'], string[]> = {
  admin: ['Review the permissions catalog', 'Rotate the JWT secret'],
  menu: ['Add a dessert to the menu'],
  user: ['Buy milk', 'Read "Designing Data-Intensive Applications"', 'Try the GraphQL Sandbox'],
};

/**
 * One statement (data-modifying CTEs), so the catalog changes all at once on a pooled connection
 * without a transaction, and a start-up pays one round trip instead of some twenty Prisma
 * statements (0.4 s of every embedded start, 1 s of a fresh one; BENCHMARKS.md, start-up).
 */
const SYNC_CATALOG = `
WITH upserted_permissions AS (
  INSERT INTO permissions (id, name, description)
  SELECT gen_random_uuid(), name, description FROM unnest($1::text[], $2::text[]) AS wanted(name, description)
  ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description
  RETURNING id, name
), upserted_roles AS (
  INSERT INTO roles (id, name, description)
  SELECT gen_random_uuid(), name, description FROM unnest($3::text[], $4::text[]) AS wanted(name, description)
  ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description
  RETURNING id, name
), wanted_links AS (
  SELECT role.id AS role_id, permission.id AS permission_id
  FROM unnest($5::text[], $6::text[]) AS link(role_name, permission_name)
  JOIN upserted_roles role ON role.name = link.role_name
  JOIN upserted_permissions permission ON permission.name = link.permission_name
), removed_links AS (
  DELETE FROM role_permissions existing USING upserted_roles role
  WHERE existing.role_id = role.id
    AND NOT EXISTS (SELECT 1 FROM wanted_links wanted WHERE wanted.role_id = existing.role_id AND wanted.permission_id = existing.permission_id)
)
INSERT INTO role_permissions (role_id, permission_id) SELECT role_id, permission_id FROM wanted_links ON CONFLICT DO NOTHING`;

/** Makes permissions, roles and their links match the catalog in code (extra links are removed; other permissions and roles stay). */
export async function syncPermissionCatalog(db: Pick<Database, 'sql'>): Promise<void> {
  const links = ROLE_NAMES.flatMap((role) => [...new Set<string>(ROLES[role].permissions)].map((permission) => [role, permission] as const));
  await db.sql.query(SYNC_CATALOG, [
    ALL_PERMISSIONS,
    ALL_PERMISSIONS.map((name) => PERMISSIONS[name]),
    ROLE_NAMES,
    ROLE_NAMES.map((name) => ROLES[name].description),
    links.map(([role]) => role),
    links.map(([, permission]) => permission),
  ]);
}

/** Inserts the demo users, menu, books and tasks when the database has no user yet; true if it did. */
export async function seedDemoData(db: Pick<Database, 'prisma' | 'sql'>, hasher: PasswordHasher, passwords: DemoPasswords): Promise<boolean> {
  const [row] = await db.sql.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM users) AS empty');
  if (!row!.empty) return false;
  const { prisma } = db;
  const hashes = await Promise.all(DEMO_USERS.map((user) => hasher.hash(passwords[user.key])));
  await prisma.$transaction(async (tx) => {
    const roles = new Map((await tx.role.findMany()).map((role) => [role.name, role.id]));
    for (const [index, demo] of DEMO_USERS.entries()) {
      await tx.user.create({
        data: {
          email: demo.email,
          fullName: demo.fullName,
          passwordHash: hashes[index]!,
          roles: { create: demo.roles.map((role) => ({ roleId: roles.get(role)! })) },
          tasks: { create: DEMO_TASKS[demo.key].map((title) => ({ title })) },
        },
      });
    }
    if ((await tx.menuItem.count()) === 0) await tx.menuItem.createMany({ data: DEMO_MENU });
    if ((await tx.book.count()) === 0) await tx.book.createMany({ data: DEMO_BOOKS });
  });
  return true;
}
