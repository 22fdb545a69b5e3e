/**
 * Runs a validated operation: graphql-jit (each document compiled once into JavaScript, over the
 * schema the directive transformers produced) or graphql-js. Errors leave in graphql-js's shape.
 */
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema, type SourceLocation } from 'graphql';
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
 * Compiled queries live as long as the document they were compiled from: Apollo's document store
 * and the planner's plan cache (each plan's document) are both bounded, so this is too.
 */
function jit(schema: GraphQLSchema): ExecutionEngine {
  const fallback = graphqlJs(schema);
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();

  function compiledFor(document: DocumentNode, operationName: string | null | undefined): CompiledQuery | null {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const name = operationName ?? '';
    let query = byName.get(name);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
      // A document graphql-jit cannot compile (null: its errors come from graphql-js instead).
      query = isCompiledQuery(result) ? result : null;
      byName.set(name, query);
    }
    return query;
  }

  return async (args) => {
    const query = compiledFor(args.document, args.operationName);
    if (!query) return fallback(args);
    const result = (await query.query(undefined, args.contextValue, (args.variableValues ?? {}) as Record<string, unknown>)) as ExecutionResult;
    // Variable values graphql-jit refused: graphql-js states the same refusal in its own words, as before.
    if (!('data' in result)) return fallback(args);
    if (!result.errors || result.errors.length === 0) return result;
    return { ...result, errors: result.errors.map(asGraphQLJsError) };
  };
}

/**
 * graphql-jit's errors are its own GraphQLError: `extensions` absent when the original error has
 * none (Apollo then fails, graphql-jit issue 234) and not inherited as graphql-js does. Rebuilt here
 * as graphql-js would locate them, so codes, paths, masking and `extensions.authorization` are as before.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const originalError = error.originalError ?? undefined;
  // graphql-js keeps a GraphQLError thrown with a path as it is (locatedError).
  if (originalError instanceof GraphQLError && originalError.path) return originalError;
  const rebuilt = new GraphQLError(error.message, { path: error.path, originalError, extensions: error.extensions ?? undefined });
  const locations = error.locations as SourceLocation[] | undefined;
  if (locations && locations.length > 0) Object.defineProperty(rebuilt, 'locations', { value: locations, enumerable: true, writable: true, configurable: true });
  return rebuilt;
}
