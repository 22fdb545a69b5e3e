/**
 * What every authorization directive shares: its SDL, the guard it states where it is used
 * (read by the planner before execution), and a schema transformer for the rules that can only
 * be decided from the data as a field resolves.
 */
import { getDirective } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import type { Guard } from '../guards.js';

export const DECISION_DIRECTIVES = ['public', 'auth', 'hasPermission', 'ownerOrPermission'] as const;
export type DecisionDirective = (typeof DECISION_DIRECTIVES)[number];

export interface AuthorizationDirective {
  name: DecisionDirective;
  typeDefs: string;
  /** The guard stated at `coordinate` by a use of this directive with `args`; null for @public. */
  guard(args: Record<string, unknown>, coordinate: string): Guard | null;
  /** Data-dependent rules wrap the resolvers they guard; the static ones return the schema unchanged. */
  transformer(schema: GraphQLSchema, guards: GuardIndex): GraphQLSchema;
}

/**
 * What a transformer reads of the schema's guards: the index (SchemaGuards) is built from the
 * directives, so the directives see it only through this contract and never import it.
 */
export interface GuardIndex {
  field(typeName: string, fieldName: string): { guard: Guard | null; stated: Decision | undefined };
  /** How often a data-dependent rule was decided from a record, as fields resolved. */
  readonly stats: { recordChecks: number };
}

/** Anything getDirective reads: a type, field, argument or input field, built or as mapSchema's config. */
export type DirectableNode = Parameters<typeof getDirective>[1];

export interface Decision {
  directive: AuthorizationDirective;
  args: Record<string, unknown>;
}

/** The decisions stated on one node (a valid schema has at most one; the audit refuses more). */
export function decisionsOn(schema: GraphQLSchema, node: DirectableNode, directives: readonly AuthorizationDirective[]): Decision[] {
  return directives.flatMap((directive) => (getDirective(schema, node, directive.name) ?? []).map((args) => ({ directive, args })));
}

export const unchanged = (schema: GraphQLSchema) => schema;
