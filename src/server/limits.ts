/**
 * Operation limits, all enforced before anything executes: the query's length (before it is
 * parsed), its tokens (while it is parsed), its directives (validation), then its depth, aliases
 * and cost by caller tier (anonymous, signed-in, trusted document: `tieredLimits`, checked by the
 * executor once the caller is known); in production, no field suggestions either. Depth, aliases
 * and directives are graphql-armor's rules; cost is ours (src/server/cost.ts), which prices a
 * connection by the page size asked for. A refused operation answers HTTP 400 with a message naming
 * the limit, and the code GRAPHQL_VALIDATION_FAILED (GRAPHQL_PARSE_FAILED for the token limit).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { RequestHandler } from 'express';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config, LimitTier, TierLimits } from '../config.js';
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

const onRejection = { propagateOnRejection: false, onReject: [reportLimit] };
/** Only what a rule set names: armor turns each of its protections on unless told otherwise. */
const NONE = {
  maxTokens: { enabled: false },
  blockFieldSuggestion: { enabled: false },
  maxDepth: { enabled: false },
  maxAliases: { enabled: false },
  costLimit: { enabled: false },
  maxDirectives: { enabled: false },
};


export function operationLimits(limits: Config['graphqlLimits'], { blockFieldSuggestions }: { blockFieldSuggestions: boolean }): OperationLimits {
  const armor = new ApolloArmor({
    ...NONE,
    // graphql-js's parser enforces the token limit itself (parseOptions below), as a clean 400.
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
    maxDirectives: { n: limits.maxDirectives, ...onRejection },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins: plugins as ApolloServerPlugin<Context>[], validationRules, parseOptions: { maxTokens: limits.maxTokens } };
}

/** The depth, alias and cost refusals of `document` for a caller of `tier`; empty when it may run. */
export type TieredLimits = (document: DocumentNode, tier: LimitTier) => GraphQLError[];

/**
 * Depth, alias and cost limits chosen per request. Apollo caches a validated document and skips
 * validation for it afterwards, so rules that depend on the caller cannot be validation rules:
 * this runs them on the parsed document instead, once per document and tier (Apollo hands the
 * same DocumentNode for the same query text; a WeakMap lets it go when Apollo's cache does).
 */
export function tieredLimits(schema: GraphQLSchema, tiers: Record<LimitTier, TierLimits>, maxPageSize: number): TieredLimits {
  const costRule = costLimit(maxPageSize);
  const rules = Object.fromEntries(
    Object.entries(tiers).map(([tier, { maxDepth, maxAliases, maxCost }]) => [
      tier,
      [
        ...new ApolloArmor({ ...NONE, maxDepth: { n: maxDepth, ...onRejection }, maxAliases: { n: maxAliases, ...onRejection } }).protect().validationRules,
        ...(maxCost === undefined ? [] : [costRule(maxCost)]),
      ],
    ]),
  ) as Record<LimitTier, ValidationRule[]>;
  const verdicts = new WeakMap<DocumentNode, Partial<Record<LimitTier, readonly string[]>>>();
  return (document, tier) => {
    const known = verdicts.get(document) ?? {};
    let messages = known[tier];
    if (!messages) {
      messages = validate(schema, document, rules[tier]).map((error) => error.message);
      verdicts.set(document, { ...known, [tier]: messages });
    }
    // Fresh errors each time: Apollo annotates the ones it is given.
    return messages.map((message) => new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } }));
  };
}

/** The refusal message of a query longer than `maxLength`, before it is parsed; undefined when it may be parsed. */
export function queryLengthRefusal(query: unknown, maxLength: number): string | undefined {
  return typeof query === 'string' && query.length > maxLength ? `Query is too long: ${query.length} characters, at most ${maxLength}` : undefined;
}

/** Express middleware for /graphql: refuses an over-long query before Apollo parses it. */
export function queryLengthLimit(maxLength: number): RequestHandler {
  return (req, res, next) => {
    const query = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    const refusal = queryLengthRefusal(query, maxLength);
    if (refusal) {
      res.status(400).json({ errors: [{ message: refusal, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
      return;
    }
    next();
  };
}
