/**
 * The authorization checks, as plain functions: the directives call them, and services can
 * call them too. Each returns the narrowed viewer or throws a client error.
 */
import type { Viewer } from '../auth/viewer.js';
import { forbidden, unauthenticated } from '../graphql/errors.js';

export type PermissionMode = 'ALL' | 'ANY';

export function requireAuth(viewer: Viewer | null | undefined): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

export function missingPermissions(viewer: Viewer, permissions: readonly string[], mode: PermissionMode = 'ALL'): string[] {
  const missing = permissions.filter((permission) => !viewer.permissions.has(permission));
  if (mode === 'ANY' && missing.length < permissions.length) return [];
  return missing;
}

export function requirePermissions(
  viewer: Viewer | null | undefined,
  permissions: readonly string[],
  mode: PermissionMode = 'ALL',
): Viewer {
  const signedIn = requireAuth(viewer);
  const missing = missingPermissions(signedIn, permissions, mode);
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw forbidden(
      mode === 'ANY' && missing.length > 1 ? `Requires one of the permissions: ${list}` : `Missing permission: ${list}`,
      { missingPermissions: missing },
    );
  }
  return signedIn;
}

/** The owner of a record, or anyone holding `permissions`, may read it. */
export function requireSelfOrPermissions(
  viewer: Viewer | null | undefined,
  ownerId: string,
  permissions: readonly string[],
): Viewer {
  const signedIn = requireAuth(viewer);
  if (signedIn.userId === ownerId) return signedIn;
  return requirePermissions(signedIn, permissions, 'ANY');
}
