/**
 * The authorization planner: before anything executes, it decides every static guard of an
 * operation once, against the viewer's permission set, and returns the operation's plan — the
 * denials with their paths, the document to execute without the denied fields, and the rules
 * left to the data. Plans are cached per document, operation name and permission fingerprint,
 * so viewers with the same permissions share one; when a guard depends on variables, the key also
 * holds which of those guards the (coerced) variables use, and nothing else about them, so a plan
 * serves exactly the requests to which the same guards apply. No HTTP, no Apollo: a plain module.
 */
import { getVariableValues, GraphQLError, Kind, visit, type DocumentNode, type FieldNode, type SelectionNode } from 'graphql';
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
  /**
   * Set when the records at `path` may be of several types and the field is denied on some only:
   * records of a denied type carry one of these keys (removed again by nullDeniedFields), and only
   * they answer null there.
   */
  markers?: string[];
}

/** A field on an interface denied on some of its possible types: those types, the others, and the key that marks denied records. */
interface DeniedOnTypes {
  types: readonly string[];
  allowed: readonly string[];
  marker: string;
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
  /**
   * The variables do not coerce (graphql-js's own errors, as its execute would answer): nothing
   * may execute, and no guard was decided. Such a plan is never cached.
   */
  variableErrors?: readonly GraphQLError[];
}

