/**
 * A GraphQL Code Generator plugin: for each client operation, the sign-in and permissions it needs,
 * derived from the authorization directives on every field it selects (fragments and nested
 * selections included), as deterministic JSON a frontend can read and a reviewer can diff.
 */
import type { PluginFunction } from '@graphql-codegen/plugin-helpers';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { effectiveDecision } from '../../src/authz/directives/decision.js';

/** What one operation needs. `permissions`: every one of them; `anyOf`: one of each group; `unlessOwner`: needed only for records the viewer does not own. */
export interface OperationRequirements {
  auth: boolean;
  permissions: string[];
  anyOf?: string[][];
  unlessOwner?: string[];
}

export type PermissionsManifest = Record<string, OperationRequirements>;

interface Collected {
  auth: boolean;
  permissions: Set<string>;
  anyOf: Map<string, string[]>;
  unlessOwner: Set<string>;
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** Directives are enforced on object fields, so a field selected on an interface needs what every implementation needs. */
function objectTypesBehind(schema: GraphQLSchema, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isInterfaceType(type)) return schema.getPossibleTypes(type);
  return [];
}

function collect(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parentType: GraphQLNamedType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into: Collected,
  path: readonly string[],
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name.startsWith('__')) continue;
      for (const owner of objectTypesBehind(schema, parentType)) {
        const field = owner.getFields()[name];
        if (!field) throw new Error(`${owner.name} has no field "${name}"`);
        const decision = effectiveDecision(schema, field, owner.name);
        const permissions = (decision?.args.permissions as string[] | undefined) ?? [];
        if (decision?.directive === 'auth') into.auth = true;
        if (decision?.directive === 'hasPermission') {
          into.auth = true;
          // One permission "of any" is simply required.
          if (decision.args.mode === 'ANY' && permissions.length > 1) into.anyOf.set(sortedUnique(permissions).join('\n'), sortedUnique(permissions));
          else permissions.forEach((permission) => into.permissions.add(permission));
        }
        if (decision?.directive === 'ownerOrPermission') {
          into.auth = true;
          permissions.forEach((permission) => into.unlessOwner.add(permission));
        }
        if (selection.selectionSet) collect(schema, selection.selectionSet, getNamedType(field.type), fragments, into, path);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
      if (!type) throw new Error(`Unknown type ${selection.typeCondition?.name.value}`);
      collect(schema, selection.selectionSet, type, fragments, into, path);
    } else {
      const name = selection.name.value;
      if (path.includes(name)) continue;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`Unknown fragment "${name}"`);
      const type = schema.getType(fragment.typeCondition.name.value);
      if (!type) throw new Error(`Unknown type ${fragment.typeCondition.name.value} of fragment "${name}"`);
      collect(schema, fragment.selectionSet, type, fragments, into, [...path, name]);
    }
  }
}

function requirementsOf(collected: Collected): OperationRequirements {
  const permissions = sortedUnique(collected.permissions);
  const required = new Set(permissions);
  // A group already satisfied by a required permission, or an owner restriction it lifts, says nothing more.
  const anyOf = [...collected.anyOf.values()].filter((group) => !group.some((permission) => required.has(permission)));
  anyOf.sort((a, b) => a.join('\n').localeCompare(b.join('\n')));
  const unlessOwner = sortedUnique(collected.unlessOwner).filter((permission) => !required.has(permission));
  return {
    auth: collected.auth,
    permissions,
    ...(anyOf.length > 0 && { anyOf }),
    ...(unlessOwner.length > 0 && { unlessOwner }),
  };
}

/** The manifest of every named operation in `documents`; fragments may live in any of them. */
export function permissionsManifest(schema: GraphQLSchema, documents: readonly DocumentNode[]): PermissionsManifest {
  const definitions = documents.flatMap((document) => document.definitions);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const manifest: PermissionsManifest = {};
  for (const definition of definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const name = definition.name?.value;
    if (!name) throw new Error('Every client operation needs a name: the manifest is keyed by it');
    if (Object.hasOwn(manifest, name)) throw new Error(`Two client operations are named "${name}"`);
    const root = schema.getRootType(definition.operation);
    if (!root) throw new Error(`The schema has no ${definition.operation} type (operation "${name}")`);
    const collected: Collected = { auth: false, permissions: new Set(), anyOf: new Map(), unlessOwner: new Set() };
    collect(schema, definition.selectionSet, root, fragments, collected, []);
    manifest[name] = requirementsOf(collected);
  }
  return Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export const plugin: PluginFunction = (schema, documents) =>
  `${JSON.stringify(
    permissionsManifest(
      schema,
      documents.flatMap((file) => (file.document ? [file.document] : [])),
    ),
    null,
    2,
  )}\n`;
