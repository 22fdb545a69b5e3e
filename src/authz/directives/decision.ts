/**
 * Shared by the auth directives: which decision applies to a field. A field's own directive
 * wins; otherwise the directive on its parent type applies.
 */
import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, GraphQLError, type GraphQLField, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../../auth/viewer.js';

/** Every directive that states an authorization decision. */
export const DECISION_DIRECTIVES = ['public', 'auth', 'hasPermission', 'ownerOrPermission'] as const;
export type DecisionDirective = (typeof DECISION_DIRECTIVES)[number];

export interface Decision {
  directive: DecisionDirective;
  args: Record<string, unknown>;
  /** Where it was stated: the field itself or its parent type. */
  on: 'field' | 'type';
}

export interface AuthDirective {
  typeDefs: string;
  transformer: (schema: GraphQLSchema) => GraphQLSchema;
}

/** A field as mapSchema sees it (config) or as a built schema holds it. */
type AnyField = GraphQLFieldConfig<unknown, unknown> | GraphQLField<unknown, unknown>;

/** The decisions stated on a field itself (a valid schema has at most one). */
export function fieldDecisions(schema: GraphQLSchema, field: AnyField): Decision[] {
  return DECISION_DIRECTIVES.flatMap((directive) =>
    (getDirective(schema, field, directive) ?? []).map((args) => ({ directive, args, on: 'field' as const })),
  );
}

export function effectiveDecision(schema: GraphQLSchema, field: AnyField, typeName: string): Decision | undefined {
  const own = fieldDecisions(schema, field)[0];
  if (own) return own;
  const type = schema.getType(typeName);
  if (!type) return undefined;
  for (const directive of DECISION_DIRECTIVES) {
    const args = getDirective(schema, type, directive)?.[0];
    if (args) return { directive, args, on: 'type' };
  }
  return undefined;
}

type Check = (viewer: Viewer | null, source: unknown, args: Record<string, unknown>) => void;

/**
 * The transformer every checking directive shares: wraps the resolver of each field whose
 * effective decision is `directive`, running `check` before the field resolves.
 */
export function wrapFieldsDecidedBy(directive: DecisionDirective, check: Check) {
  return (schema: GraphQLSchema): GraphQLSchema =>
    mapSchema(schema, {
      [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
        const decision = effectiveDecision(schema, field, typeName);
        if (decision?.directive !== directive) return field;
        const resolve = field.resolve ?? defaultFieldResolver;
        return {
          ...field,
          resolve(source, args, context: { viewer: Viewer | null }, info) {
            try {
              check(context.viewer, source, decision.args);
            } catch (error) {
              // Which field and rule denied it: metrics and traces count denials by these (src/observability).
              if (error instanceof GraphQLError) error.extensions.authorization = { coordinate: `${typeName}.${fieldName}`, rule: directive };
              throw error;
            }
            return resolve(source, args, context, info);
          },
        };
      },
    });
}
