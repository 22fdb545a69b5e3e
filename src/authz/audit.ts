/**
 * Deny by default. Walks the schema and lists every authorization problem: a root field without
 * exactly one decision, a node with several, a permission missing from the catalog or an empty
 * list of them, and a guarded field that could not answer null when it is denied. The server
 * refuses to start while the list is not empty; a test asserts it is.
 */
import { getNamedType, isInterfaceType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';
import { decisionsOn, type Decision, type DirectableNode } from './directives/decision.js';
import { isPermission } from '../kernel/permissions.js';
import type { SchemaGuards } from './schema-guards.js';

function permissionProblems(coordinate: string, decisions: readonly Decision[]): string[] {
  return decisions.flatMap(({ directive, args }) => {
    if (!Array.isArray(args.permissions)) return [];
    const permissions = args.permissions as string[];
    if (permissions.length === 0) return [`${coordinate}: @${directive.name} lists no permission, which would let every signed-in viewer through; name at least one`];
    return permissions.filter((name) => !isPermission(name)).map((name) => `${coordinate}: permission "${name}" is not in the permissions catalog`);
  });
}

function nodeProblems(schema: GraphQLSchema, guards: SchemaGuards, coordinate: string, node: DirectableNode): string[] {
  const decisions = decisionsOn(schema, node, guards.directives);
  const problems = permissionProblems(coordinate, decisions);
  if (decisions.length > 1) problems.push(`${coordinate} states ${decisions.length} auth decisions (${decisions.map((d) => `@${d.directive.name}`).join(', ')}); keep one`);
  return problems;
}

export interface AuditOptions {
  /** Root fields decided by other means than a directive, with the problems of that decision (federation's `Query._entities`: per representation, src/authz/entities.ts). */
  decidedElsewhere?: ReadonlyMap<string, readonly string[]>;
}

export function auditAuthorization(guards: SchemaGuards, { decidedElsewhere = new Map() }: AuditOptions = {}): string[] {
  const { schema } = guards;
  const problems: string[] = [];
  const rootTypes = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!isObjectType(type) && !isInterfaceType(type)) {
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) problems.push(...nodeProblems(schema, guards, `${type.name}.${field.name}`, field));
      }
      continue;
    }
    problems.push(...nodeProblems(schema, guards, type.name, type));

    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      problems.push(...nodeProblems(schema, guards, coordinate, field));
      const elsewhere = decidedElsewhere.get(coordinate);
      if (elsewhere) problems.push(...elsewhere);
      else if (rootTypes.has(type as never) && decisionsOn(schema, field, guards.directives).length === 0) {
        problems.push(`${coordinate} has no auth decision: add @public, @auth or @hasPermission`);
      }
      const guardedArguments = field.args.filter((argument) => {
        problems.push(...nodeProblems(schema, guards, `${coordinate}(${argument.name}:)`, argument));
        return guards.argument(type.name, field.name, argument.name) !== undefined || guards.inputTypeIsGuarded(getNamedType(argument.type));
      });
      const guarded = guards.field(type.name, field.name).guard !== null || guardedArguments.length > 0;
      // A denied Subscription root field is never answered null: the planner refuses the subscription before it starts.
      const answersNullWhenDenied = type !== schema.getSubscriptionType();
      if (guarded && answersNullWhenDenied && isNonNullType(field.type)) {
        problems.push(`${coordinate} is guarded but non-null (${String(field.type)}): a denied field answers null, so declare it as ${String(field.type.ofType)}`);
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

export function assertAuthorizationComplete(guards: SchemaGuards, options?: AuditOptions): void {
  const problems = auditAuthorization(guards, options);
  if (problems.length > 0) throw new AuthorizationAuditError(problems);
}
