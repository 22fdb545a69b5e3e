/**
 * Our guards in Apollo Federation's words, so that a gateway can enforce them at the edge:
 * `@auth` → `@authenticated`; `@hasPermission` → `@requiresScopes` (federation's scopes are an OR
 * of ANDs: mode ALL is one group of every permission, mode ANY one group per permission); a rule
 * federation cannot state (`@ownerOrPermission`: only the record knows its owner) → `@policy` with
 * the name `policyName` documents. Read from SchemaGuards, the index the planner decides from: the
 * guard in force at each object field, a type's decision included, as our planner applies it.
 * Guards of arguments and input fields have no federation equivalent (federation's directives go on
 * fields and types only): the subgraph alone enforces them.
 */
import { isInterfaceType, isObjectType, Kind, type ConstDirectiveNode, type ConstValueNode } from 'graphql';
import type { Guard } from './guards.js';
import type { SchemaGuards } from './schema-guards.js';

/** The federation directives the translation writes, for the subgraph's `@link(import:)`. */
export const FEDERATION_AUTHORIZATION_DIRECTIVES = ['@authenticated', '@requiresScopes', '@policy'] as const;

/**
 * The policy a gateway must grant for a rule it cannot decide itself: `<rule>:<permissions, comma-separated>`,
 * e.g. `ownerOrPermission:read:users` (README, "Behind a gateway").
 */
export function policyName(guard: Guard): string {
  return `${guard.rule}:${guard.permissions.join(',')}`;
}

const string = (value: string): ConstValueNode => ({ kind: Kind.STRING, value });
const list = (values: readonly ConstValueNode[]): ConstValueNode => ({ kind: Kind.LIST, values });

function directive(name: string, argument?: { name: string; value: ConstValueNode }): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: name },
    arguments: argument ? [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: argument.name }, value: argument.value }] : [],
  };
}

/** The federation directive that states `guard` at the edge. */
export function federationDirective(guard: Guard): ConstDirectiveNode {
  switch (guard.rule) {
    case 'auth':
      return directive('authenticated');
    case 'hasPermission': {
      const groups = guard.mode === 'ALL' ? [guard.permissions] : guard.permissions.map((permission) => [permission]);
      return directive('requiresScopes', { name: 'scopes', value: list(groups.map((group) => list(group.map(string)))) });
    }
    default:
      return directive('policy', { name: 'policies', value: list([list([string(policyName(guard))])]) });
  }
}

/** `Type.field` → its federation directive, for every object field whose guard is in force (its own, or its type's). */
export function federationFieldDirectives(guards: SchemaGuards): Map<string, ConstDirectiveNode> {
  const directives = new Map<string, ConstDirectiveNode>();
  for (const type of Object.values(guards.schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const fieldName of Object.keys(type.getFields())) {
      const { guard } = guards.field(type.name, fieldName);
      if (guard) directives.set(`${type.name}.${fieldName}`, federationDirective(guard));
    }
  }
  return directives;
}
