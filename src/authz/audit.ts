/**
 * Deny by default. Walks the schema and lists every authorization problem: a root field
 * without exactly one decision, a permission missing from the catalog, a sensitive field
 * left open. The server refuses to start while the list is not empty; a test asserts it is.
 */
import { getDirective } from '@graphql-tools/utils';
import { isObjectType, type GraphQLField, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { DECISION_DIRECTIVES, type DecisionDirective } from './directives/index.js';
import { isPermission } from './permissions.js';

/** Object fields whose names suggest secrets or authorization data: they must state a decision, even if it is @public. */
const SENSITIVE_FIELD_NAME = /email|password|hash|token|secret|permission|role/i;

/** Types describing people: every field beyond their public profile must be guarded (not @public). */
const PUBLIC_PROFILE_FIELDS: Record<string, readonly string[]> = {
  User: ['id', 'fullName'],
};

function decisionsOn(schema: GraphQLSchema, node: GraphQLField<unknown, unknown> | GraphQLNamedType) {
  return DECISION_DIRECTIVES.flatMap((directive) =>
    (getDirective(schema, node, directive) ?? []).map((args) => ({ directive, args })),
  );
}

function unknownPermissions(decisions: { directive: DecisionDirective; args: Record<string, unknown> }[]): string[] {
  return decisions.flatMap(({ args }) =>
    Array.isArray(args.permissions) ? (args.permissions as string[]).filter((name) => !isPermission(name)) : [],
  );
}

export function auditAuthorization(schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  const rootTypes = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeDecisions = decisionsOn(schema, type);
    for (const name of unknownPermissions(typeDecisions)) {
      problems.push(`${type.name}: permission "${name}" is not in the permissions catalog`);
    }

    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const own = decisionsOn(schema, field);
      for (const name of unknownPermissions(own)) {
        problems.push(`${coordinate}: permission "${name}" is not in the permissions catalog`);
      }
      if (own.length > 1) {
        problems.push(`${coordinate} states ${own.length} auth decisions (${own.map((d) => `@${d.directive}`).join(', ')}); keep one`);
      }
      const effective = own[0] ?? typeDecisions[0];

      if (rootTypes.has(type)) {
        if (own.length === 0) {
          problems.push(`${coordinate} has no auth decision: add @public, @auth or @hasPermission`);
        }
        continue;
      }
      const profile = PUBLIC_PROFILE_FIELDS[type.name];
      if (profile && !profile.includes(field.name) && (!effective || effective.directive === 'public')) {
        problems.push(`${coordinate} is readable by every viewer, but only ${profile.join(', ')} of a ${type.name} are public`);
      } else if (SENSITIVE_FIELD_NAME.test(field.name) && !effective) {
        problems.push(`${coordinate} looks sensitive and states no auth decision (add one, or @public if it is meant to be open)`);
      }
    }
  }
  return problems;
}

export class AuthorizationAuditError extends Error {
  override name = 'AuthorizationAuditError';
  constructor(readonly problems: string[]) {
    super(`The schema's authorization is incomplete:\n  - ${problems.join('\n  - ')}`);
  }
}

export function assertAuthorizationComplete(schema: GraphQLSchema): void {
  const problems = auditAuthorization(schema);
  if (problems.length > 0) throw new AuthorizationAuditError(problems);
}
