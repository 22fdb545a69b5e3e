/**
 * Operation limits, all enforced before anything executes: the query's length (before it is
 * parsed), its tokens (while it is parsed), then its depth, aliases and directives (graphql-armor
 * validation rules) and its cost (ours, src/server/cost.ts, which counts page sizes); in
 * production, no field suggestions either. A refused
 * operation answers HTTP 400 with a message naming the limit, and the code
 * GRAPHQL_VALIDATION_FAILED (GRAPHQL_PARSE_FAILED for the token limit).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { RequestHandler } from 'express';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../config.js';
import type { Context } from '../kernel/context.js';
import { costLimit } from './cost.js';

export interface OperationLimits {
  plugins: ApolloServerPlugin<Context>[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
}

/** armor prefixes its messages with "Syntax Error:"; the client gets the plain limit instead. */
function reportLimit(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
}

export function operationLimits(limits: Config['graphqlLimits'], { blockFieldSuggestions }: { blockFieldSuggestions: boolean }): OperationLimits {
  const onRejection = { propagateOnRejection: false, onReject: [reportLimit] };
  const armor = new ApolloArmor({
    // graphql-js's parser enforces the token limit itself (parseOptions below), as a clean 400.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
    maxDepth: { n: limits.maxDepth, ...onRejection },
    maxAliases: { n: limits.maxAliases, ...onRejection },
    // Ours instead (below): armor's prices a list by depth, not by the page size asked for.
    costLimit: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...onRejection },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: plugins as ApolloServerPlugin<Context>[],
    validationRules: [...validationRules, costLimit(limits.maxPageSize)(limits.maxCost)],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/** Express middleware for /graphql: refuses an over-long query before Apollo parses it. */
export function queryLengthLimit(maxLength: number): RequestHandler {
  return (req, res, next) => {
    const query = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query === 'string' && query.length > maxLength) {
      res.status(400).json({
        errors: [{ message: `Query is too long: ${query.length} characters, at most ${maxLength}`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      });
      return;
    }
    next();
  };
}
