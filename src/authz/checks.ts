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
