/**
 * The permissions catalog in code is what every start-up writes (src/setup/seed.ts): roles and
 * permissions are created or corrected, a catalog role's extra links removed, and what the
 * operator added outside the catalog kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { ALL_PERMISSIONS, PERMISSIONS, ROLES, ROLE_NAMES } from '../src/kernel/permissions.js';
import { syncPermissionCatalog } from '../src/setup/seed.js';
import { createTestDatabase } from './helpers/database.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

async function storedRoles() {
  const roles = await db.prisma.role.findMany({ include: { permissions: { include: { permission: true } } } });
  return Object.fromEntries(roles.map((role) => [role.name, { description: role.description, permissions: role.permissions.map((link) => link.permission.name).sort() }]));
}

const catalogRoles = () =>
  Object.fromEntries(ROLE_NAMES.map((name) => [name, { description: ROLES[name].description, permissions: [...new Set<string>(ROLES[name].permissions)].sort() }]));

describe('the permissions catalog', () => {
  it('is stored as the code declares it, and a second sync changes nothing', async () => {
    const permissions = await db.prisma.permission.findMany();
    expect(Object.fromEntries(permissions.map((permission) => [permission.name, permission.description]))).toEqual(PERMISSIONS);
    expect(await storedRoles()).toEqual(catalogRoles());
    const ids = permissions.map((permission) => permission.id).sort();

    await syncPermissionCatalog(db);
    expect((await db.prisma.permission.findMany()).map((permission) => permission.id).sort()).toEqual(ids);
    expect(await storedRoles()).toEqual(catalogRoles());
  });

  it('puts back what was changed by hand, removes extra links of catalog roles, and keeps roles and permissions of its own', async () => {
    const menuAdmin = await db.prisma.role.update({ where: { name: 'menu-admin' }, data: { description: 'edited' } });
    await db.prisma.permission.update({ where: { name: 'create:items' }, data: { description: 'edited' } });
    const deleteUsers = ALL_PERMISSIONS.find((name) => !ROLES['menu-admin'].permissions.includes(name as never))!;
    const extra = await db.prisma.permission.findUniqueOrThrow({ where: { name: deleteUsers } });
    await db.prisma.rolePermission.create({ data: { roleId: menuAdmin.id, permissionId: extra.id } });
    await db.prisma.rolePermission.deleteMany({ where: { roleId: menuAdmin.id, permission: { name: 'update:items' } } });
    const own = await db.prisma.permission.create({ data: { name: 'read:reports', description: 'local' } });
    await db.prisma.role.create({ data: { name: 'auditor', description: 'local', permissions: { create: [{ permissionId: own.id }] } } });

    await syncPermissionCatalog(db);

    expect(await db.prisma.permission.findUniqueOrThrow({ where: { name: 'create:items' } })).toMatchObject({ description: PERMISSIONS['create:items'] });
    expect(await storedRoles()).toEqual({ ...catalogRoles(), auditor: { description: 'local', permissions: ['read:reports'] } });
  });
});
