/**
 * The executor seam: Apollo parses and validates, then hands the operation here (through its
 * gateway interface). The caller's operation limits are checked first (they depend on who asks,
 * which Apollo's cached validation cannot see), then the authorization plan is applied once per operation — a blocked operation
 * never executes, denied fields answer null with one error each — and data-dependent denials are
 * collapsed per list. Every operation with denials is logged once and counted.
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import type { Span } from '@opentelemetry/api';
import { GraphQLError, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../kernel/viewer.js';
import { ClientError } from '../kernel/errors.js';
import type { DenialDetails } from '../authz/guards.js';
import { collapseListDenials, denialErrors, nullDeniedFields, type AuthorizationPlan, type Planner } from '../authz/planner/planner.js';
import type { Logger } from '../logger.js';
import { inOperationSpan, recordDenial, type OperationSpanRunner } from '../observability/spans.js';
import type { Context } from '../kernel/context.js';
import { executionEngine, type ExecutorKind } from './execution-engine.js';
import type { QueryLookup, ResponseCache } from './response-cache.js';

export const SUBSCRIPTION_OVER_HTTP = 'Subscriptions run over WebSocket (graphql-ws, the graphql-transport-ws subprotocol) on this same /graphql, not over HTTP';

/** Denials by coordinate and rule, since the process started (for the metrics endpoint). */
export class DenialCounter {
  private readonly counts = new Map<string, { coordinate: string; rule: string; count: number }>();

