/**
 * Runs a validated operation: graphql-jit for queries (each document compiled once into JavaScript,
 * over the schema the directive transformers produced), graphql-js for mutations and when asked.
 * Errors leave in graphql-js's shape.
 */
import { execute, getOperationAST, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema, type Source, type SourceLocation } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export type ExecutorKind = 'jit' | 'graphql-js';

export interface ExecuteArgs {
  document: DocumentNode;
  operationName: string | null | undefined;
  contextValue: unknown;
  variableValues: Readonly<Record<string, unknown>> | undefined;
}

export type ExecutionEngine = (args: ExecuteArgs) => Promise<ExecutionResult>;

export function executionEngine(schema: GraphQLSchema, kind: ExecutorKind): ExecutionEngine {
  if (kind === 'graphql-js') return graphqlJs(schema);
  return jit(schema);
}

function graphqlJs(schema: GraphQLSchema): ExecutionEngine {
  return async ({ document, operationName, contextValue, variableValues }) =>
    (await execute({ schema, document, contextValue, variableValues, operationName })) as ExecutionResult;
}

/**
 * A value worked out once per document and operation name (a compiled query, a JSON list), kept as
 * long as the document is: Apollo's document store and the planner's plan cache (each plan's
 * document) are both bounded, so this is too. `work` answers null for an operation it cannot serve.
 */
export function perOperation<Value>(work: (document: DocumentNode, operationName: string | null | undefined) => Value | null) {
  const values = new WeakMap<DocumentNode, Map<string, Value | null>>();
  return (document: DocumentNode, operationName: string | null | undefined): Value | null => {
    let byName = values.get(document);
    if (!byName) values.set(document, (byName = new Map()));
    const name = operationName ?? '';
    let value = byName.get(name);
    if (value === undefined) byName.set(name, (value = work(document, operationName)));
    return value;
  };
}

function jit(schema: GraphQLSchema): ExecutionEngine {
  const fallback = graphqlJs(schema);
  const compiledFor = perOperation((document, operationName): CompiledQuery | null => {
    // Queries only. graphql-jit runs every root field of a mutation even after one failed and
    // nulled the data; graphql-js stops at the first, which is what ends a request of aliased
    // logins at the first wrong password (test/security/login-throttling.test.ts).
    const isQuery = getOperationAST(document, operationName ?? undefined)?.operation === 'query';
    const result = isQuery ? compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true }) : undefined;
    // null: a mutation, or a document graphql-jit cannot compile (graphql-js then states its errors).
    return result && isCompiledQuery(result) ? result : null;
  });

  return async (args) => {
    const query = compiledFor(args.document, args.operationName);
    if (!query) return fallback(args);
    const result = (await query.query(undefined, args.contextValue, (args.variableValues ?? {}) as Record<string, unknown>)) as ExecutionResult;
    // Variable values graphql-jit refused: graphql-js states the same refusal in its own words, as before.
    if (!('data' in result)) return fallback(args);
    if (!result.errors || result.errors.length === 0) return result;
    const source = args.document.loc?.source;
    return { ...result, errors: result.errors.map((error) => asGraphQLJsError(error, source)) };
  };
}

/**
 * graphql-jit's errors are its own GraphQLError: `extensions` absent when the original error has
 * none (Apollo then fails, graphql-jit issue 234) and not inherited as graphql-js does. Rebuilt here
 * as graphql-js would locate them, so codes, paths, masking and `extensions.authorization` are as before.
 */
function asGraphQLJsError(error: GraphQLError, source: Source | undefined): GraphQLError {
  const originalError = error.originalError ?? undefined;
  // graphql-js keeps a GraphQLError thrown with a path as it is (locatedError).
  if (originalError instanceof GraphQLError && originalError.path) return originalError;
  // Locations as positions in the source, as graphql-js records them, so that they survive being rebuilt again (collapseListDenials).
  const locations = (error.locations as SourceLocation[] | undefined) ?? [];
  const positions = source && locations.length > 0 ? locations.map((location) => positionOf(source.body, location)) : undefined;
  return new GraphQLError(error.message, { path: error.path, originalError, extensions: error.extensions ?? undefined, ...(positions && { source, positions }) });
}

/** The offset of a 1-based line and column in `body` (graphql-js's getLocation, backwards). */
function positionOf(body: string, { line, column }: SourceLocation): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = body.slice(offset).search(/\r\n|[\n\r]/);
    if (next < 0) break;
    offset += next + (body.startsWith('\r\n', offset + next) ? 2 : 1);
  }
  return offset + column - 1;
}
