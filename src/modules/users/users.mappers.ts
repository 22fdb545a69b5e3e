/** The internal shape behind the GraphQL `User`: the row plus its roles. The password hash never leaves through it, because User has no field for it. */
import type { Prisma } from '../../generated/prisma/client.js';
import type { Connection } from '../../kernel/pagination.js';

export const USER_WITH_ROLES = {
  roles: { include: { role: { include: { permissions: { include: { permission: true } } } } } },
} as const satisfies Prisma.UserInclude;

export type UserEntity = Prisma.UserGetPayload<{ include: typeof USER_WITH_ROLES }>;

export type UserConnectionEntity = Connection<UserEntity>;

export function roleNamesOf(user: UserEntity): string[] {
  return user.roles.map(({ role }) => role.name).sort();
}

export function permissionsOf(user: UserEntity): string[] {
  return [...new Set(user.roles.flatMap(({ role }) => role.permissions.map(({ permission }) => permission.name)))].sort();
}
