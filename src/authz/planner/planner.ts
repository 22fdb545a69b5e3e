/**
 * The authorization planner: before anything executes, it decides every static guard of an
 * operation once, against the viewer's permission set, and returns the operation's plan — the
 * denials with their paths, the document to execute without the denied fields, and the rules
 * left to the data. Plans are cached per document, operation name and permission fingerprint,
 * so viewers with the same permissions share one. No HTTP, no Apollo: a plain module.
 */
import { GraphQLError, Kind, visit, type DocumentNode, type FieldNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '../../kernel/viewer.js';
import { decide, denialError, type Guard } from '../guards.js';
import type { SchemaGuards } from '../schema-guards.js';
import { analyzeOperation, LIST_POSITION, probeIsUsed, type OperationAnalysis, type PathSegment } from './analyze.js';

/** `filter`: denied fields answer null with an error, the rest runs. `reject`: any denial stops the whole operation. */
export type UnauthorizedMode = 'filter' | 'reject';

export interface Denial {
  guard: Guard;
  /** The denied field, for the error's location. */
  node: FieldNode;
  path: readonly PathSegment[];
  /** Permissions the viewer lacks (signed-in viewers only). */
  missing: readonly string[];
}

export interface AuthorizationPlan {
  operationType: 'query' | 'mutation' | 'subscription';
  denials: readonly Denial[];
  /** What to execute: the operation with every denied field answered by a placeholder, or the document itself. */
  document: DocumentNode;
  /** Coordinates of the data-dependent rules the viewer's permissions did not settle. */
  dataChecks: ReadonlySet<string>;
  /** Nothing may execute: the mode is `reject`, or a root field of a mutation or subscription is denied (all or nothing). */
  blocked: boolean;
}

export interface PlanRequest {
  document: DocumentNode;
  operationName: string | null | undefined;
  /** Identifies the document's text (Apollo's query hash); documents with the same key share analyses and plans. */
  documentKey: string;
  viewer: Viewer | null;
  variables?: Readonly<Record<string, unknown>>;
}

export interface PlannerOptions {
  mode: UnauthorizedMode;
  /** Plans kept (least recently used go first). */
  cacheSize?: number;
}

/** Counts for tests and metrics: a statically guarded field costs one evaluation per plan, not one per item. */
export interface PlannerStats {
  plansComputed: number;
  guardEvaluations: number;
}

/** What the client sees for a denied field: its response key answered by `__typename`, replaced by null afterwards. */
const PLACEHOLDER_FIELD = '__typename';

export function permissionFingerprint(viewer: Viewer | null): string {
  return viewer ? `signed-in:${[...viewer.permissions].sort().join(',')}` : 'anonymous';
}

export class Planner {
  readonly stats: PlannerStats = { plansComputed: 0, guardEvaluations: 0 };
  private readonly analyses: LRUCache<string, OperationAnalysis>;
  private readonly plans: LRUCache<string, AuthorizationPlan>;

  constructor(
    readonly guards: SchemaGuards,
    readonly options: PlannerOptions,
  ) {
    const max = options.cacheSize ?? 1000;
    this.analyses = new LRUCache({ max });
    this.plans = new LRUCache({ max });
  }

  /** Everything the operation touches, independent of any viewer (what the manifest is made of). */
  analyze(document: DocumentNode, operationName: string | null | undefined, documentKey?: string): OperationAnalysis {
    const key = documentKey === undefined ? undefined : `${documentKey}\n${operationName ?? ''}`;
    const cached = key === undefined ? undefined : this.analyses.get(key);
    if (cached) return cached;
    const analysis = analyzeOperation(this.guards, document, operationName);
    if (key !== undefined) this.analyses.set(key, analysis);
    return analysis;
  }

  plan({ document, operationName, documentKey, viewer, variables }: PlanRequest): AuthorizationPlan {
    const analysis = this.analyze(document, operationName, documentKey);
    const used = analysis.guarded.map((selection) => !selection.probe || probeIsUsed(selection.probe, variables));
    const key = `${documentKey}\n${operationName ?? ''}\n${permissionFingerprint(viewer)}${analysis.hasProbes ? `\n${used.map(Number).join('')}` : ''}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const plan = this.computePlan(analysis, document, viewer, used);
    this.plans.set(key, plan);
    return plan;
  }

  private computePlan(analysis: OperationAnalysis, document: DocumentNode, viewer: Viewer | null, used: readonly boolean[]): AuthorizationPlan {
    this.stats.plansComputed += 1;
    const deniedNodes = new Set<FieldNode>();
    const reported = new Set<string>();
    const denials: Denial[] = [];
    const dataChecks = new Set<string>();

    analysis.guarded.forEach((selection, index) => {
      if (!used[index] || selection.ancestors.some((ancestor) => deniedNodes.has(ancestor))) return;
      this.stats.guardEvaluations += 1;
      const verdict = decide(selection.guard, viewer);
      if (verdict.outcome === 'allowed') return;
      if (verdict.outcome === 'data') {
        dataChecks.add(selection.guard.coordinate);
        return;
      }
      deniedNodes.add(selection.node);
      const pathKey = selection.path.join('\u0000');
      if (reported.has(pathKey)) return;
      reported.add(pathKey);
      denials.push({ guard: selection.guard, node: selection.node, path: selection.path, missing: verdict.missing ?? [] });
    });

    const operationType = analysis.operation.operation;
    const rootDenied = denials.some((denial) => denial.path.length === 1);
    return {
      operationType,
      denials,
      document: deniedNodes.size === 0 ? document : withPlaceholders(document, deniedNodes),
      dataChecks,
      // A subscription whose root field is denied does not start: it has no event to answer null in.
      blocked: denials.length > 0 && (this.options.mode === 'reject' || (operationType !== 'query' && rootDenied)),
    };
  }
}

function withPlaceholders(document: DocumentNode, denied: ReadonlySet<FieldNode>): DocumentNode {
  return visit(document, {
    Field(node): FieldNode | undefined {
      if (!denied.has(node)) return undefined;
      return {
        kind: Kind.FIELD,
        alias: { kind: Kind.NAME, value: node.alias?.value ?? node.name.value },
        name: { kind: Kind.NAME, value: PLACEHOLDER_FIELD },
        directives: node.directives,
      };
    },
  });
}

/** The errors of a plan's denials, one per denied selection (a list position counts once, as `"@"`). */
export function denialErrors(plan: AuthorizationPlan, viewer: Viewer | null): GraphQLError[] {
  return plan.denials.map((denial) => {
    const error = denialError(denial.guard, viewer, denial.missing);
    return new GraphQLError(error.message, { nodes: [denial.node], path: denial.path, extensions: error.extensions });
  });
}

/** Sets the placeholder at every denied path to null (in place), keeping the response's key order. */
export function nullDeniedFields(data: Record<string, unknown>, denials: readonly Denial[]): void {
  for (const denial of denials) setNull(data, denial.path);
}

function setNull(value: unknown, path: readonly PathSegment[]): void {
  if (value === null || typeof value !== 'object') return;
  const [segment, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (segment === LIST_POSITION) {
    if (Array.isArray(value)) for (const item of value) setNull(item, rest);
    return;
  }
  const record = value as Record<string, unknown>;
  if (rest.length === 0) {
    if (segment in record) record[segment] = null;
    return;
  }
  setNull(record[segment], rest);
}

/**
 * Data-dependent denials happen per record; a list of them gives one error per denied selection:
 * list indices become `"@"` and repeats are dropped.
 */
export function collapseListDenials<E extends GraphQLError>(errors: readonly E[]): E[] {
  const seen = new Set<string>();
  const collapsed: E[] = [];
  for (const error of errors) {
    const authorization = error.extensions?.authorization as { coordinate?: string } | undefined;
    if (!authorization || !error.path || !error.path.some((segment) => typeof segment === 'number')) {
      collapsed.push(error);
      continue;
    }
    const path = error.path.map((segment) => (typeof segment === 'number' ? LIST_POSITION : segment));
    const key = `${authorization.coordinate}\u0000${path.join('\u0000')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    collapsed.push(new GraphQLError(error.message, { path, extensions: error.extensions, nodes: error.nodes, source: error.source, positions: error.positions, originalError: error.originalError }) as E);
  }
  return collapsed;
}
