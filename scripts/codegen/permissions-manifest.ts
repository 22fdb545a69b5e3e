/**
 * A GraphQL Code Generator plugin: for each client operation, the sign-in and permissions it needs,
 * from the same analysis the server's authorization planner runs on every request (fields, the
 * arguments passed and the input fields inside them, through fragments), as deterministic JSON a
 * frontend can read and a reviewer can diff.
 */
import type { PluginFunction } from '@graphql-codegen/plugin-helpers';
import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { authorizationDirectives } from '../../src/authz/directives/index.js';
import { analyzeOperation } from '../../src/authz/planner/analyze.js';
import { SchemaGuards } from '../../src/authz/schema-guards.js';

/**
 * What one operation needs. `permissions`: every one of them; `anyOf`: one of each group;
 * `unlessOwner`: needed only for records the viewer does not own; `whenUsed`: needed only when the
 * variables give a value to that argument or input field.
 */
export interface OperationRequirements {
  auth: boolean;
  permissions: string[];
  anyOf?: string[][];
  unlessOwner?: string[];
  whenUsed?: Record<string, string[]>;
}

export type PermissionsManifest = Record<string, OperationRequirements>;

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** The requirements of one operation of `document`, as the planner sees them. */
export function operationRequirements(guards: SchemaGuards, document: DocumentNode, operationName: string): OperationRequirements {
  let auth = false;
  const permissions = new Set<string>();
  const anyOf = new Map<string, string[]>();
  const unlessOwner = new Set<string>();
  const whenUsed = new Map<string, Set<string>>();
  for (const { guard, probe } of analyzeOperation(guards, document, operationName).guarded) {
    if (probe) {
      const needed = whenUsed.get(guard.coordinate) ?? new Set<string>();
      guard.permissions.forEach((permission) => needed.add(permission));
      whenUsed.set(guard.coordinate, needed);
      continue;
    }
    if (guard.rule === 'ownerOrPermission') {
      guard.permissions.forEach((permission) => unlessOwner.add(permission));
      continue;
    }
    auth = true;
    // One permission "of any" is simply required.
    if (guard.mode === 'ANY' && guard.permissions.length > 1) anyOf.set(sortedUnique(guard.permissions).join('\n'), sortedUnique(guard.permissions));
    else guard.permissions.forEach((permission) => permissions.add(permission));
  }
  const required = sortedUnique(permissions);
  // A group already satisfied by a required permission, or an owner restriction it lifts, says nothing more.
  const groups = [...anyOf.values()].filter((group) => !group.some((permission) => permissions.has(permission)));
  groups.sort((a, b) => a.join('\n').localeCompare(b.join('\n')));
  const ownerLifted = sortedUnique(unlessOwner).filter((permission) => !permissions.has(permission));
  return {
    auth,
    permissions: required,
    ...(groups.length > 0 && { anyOf: groups }),
    ...(ownerLifted.length > 0 && { unlessOwner: ownerLifted }),
    ...(whenUsed.size > 0 && { whenUsed: Object.fromEntries([...whenUsed].sort(([a], [b]) => a.localeCompare(b)).map(([coordinate, needed]) => [coordinate, sortedUnique(needed)])) }),
  };
}

/** The manifest of every named operation in `documents`; fragments may live in any of them. */
export function permissionsManifest(schema: GraphQLSchema, documents: readonly DocumentNode[]): PermissionsManifest {
  const definitions = documents.flatMap((document) => document.definitions);
  const guards = new SchemaGuards(schema, authorizationDirectives());
  // Fragments may live in any file: analyse every operation against all the definitions.
  const combined: DocumentNode = { kind: Kind.DOCUMENT, definitions };
  const manifest: PermissionsManifest = {};
  for (const definition of definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const name = definition.name?.value;
    if (!name) throw new Error('Every client operation needs a name: the manifest is keyed by it');
    if (Object.hasOwn(manifest, name)) throw new Error(`Two client operations are named "${name}"`);
    if (!schema.getRootType(definition.operation)) throw new Error(`The schema has no ${definition.operation} type (operation "${name}")`);
    manifest[name] = operationRequirements(guards, combined, name);
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
