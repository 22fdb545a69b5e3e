/**
 * The data every benchmark serves: 100 menu items, 1,000 users with roles (20 of whom can log
 * in), all with fixed ids so that any process can rebuild them and mint tokens for them.
 */
import { ROLE_NAMES, type RoleName } from '../../src/kernel/permissions.js';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { syncPermissionCatalog } from '../../src/setup/seed.js';
import { benchMenuItems, fixedId } from './menu-fixture.js';

export { MENU_SIZE, benchMenuItems } from './menu-fixture.js';

export const USER_COUNT = 1000;
export const LOGIN_USER_COUNT = 20;
export const LOGIN_PASSWORD = 'benchmark-login-password';

export interface BenchUser {
  id: string;
  email: string;
  fullName: string;
  roles: RoleName[];
  canLogIn: boolean;
}

export const ADMIN_USER_ID = fixedId(2, 0);

export function benchUsers(): BenchUser[] {
  return Array.from({ length: USER_COUNT }, (_, index) => {
    const canLogIn = index >= 1 && index <= LOGIN_USER_COUNT;
    const roles: RoleName[] = index === 0 ? ['admin'] : index % 4 === 3 ? [] : [ROLE_NAMES[index % ROLE_NAMES.length]!];
    return {
      id: fixedId(2, index),
      email: index === 0 ? 'admin@bench.example' : canLogIn ? `login-${index}@bench.example` : `user-${index}@bench.example`,
      fullName: `Bench User ${index}`,
      roles,
      canLogIn,
    };
  });
}

export const loginUsers = () => benchUsers().filter((user) => user.canLogIn);

/** Migrates, syncs the permissions catalog and inserts the fixtures (`passwordHash` for the login users). */
export async function prepareBenchDatabase(db: Database, passwordHash: string): Promise<void> {
  await migrate(db);
  await syncPermissionCatalog(db.prisma);
  const users = benchUsers();
  const roleIds = new Map((await db.prisma.role.findMany()).map((role) => [role.name, role.id]));
  // Fixed, distinct creation times: lists keep the fixtures' order, and every database answers alike.
  const createdAt = (index: number) => new Date(Date.UTC(2025, 0, 1) + index * 1000);
  await db.prisma.menuItem.createMany({ data: benchMenuItems().map((item, index) => ({ ...item, createdAt: createdAt(index) })) });
  await db.prisma.user.createMany({
    data: users.map(({ id, email, fullName, canLogIn }, index) => ({ id, email, fullName, passwordHash: canLogIn ? passwordHash : null, createdAt: createdAt(index) })),
  });
  await db.prisma.userRole.createMany({
    data: users.flatMap((user) => user.roles.map((role) => ({ userId: user.id, roleId: roleIds.get(role)! }))),
  });
}
