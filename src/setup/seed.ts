/**
 * Seeding. The permissions catalog (permissions, roles and their links) is synced from code
 * at every start-up; demo data (users, the WHATABYTE menu, books, tasks) goes into an empty
 * database only. Both are idempotent.
 */
import type { PasswordHasher } from '../auth/passwords.js';
import { ALL_PERMISSIONS, PERMISSIONS, ROLES, ROLE_NAMES, type RoleName } from '../kernel/permissions.js';
import type { PrismaClient } from '../db/database.js';

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

/** Makes permissions, roles and their links match the catalog in code (extra links are removed). */
export async function syncPermissionCatalog(prisma: PrismaClient): Promise<void> {
  await prisma.$transaction(async (tx) => {
    for (const name of ALL_PERMISSIONS) {
      await tx.permission.upsert({ where: { name }, create: { name, description: PERMISSIONS[name] }, update: { description: PERMISSIONS[name] } });
    }
    const permissionIds = new Map((await tx.permission.findMany({ where: { name: { in: ALL_PERMISSIONS } } })).map((p) => [p.name, p.id]));
    for (const name of ROLE_NAMES) {
      const { description, permissions } = ROLES[name];
      const role = await tx.role.upsert({ where: { name }, create: { name, description }, update: { description } });
      const wanted = permissions.map((permission) => permissionIds.get(permission)!);
      await tx.rolePermission.deleteMany({ where: { roleId: role.id, permissionId: { notIn: wanted } } });
      await tx.rolePermission.createMany({ data: wanted.map((permissionId) => ({ roleId: role.id, permissionId })), skipDuplicates: true });
    }
  });
}

/** Inserts the demo users, menu, books and tasks when the database has no user yet; true if it did. */
export async function seedDemoData(prisma: PrismaClient, hasher: PasswordHasher, passwords: DemoPasswords): Promise<boolean> {
  if ((await prisma.user.count()) > 0) return false;
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
