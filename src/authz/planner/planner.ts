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
   * Set when the field is denied on some of an interface's possible types only: the records of
   * those types carry `marker` (removed again by nullDeniedFields) and answer null there.
   */
  onTypes?: DeniedOnTypes;
}

/** A field denied on some possible types of its interface: those types, the others, and the marker key of denied records. */
export interface DeniedOnTypes {
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
  /** Nothing may execute: the mode is `reject`, or a root field of a mutation is denied (all or nothing). */
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
    const deniedNodes = new Set<FieldNode>();
    /** Fields on an interface denied on some possible types: the types, and the first denial's details. */
    const deniedOnTypes = new Map<FieldNode, { types: Set<string>; possible: readonly string[]; first: Denial; ancestors: readonly FieldNode[] }>();
    const reported = new Set<string>();
    const denials: Denial[] = [];
    const dataChecks = new Set<string>();
    const report = (denial: Denial) => {
      const pathKey = denial.path.join('\u0000');
      if (reported.has(pathKey)) return;
      reported.add(pathKey);
      denials.push(denial);
    };
    // The per-type decisions of one field are consecutive: settle them before anything beneath the field.
    const settleTyped = (node: FieldNode) => {
      const typed = deniedOnTypes.get(node);
      if (!typed || deniedNodes.has(node)) return;
      if (typed.types.size === typed.possible.length) {
        deniedNodes.add(node);
        report(typed.first);
        deniedOnTypes.delete(node);
      }
    };
    let previous: FieldNode | undefined;

    analysis.guarded.forEach((selection, index) => {
      if (previous && previous !== selection.node) settleTyped(previous);
      previous = selection.node;
      if (!used[index] || selection.ancestors.some((ancestor) => deniedNodes.has(ancestor))) return;
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
      deniedNodes.add(selection.node);
      report(denial);
    });
    if (previous) settleTyped(previous);

    const onTypes = new Map<FieldNode, DeniedOnTypes>();
    for (const [node, typed] of deniedOnTypes) {
      if (deniedNodes.has(node) || typed.ancestors.some((ancestor) => deniedNodes.has(ancestor))) continue;
      const types = [...typed.types];
      const entry = { types, allowed: typed.possible.filter((type) => !typed.types.has(type)), marker: `__denied${onTypes.size}_${typed.first.path.at(-1)}` };
      onTypes.set(node, entry);
      report({ ...typed.first, onTypes: entry });
    }

    const operationType = analysis.operation.operation;
    const rootDenied = denials.some((denial) => denial.path.length === 1 && !denial.onTypes);
    return {
      operationType,
      denials,
      document: deniedNodes.size === 0 && onTypes.size === 0 ? document : withPlaceholders(document, deniedNodes, onTypes),
      dataChecks,
      blocked: denials.length > 0 && (this.options.mode === 'reject' || (operationType === 'mutation' && rootDenied)),
    };
  }
}

function placeholder(node: FieldNode, responseKey: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: responseKey }, name: { kind: Kind.NAME, value: PLACEHOLDER_FIELD }, directives: node.directives };
}

function withPlaceholders(document: DocumentNode, denied: ReadonlySet<FieldNode>, onTypes: ReadonlyMap<FieldNode, DeniedOnTypes>): DocumentNode {
  return visit(document, {
    Field(node): FieldNode | SelectionNode | undefined {
      const responseKey = node.alias?.value ?? node.name.value;
      if (denied.has(node)) return placeholder(node, responseKey);
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
  for (const denial of denials) setNull(data, denial.path, denial.onTypes?.marker);
}

/** With `marker`: only records carrying it (those of a denied type) are nulled, and the marker goes. */
function setNull(value: unknown, path: readonly PathSegment[], marker?: string): void {
  if (value === null || typeof value !== 'object') return;
  const [segment, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (segment === LIST_POSITION) {
    if (Array.isArray(value)) for (const item of value) setNull(item, rest, marker);
    return;
  }
  const record = value as Record<string, unknown>;
  if (rest.length === 0) {
    if (marker !== undefined) {
      if (!(marker in record)) return;
      delete record[marker];
    }
    if (segment in record) record[segment] = null;
    return;
  }
  setNull(record[segment], rest, marker);
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