  record({ coordinate, rule }: Pick<DenialDetails, 'coordinate' | 'rule'>): void {
    const key = `${coordinate}\u0000${rule}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { coordinate, rule, count: 1 });
  }

  entries(): { coordinate: string; rule: string; count: number }[] {
    return [...this.counts.values()].map((entry) => ({ ...entry }));
  }
}

export interface ExecutorParts {
  schema: GraphQLSchema;
  /** Absent: every operation executes as it is (only for measuring what authorization costs). */
  planner?: Planner;
  logger: Logger;
  denials: DenialCounter;
  /** Refusals of the operation's depth, alias and cost limits for this caller, before anything runs. */
  limits?: (operation: { document: DocumentNode; queryHash: string; viewer: Viewer | null }) => GraphQLError[];
  /** graphql-jit (the default) or graphql-js: GRAPHQL_EXECUTOR, to measure one against the other. */
  executor?: ExecutorKind;
  /** Absent: RESPONSE_CACHE=off. */
  responseCache?: ResponseCache;
  /** Opens the operation's span around planning and execution: OpenTelemetry's (a no-op without an SDK) by default. */
  operationSpan?: OperationSpanRunner;
  /** The compiled-query fast path (query-fast-path.ts): it learns the queries Apollo validated, and hands on what it executed. */
  fastPath?: FastPathHandoff;
}

export interface FastPathHandoff {
  /** `requestedName`: the operation name the client sent; `operationName`: the one Apollo resolved. */
  learn(source: string, requestedName: string | null, query: { document: DocumentNode; operationName: string | null; queryHash: string }): void;
  /** The result the fast path got for this request by executing `document` (a plan's), which Apollo answers instead of executing again. */
  executed(context: Context, document: DocumentNode): ExecutionResult | undefined;
}

/**
 * The GraphQL-over-HTTP status of a response without data: 401 or 403 for a client that asked for
 * `application/graphql-response+json`, 200 for an `application/json` one, as that spec says.
 */
function statusForBlocked(accept: string | null | undefined, viewer: Viewer | null): number {
  if (!accept?.includes('application/graphql-response+json')) return 200;
  return viewer ? 403 : 401;
}

/** An operation as the executor steps see it, whichever transport brought it (HTTP through Apollo, or graphql-ws). */
export interface OperationRequest {
  document: DocumentNode;
  operationName: string | null;
  /** The sha256 of the document's text (Apollo's queryHash): the trusted-documents tier and the planner's cache key. */
  queryHash: string;
  context: Context;
  variables: Readonly<Record<string, unknown>> | undefined;
}

/** What the steps before execution decided: refusal errors, or the plan to execute (none without a planner). */
export type Prepared = { refused: readonly GraphQLError[] } | { plan: AuthorizationPlan | undefined; planned: readonly GraphQLError[] };

/**
 * The steps every operation takes between validation and execution, whatever its transport: the
 * caller's depth, alias and cost limits, then the authorization plan; and after execution, the
 * plan's denials put into the result. The HTTP executor below and the graphql-ws transport
 * (src/server/subscriptions/) both run these, so a subscription is authorized exactly like a query.
 */
export class OperationSteps {
  constructor(private readonly parts: Pick<ExecutorParts, 'planner' | 'logger' | 'denials' | 'limits'>) {}

  /** `blockedStatus`: the HTTP status of a blocked operation's errors (HTTP only). A blocked operation's denials are reported. */
  prepare(request: OperationRequest, span: Span, blockedStatus?: number): Prepared {
    const prepared = this.decide(request, blockedStatus);
    if ('blocked' in prepared) this.report(prepared.refused, request.context, request.operationName, span);
    return prepared;
  }

  /** What `prepare` decides, without reporting anything: for a path that hands every refusal on to one that reports it. */
  decide({ document, operationName, queryHash, context, variables }: OperationRequest, blockedStatus?: number): Prepared | { refused: readonly GraphQLError[]; blocked: true } {
    const refused = this.parts.limits?.({ document, queryHash, viewer: context.viewer }) ?? [];
    if (refused.length > 0) return { refused };
    const { planner } = this.parts;
    if (!planner) return { plan: undefined, planned: [] };
    const plan = planner.plan({ document, operationName, documentKey: queryHash, viewer: context.viewer, variables });
    // Variables that do not coerce: the answer graphql-js's execute gives, before any guard or resolver.
    if (plan.variableErrors) return { refused: [...plan.variableErrors] };
    const planned = plan.denials.length > 0 ? denialErrors(plan, context.viewer) : [];
    if (plan.blocked) {
      const errors = planned.map((error) => new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { ...error.extensions, ...(blockedStatus && { http: { status: blockedStatus } }) } }));
      return { refused: errors, blocked: true };
    }
    return { plan, planned };
  }

  /** The executed result with the plan's denied fields answered null, their errors first, and data-dependent denials collapsed per list. */
  finish(result: ExecutionResult, plan: AuthorizationPlan, planned: readonly GraphQLError[]): ExecutionResult {
    if (plan.denials.length > 0 && result.data) nullDeniedFields(result.data as Record<string, unknown>, plan.denials);
    const errors = [...planned, ...collapseListDenials(result.errors ?? [])];
    return errors.length === 0 ? result : { ...result, errors };
  }

  /** Every operation with denials: one log line, the counters, and an event per denial on its span. */
  report(errors: readonly GraphQLError[], context: Context, operationName: string | null, span: Span): void {
    const denied = errors.flatMap((error) => {
      const authorization = error.extensions.authorization as DenialDetails | undefined;
      return authorization ? [{ coordinate: authorization.coordinate, rule: authorization.rule, path: error.path?.join('.') ?? '' }] : [];
    });
    if (denied.length === 0) return;
    for (const denial of denied) {
      this.parts.denials.record(denial);
      recordDenial(span, denial);
    }
    this.parts.logger.info({ requestId: context.requestId, viewerId: context.viewer?.userId ?? null, operationName, denials: denied }, 'authorization denied');
  }
}

function executorFor(parts: ExecutorParts): GatewayExecutor {
  const { schema, executor = 'jit', responseCache, operationSpan = inOperationSpan, fastPath } = parts;
  const execute = executionEngine(schema, executor);
  const steps = new OperationSteps(parts);
  return (requestContext) => {
    const { document, operationName, operation } = requestContext;
    return operationSpan({ type: operation.operation, name: operationName, document }, (span) => run(requestContext, span));
  };

  async function run(requestContext: Parameters<GatewayExecutor>[0], span: Span): Promise<ExecutionResult> {
    const context = requestContext.context as Context;
    const { request, document, operationName } = requestContext;
    const operation: OperationRequest = { document, operationName, queryHash: requestContext.queryHash, context, variables: request.variables };
    if (requestContext.operation.operation === 'query') fastPath?.learn(requestContext.source, request.operationName ?? null, { document, operationName, queryHash: requestContext.queryHash });
    const prepared = steps.prepare(operation, span, statusForBlocked(request.http?.headers.get('accept'), context.viewer));
    if ('refused' in prepared) return { errors: prepared.refused };
    // Authorized like any operation (above), but a stream needs a socket: src/server/subscriptions/.
    if (requestContext.operation.operation === 'subscription') {
      return { errors: [new GraphQLError(SUBSCRIPTION_OVER_HTTP, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } })] };
    }
    const { plan, planned } = prepared;
    if (!plan) {
      return execute({ document, contextValue: context, variableValues: request.variables, operationName });
    }

    // The operation as the client sent it (its operation name included): what the HTTP fast path can key on too.
    const cacheRequest = { document, operationName: request.operationName, documentKey: requestContext.queryHash, viewer: context.viewer, variables: request.variables, context };
    const lookup: QueryLookup | undefined = responseCache && plan.operationType === 'query' ? await responseCache.beforeQuery(cacheRequest) : undefined;
    if (lookup && 'hit' in lookup) return lookup.hit;

    context.dataChecks = plan.dataChecks;
    const viewerWasRead = lookup ? watchViewer(context) : undefined;
    let result: ExecutionResult | undefined;
    try {
      result = fastPath?.executed(context, plan.document) ?? (await execute({ document: plan.document, contextValue: context, variableValues: request.variables, operationName }));
    } finally {
      if (responseCache && plan.operationType === 'mutation' && mayHaveWritten(result)) await responseCache.afterMutation(document, request.operationName);
    }
    const identityDependent = viewerWasRead?.() ?? false;
    const finished = steps.finish(result, plan, planned);
    if (!finished.errors?.length) {
      if (lookup && !identityDependent) await responseCache!.save(lookup.miss, result);
      return finished;
    }
    steps.report(finished.errors as GraphQLError[], context, operationName, span);
    return finished;
  }
}

/**
 * Whether a mutation may have written, so that cached answers must go: unless every root field
 * answered null with a client error (a failed login, a refused input, NOT_FOUND), it may have.
 * An execution that threw, or an unexpected error, counts as a write.
 */
function mayHaveWritten(result: ExecutionResult | undefined): boolean {
  if (!result?.errors?.length) return true;
  if (result.data && Object.values(result.data).some((value) => value !== null)) return true;
  return result.errors.some((error) => !((error.originalError ?? error) instanceof ClientError));
}

/**
 * Notes whether anything reads the viewer while a cacheable query executes: an answer that depends
 * on who asks is not stored, even under a guard that says it should not (defence in depth).
 * Returns the check, which also puts the plain property back.
 */
function watchViewer(context: Context): () => boolean {
  const viewer = context.viewer;
  let read = false;
  Object.defineProperty(context, 'viewer', { get: () => ((read = true), viewer), configurable: true, enumerable: true });
  return () => {
    Object.defineProperty(context, 'viewer', { value: viewer, writable: true, configurable: true, enumerable: true });
    return read;
  };
}

/** Apollo's gateway interface around one fixed schema and our executor. */
export function executorGateway(parts: ExecutorParts): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: parts.schema, coreSupergraphSdl: printSchema(parts.schema) });
      return () => {};
    },
    load: async () => ({ executor: executorFor(parts) }),
    stop: async () => {},
  };
}