export interface PlanRequest {
  document: DocumentNode;
  operationName: string | null | undefined;
  /** Identifies the document's text (Apollo's query hash); documents with the same key share analyses and plans. */
  documentKey: string;
  viewer: Viewer | null;
  /** The request's variables as sent; the planner coerces them against the operation's definitions, as the executor will. */
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
    let coerced: Record<string, unknown> = {};
    if (analysis.hasProbes) {
      // What the executor will see: defaults of the variable definitions and of input fields filled in.
      const values = getVariableValues(this.guards.schema, analysis.operation.variableDefinitions ?? [], { ...variables });
      if (values.errors) return { operationType: analysis.operation.operation, denials: [], document, dataChecks: new Set(), blocked: true, variableErrors: values.errors };
      coerced = values.coerced;
    }
    const used = analysis.guarded.map((selection) => !selection.probe || probeIsUsed(selection.probe, coerced, this.guards));
    const key = `${documentKey}\n${operationName ?? ''}\n${permissionFingerprint(viewer)}${analysis.hasProbes ? `\n${used.map(Number).join('')}` : ''}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const plan = this.computePlan(analysis, document, viewer, used);
    this.plans.set(key, plan);
    return plan;
  }

  private computePlan(analysis: OperationAnalysis, document: DocumentNode, viewer: Viewer | null, used: readonly boolean[]): AuthorizationPlan {
    this.stats.plansComputed += 1;
    /** Denied fields, with the key that marks their records when those may be of several types. */
    const deniedNodes = new Map<FieldNode, string | undefined>();
    /** Fields on an interface denied on some possible types so far (each field's decisions are consecutive). */
    const deniedOnTypes = new Map<FieldNode, { types: Set<string>; possible: readonly string[]; first: Denial; ancestors: readonly FieldNode[] }>();
    const partial = new Map<FieldNode, DeniedOnTypes>();
    const byPath = new Map<string, Denial>();
    const denials: Denial[] = [];
    const dataChecks = new Set<string>();
    let markers = 0;
    const newMarker = (path: readonly PathSegment[]) => `__denied${markers++}_${path.at(-1)}`;

    /** One error per path; every denial at it still nulls its records. */
    const report = (denial: Denial, marker: string | undefined) => {
      const pathKey = denial.path.join('\u0000');
      const existing = byPath.get(pathKey);
      if (existing) {
        if (existing.markers && marker) existing.markers.push(marker);
        else delete existing.markers;
        return;
      }
      const reported = { ...denial, ...(marker && { markers: [marker] }) };
      byPath.set(pathKey, reported);
      denials.push(reported);
    };
    const deny = (denial: Denial, marked: boolean) => {
      const marker = marked ? newMarker(denial.path) : undefined;
      deniedNodes.set(denial.node, marker);
      report(denial, marker);
    };
    const settleTyped = (node: FieldNode) => {
      const typed = deniedOnTypes.get(node);
      if (!typed) return;
      deniedOnTypes.delete(node);
      if (typed.ancestors.some((ancestor) => deniedNodes.has(ancestor))) return;
      if (typed.types.size === typed.possible.length) return deny(typed.first, true);
      const entry = { types: [...typed.types], allowed: typed.possible.filter((type) => !typed.types.has(type)), marker: newMarker(typed.first.path) };
      partial.set(node, entry);
      report(typed.first, entry.marker);
    };
    let previous: FieldNode | undefined;

    analysis.guarded.forEach((selection, index) => {
      if (previous && previous !== selection.node) settleTyped(previous);
      previous = selection.node;
      if (!used[index] || deniedNodes.has(selection.node) || selection.ancestors.some((ancestor) => deniedNodes.has(ancestor))) return;
      this.stats.guardEvaluations += 1;
      const verdict = decide(selection.guard, viewer);
      if (verdict.outcome === 'allowed') return;
      if (verdict.outcome === 'data') {
        dataChecks.add(selection.guard.coordinate);
        return;
      }
      const denial = { guard: selection.guard, node: selection.node, path: selection.path, missing: verdict.missing ?? [] };
      if (selection.onType) {
        const typed = deniedOnTypes.get(selection.node) ?? { types: new Set<string>(), possible: selection.possibleTypes ?? [], first: denial, ancestors: selection.ancestors };
        typed.types.add(selection.onType);
        deniedOnTypes.set(selection.node, typed);
        return;
      }
      deniedOnTypes.delete(selection.node);
      deny(denial, selection.inAbstract === true);
    });
    if (previous) settleTyped(previous);

    const operationType = analysis.operation.operation;
    const rootDenied = denials.some((denial) => denial.path.length === 1 && !denial.markers);
    return {
      operationType,
      denials,
      document: deniedNodes.size === 0 && partial.size === 0 ? document : withPlaceholders(document, deniedNodes, partial),
      dataChecks,
      // A subscription whose root field is denied does not start: it has no event to answer null in.
      blocked: denials.length > 0 && (this.options.mode === 'reject' || (operationType !== 'query' && rootDenied)),
    };
  }
}

function placeholder(node: FieldNode, responseKey: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: responseKey }, name: { kind: Kind.NAME, value: PLACEHOLDER_FIELD }, directives: node.directives };
}

function withPlaceholders(document: DocumentNode, denied: ReadonlyMap<FieldNode, string | undefined>, onTypes: ReadonlyMap<FieldNode, DeniedOnTypes>): DocumentNode {
  return visit(document, {
    Field(node): FieldNode | SelectionNode | undefined {
      const responseKey = node.alias?.value ?? node.name.value;
      if (denied.has(node)) {
        const marker = denied.get(node);
        if (!marker) return placeholder(node, responseKey);
        return { kind: Kind.INLINE_FRAGMENT, selectionSet: { kind: Kind.SELECTION_SET, selections: [placeholder(node, responseKey), placeholder(node, marker)] } };
      }
      const typed = onTypes.get(node);
      if (!typed) return undefined;
      // Denied types answer the placeholder and the marker; the allowed ones run the field as it
      // was (copies: the visitor walks into what it returns, and a copy is not in the map).
      const onType = (name: string, selections: FieldNode[]): SelectionNode => ({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: name } },
        selectionSet: { kind: Kind.SELECTION_SET, selections },
      });
      const selections = [...typed.types.map((name) => onType(name, [placeholder(node, responseKey), placeholder(node, typed.marker)])), ...typed.allowed.map((name) => onType(name, [{ ...node }]))];
      return { kind: Kind.INLINE_FRAGMENT, selectionSet: { kind: Kind.SELECTION_SET, selections } };
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
  for (const denial of denials) setNull(data, denial.path, denial.markers);
}

/** With `markers`: only records carrying one (those of a denied type) are nulled, and the markers go. */
function setNull(value: unknown, path: readonly PathSegment[], markers?: readonly string[]): void {
  if (value === null || typeof value !== 'object') return;
  const [segment, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (segment === LIST_POSITION) {
    if (Array.isArray(value)) for (const item of value) setNull(item, rest, markers);
    return;
  }
  const record = value as Record<string, unknown>;
  if (rest.length === 0) {
    if (markers) {
      const carried = markers.filter((marker) => marker in record);
      if (carried.length === 0) return;
      for (const marker of carried) delete record[marker];
    }
    if (segment in record) record[segment] = null;
    return;
  }
  setNull(record[segment], rest, markers);
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
