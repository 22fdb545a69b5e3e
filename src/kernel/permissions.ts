/**
 * The permissions catalog: the one typed list of every permission and role. The schema's
 * directives, the seed, the start-up check and the README table are all derived from it.
 */
export const PERMISSIONS = {
  'create:items': 'Create menu items',
  'update:items': 'Update menu items',
  'delete:items': 'Delete menu items',
  'create:books': 'Create books',
  'update:books': 'Update books',
  'delete:books': 'Delete books',
  'read:users': 'Read every user and their roles',
  'manage:users': 'Grant and revoke roles, disable and enable users',
  'read:admin-messages': 'Read the admin message',
  'assign:tasks': 'Create tasks for other users',
} as const satisfies Record<string, string>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export const ROLES = {
  admin: { description: 'Everything', permissions: ALL_PERMISSIONS },
  'menu-admin': { description: 'Manages the menu', permissions: ['create:items', 'update:items', 'delete:items'] },
  'book-admin': { description: 'Manages the books', permissions: ['create:books', 'update:books', 'delete:books'] },
} as const satisfies Record<string, { description: string; permissions: readonly Permission[] }>;

export type RoleName = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}

export function isRoleName(name: string): name is RoleName {
  return Object.hasOwn(ROLES, name);
}
