/**
 * The data every benchmark serves: 100 menu items (or as many as a scaling benchmark asks for),
 * 1,000 users with roles (20 of whom can log in), all with fixed ids so that any process can
 * rebuild them and mint tokens for them.
 */
import { ROLE_NAMES, type RoleName } from '../../src/kernel/permissions.js';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { syncPermissionCatalog } from '../../src/setup/seed.js';
import { benchMenuItems, fixedId, MENU_SIZE } from './menu-fixture.js';

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

/** Fixed, distinct creation times, a second apart: lists keep the fixtures' order, and every database answers alike. */
const FIRST_CREATED_AT = Date.UTC(2025, 0, 1);
export const fixtureCreatedAt = (index: number) => new Date(FIRST_CREATED_AT + index * 1000);

/**
 * Menu items past the first MENU_SIZE, exactly as benchMenuItem would make them, in one INSERT … SELECT: a million rows take seconds, not the minutes of createMany.
 */
const MORE_MENU_ITEMS = `
  INSERT INTO menu_items (id, name, price, description, image, created_at, updated_at)
  SELECT ('b0000001-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
         'Dish number ' || (i + 1),
         199 + (i * 37) % 1800,
         'A house speciality, freshly made every morning; portion ' || CASE WHEN i % 3 = 0 THEN 'large' ELSE 'regular' END || '.',
         'https://cdn.example.com/menu/dish-' || (i + 1) || '-sm.png',
         $1::timestamp + i * interval '1 second',
         $1::timestamp + i * interval '1 second'
  FROM generate_series($2::int, $3::int - 1) AS i`;

async function insertMenuItems(db: Database, count: number): Promise<void> {
  const fixtures = benchMenuItems(Math.min(count, MENU_SIZE));
  await db.prisma.menuItem.createMany({ data: fixtures.map((item, index) => ({ ...item, createdAt: fixtureCreatedAt(index) })) });
  if (count <= MENU_SIZE) return;
  await db.sql.query(MORE_MENU_ITEMS, [new Date(FIRST_CREATED_AT).toISOString().replace('Z', ''), MENU_SIZE, count]);
  // Fresh statistics, as autovacuum would gather for a table this size, so the planner sees its real size.
  await db.sql.exec('ANALYZE menu_items');
}

/**
 * Migrates, syncs the permissions catalog and inserts the fixtures (`passwordHash` for the login
 * users); `menuItemCount` menu items, of which the first MENU_SIZE are always the same.
 */
export async function prepareBenchDatabase(db: Database, passwordHash: string, menuItemCount = MENU_SIZE): Promise<void> {
  await migrate(db);
  await syncPermissionCatalog(db);
  const users = benchUsers();
  const roleIds = new Map((await db.prisma.role.findMany()).map((role) => [role.name, role.id]));
  await insertMenuItems(db, menuItemCount);
  await db.prisma.user.createMany({
    data: users.map(({ id, email, fullName, canLogIn }, index) => ({ id, email, fullName, passwordHash: canLogIn ? passwordHash : null, createdAt: fixtureCreatedAt(index) })),
  });
  await db.prisma.userRole.createMany({
    data: users.flatMap((user) => user.roles.map((role) => ({ userId: user.id, roleId: roleIds.get(role)! }))),
  });
}
