/** What one operation may ask for (SECURITY.md): depth, aliases and cost by caller tier, page size, tokens. */
import { defineSlice, type ParsedVariables } from './slice.js';
import { positiveInt } from './values.js';

/** Who an operation's depth, alias and cost limits are chosen for. */
export type LimitTier = 'anonymous' | 'signedIn' | 'trusted';
/** `maxCost` undefined: no cost limit (trusted documents). */
export interface TierLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number | undefined;
}

const variables = {
  // Unsuffixed: the signed-in tier (their names before the tiers came).
  GRAPHQL_MAX_DEPTH: {
    schema: positiveInt.default(8),
    doc: `Operation limits (SECURITY.md), each refused with HTTP 400 before anything executes:
selection depth (fragments count), aliases, static cost (1 per field, a connection's edges times its
page size: \`first\`/\`last\`, 20 when absent, GRAPHQL_MAX_PAGE_SIZE when a variable), lexical tokens,
directives, and query length in characters (checked before parsing).
Depth, aliases and cost depend on the caller: these three are the signed-in tier's.`,
    shown: '8',
  },
  GRAPHQL_MAX_ALIASES: { schema: positiveInt.default(15), shown: '15' },
  GRAPHQL_MAX_COST: { schema: positiveInt.default(5000), shown: '5000' },
  GRAPHQL_MAX_DEPTH_ANONYMOUS: { schema: positiveInt.optional(), doc: 'Anonymous callers. Unset: 6, 5 and 2500, or the signed-in value when that is lower.' },
  GRAPHQL_MAX_ALIASES_ANONYMOUS: { schema: positiveInt.optional() },
  GRAPHQL_MAX_COST_ANONYMOUS: { schema: positiveInt.optional() },
  GRAPHQL_MAX_DEPTH_TRUSTED: {
    schema: positiveInt.optional(),
    doc: `Trusted documents (any caller), which have no cost limit. Unset: 12 and 30, or the signed-in value
when that is higher.`,
  },
  GRAPHQL_MAX_ALIASES_TRUSTED: { schema: positiveInt.optional() },
  GRAPHQL_MAX_PAGE_SIZE: {
    schema: positiveInt.default(100),
    doc: 'Most rows of a list (connection) in one page; a larger `first` or `last` is refused (BAD_USER_INPUT).',
    shown: '100',
  },
  GRAPHQL_MAX_TOKENS: { schema: positiveInt.default(1000), shown: '1000' },
  GRAPHQL_MAX_DIRECTIVES: { schema: positiveInt.default(10), shown: '10' },
  GRAPHQL_MAX_QUERY_LENGTH: { schema: positiveInt.default(10_000), shown: '10000' },
};

/** Anonymous callers are never looser than signed-in ones; trusted documents never stricter, and free of the cost limit. */
function tiers(env: ParsedVariables<typeof variables>): Record<LimitTier, TierLimits> {
  return {
    anonymous: {
      maxDepth: env.GRAPHQL_MAX_DEPTH_ANONYMOUS ?? Math.min(6, env.GRAPHQL_MAX_DEPTH),
      maxAliases: env.GRAPHQL_MAX_ALIASES_ANONYMOUS ?? Math.min(5, env.GRAPHQL_MAX_ALIASES),
      maxCost: env.GRAPHQL_MAX_COST_ANONYMOUS ?? Math.min(2500, env.GRAPHQL_MAX_COST),
    },
    signedIn: { maxDepth: env.GRAPHQL_MAX_DEPTH, maxAliases: env.GRAPHQL_MAX_ALIASES, maxCost: env.GRAPHQL_MAX_COST },
    trusted: {
      maxDepth: env.GRAPHQL_MAX_DEPTH_TRUSTED ?? Math.max(12, env.GRAPHQL_MAX_DEPTH),
      maxAliases: env.GRAPHQL_MAX_ALIASES_TRUSTED ?? Math.max(30, env.GRAPHQL_MAX_ALIASES),
      maxCost: undefined,
    },
  };
}

export const operationLimitsConfig = defineSlice({
  variables,
  build: (env) => ({
    graphqlLimits: {
      /** Depth, alias and cost limits by caller. */
      tiers: tiers(env),
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxCost: env.GRAPHQL_MAX_COST,
      /** The most rows a connection returns in one page: a larger `first` or `last` is refused. */
      maxPageSize: env.GRAPHQL_MAX_PAGE_SIZE,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxQueryLength: env.GRAPHQL_MAX_QUERY_LENGTH,
    },
  }),
});
