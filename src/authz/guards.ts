/**
 * A guard is one authorization rule stated in the schema, at one coordinate (`Query.users`,
 * `Query.users(includeDisabled:)`, `CreateTaskInput.ownerId`). This module decides a guard for a
 * viewer and turns a denial into the one error shape every rule shares.
 */
import type { Viewer } from '../kernel/viewer.js';
import { ClientError, ErrorCode } from '../kernel/errors.js';

export type Rule = 'auth' | 'hasPermission' | 'ownerOrPermission';
export type PermissionMode = 'ALL' | 'ANY';

export interface Guard {
  coordinate: string;
  rule: Rule;
  /** `auth`: none. `hasPermission`: all of them, or one with mode ANY. `ownerOrPermission`: any one, unless the viewer owns the record. */
  permissions: readonly string[];
  mode: PermissionMode;
}

/** `settled`: decided from the viewer alone. `data`: only the record can tell (the viewer may own it). */
export type Verdict = { outcome: 'allowed' } | { outcome: 'data' } | { outcome: 'denied'; missing?: string[] };

const ALLOWED: Verdict = { outcome: 'allowed' };
const NEEDS_DATA: Verdict = { outcome: 'data' };

export function missingPermissions(held: ReadonlySet<string>, permissions: readonly string[], mode: PermissionMode = 'ALL'): string[] {
  const missing = permissions.filter((permission) => !held.has(permission));
  if (mode === 'ANY' && missing.length < permissions.length) return [];
  return missing;
}

/** The static decision of a guard for a viewer: what the planner evaluates once per operation. */
export function decide(guard: Guard, viewer: Viewer | null): Verdict {
  if (guard.rule === 'ownerOrPermission') {
    // Even an anonymous reader may own a record: the user a login just returned (see readableByItsSubject).
    if (viewer && missingPermissions(viewer.permissions, guard.permissions, 'ANY').length === 0) return ALLOWED;
    return NEEDS_DATA;
  }
  if (!viewer) return { outcome: 'denied' };
  if (guard.rule === 'auth') return ALLOWED;
  const missing = missingPermissions(viewer.permissions, guard.permissions, guard.mode);
  return missing.length === 0 ? ALLOWED : { outcome: 'denied', missing };
}

/**
 * Records an `ownerOrPermission` rule let through because the viewer holds a permission or owns the
 * record: objects handed to the reader by the operation itself (the user a login returns) are
 * marked here, never by id, so the mark cannot reach another record.
 */
const ownedByReader = new WeakSet<object>();

/** Marks `record` as readable by whoever receives it in this response (its subject just proved who they are). */
export function readableByItsSubject<T extends object>(record: T): T {
  ownedByReader.add(record);
  return record;
}

/** The data-dependent half of `ownerOrPermission`, run as the field resolves. */
export function decideForRecord(guard: Guard, viewer: Viewer | null, record: object, ownerId: unknown): Verdict {
  if (ownedByReader.has(record)) return ALLOWED;
  if (viewer && ownerId !== undefined && ownerId !== null && viewer.userId === String(ownerId)) return ALLOWED;
  if (!viewer) return { outcome: 'denied' };
  const missing = missingPermissions(viewer.permissions, guard.permissions, 'ANY');
  return missing.length === 0 ? ALLOWED : { outcome: 'denied', missing };
}

function denialMessage(guard: Guard, signedIn: boolean, missing: readonly string[]): string {
  if (!signedIn) return 'Requires authentication';
  const list = missing.join(', ');
  if (guard.rule === 'ownerOrPermission') return `Readable by its owner, or with the permission: ${list}`;
  if (guard.mode === 'ANY' && missing.length > 1) return `Requires one of the permissions: ${list}`;
  return `Missing permission: ${list}`;
}

export interface DenialDetails {
  coordinate: string;
  rule: Rule;
  required: string[];
  /** Only for a signed-in viewer. */
  missing?: string[];
  mode?: 'ANY';
}

/** The error of a denial: UNAUTHENTICATED for an anonymous viewer, FORBIDDEN otherwise, with `extensions.authorization`. */
export function denialError(guard: Guard, viewer: Viewer | null, missing: readonly string[] = []): ClientError {
  const signedIn = viewer !== null;
  const authorization: DenialDetails = {
    coordinate: guard.coordinate,
    rule: guard.rule,
    required: [...guard.permissions],
    ...(signedIn && { missing: [...missing] }),
    ...(guard.mode === 'ANY' && guard.permissions.length > 1 && { mode: 'ANY' as const }),
  };
  return new ClientError(signedIn ? ErrorCode.FORBIDDEN : ErrorCode.UNAUTHENTICATED, denialMessage(guard, signedIn, missing), { authorization });
}

export function isDenialError(error: { extensions?: Record<string, unknown> }): boolean {
  return typeof error.extensions?.authorization === 'object' && error.extensions.authorization !== null;
}
