/**
 * The checks a service or resolver can call itself, as plain functions built on the same guards
 * and error shape the planner uses. Each returns the narrowed viewer or throws a client error.
 */
import type { Viewer } from '../kernel/viewer.js';
import { unauthenticated } from '../kernel/errors.js';
import { decide, denialError, type PermissionMode } from './guards.js';

export type { PermissionMode } from './guards.js';

/** Narrows the viewer where the schema already requires a signed-in one (`@auth`). */
export function requireAuth(viewer: Viewer | null | undefined): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** The `@hasPermission` rule, for a decision only the service can make; `coordinate` names what was denied. */
export function requirePermissions(viewer: Viewer | null | undefined, coordinate: string, permissions: readonly string[], mode: PermissionMode = 'ALL'): Viewer {
  const guard = { coordinate, rule: 'hasPermission' as const, permissions, mode };
  const verdict = decide(guard, viewer ?? null);
  if (verdict.outcome === 'denied') throw denialError(guard, viewer ?? null, verdict.missing);
  return viewer!;
}

/** Where @ownerOrPermission on a root field leaves its decision for the resolver (see ownerScope). */
export const OWNER_SCOPE = Symbol('ownerOrPermission scope');

/**
 * For a root field under `@ownerOrPermission` (a write naming its record by id): the owner the
 * resolver must restrict the record to — the viewer's id — or undefined when the viewer holds one
 * of the permissions (any record). Throws when the field has no such directive, so a resolver
 * that forgot it never writes unrestricted.
 */
export function ownerScope(context: object): string | undefined {
  const scope = (context as { [OWNER_SCOPE]?: { owner: string | undefined } })[OWNER_SCOPE];
  if (!scope) throw new Error('ownerScope() needs @ownerOrPermission on the root field');
  return scope.owner;
}
