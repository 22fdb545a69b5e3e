// Writes the README's permissions table, between its markers, from the catalog and the schema's directives (npm run codegen runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { authorizationDirectives } from '../src/authz/directives/index.js';
import { ALL_PERMISSIONS, PERMISSIONS, ROLE_NAMES, ROLES } from '../src/kernel/permissions.js';
import { SchemaGuards } from '../src/authz/schema-guards.js';
import { schemaTypeDefs } from '../src/server/schema.js';

export const README = new URL('../README.md', import.meta.url);
const START = '<!-- permissions:start -->';
const END = '<!-- permissions:end -->';

/** Root fields first, then other types' fields, arguments and input fields, each alphabetically. */
function rank(schema: GraphQLSchema, coordinate: string): string {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].map((type) => type?.name);
  const rootIndex = roots.indexOf(coordinate.split('.')[0]);
  return `${rootIndex === -1 ? 9 : rootIndex}${coordinate.includes('(') ? 1 : 0}${coordinate}`;
}

/** Every field, argument and input field guarded by `permission`: `Query.users`, `User.email (unless owner)`, `Query.users(includeDisabled:)`. */
function coordinatesRequiring(guards: SchemaGuards, permission: string): string[] {
  return guards
    .allGuards()
    .filter(({ guard }) => guard.permissions.includes(permission))
    .sort((a, b) => rank(guards.schema, a.coordinate).localeCompare(rank(guards.schema, b.coordinate)))
    .map(({ coordinate, guard }) => {
      if (guard.rule === 'ownerOrPermission') return `\`${coordinate}\` (unless owner)`;
      return guard.mode === 'ANY' && guard.permissions.length > 1 ? `\`${coordinate}\` (any of)` : `\`${coordinate}\``;
    });
}

export function permissionsTable(schema = makeExecutableSchema({ typeDefs: schemaTypeDefs() })): string {
  const guards = new SchemaGuards(schema, authorizationDirectives());
  const rows = ALL_PERMISSIONS.map((permission) => {
    const roles = ROLE_NAMES.filter((role) => (ROLES[role].permissions as readonly string[]).includes(permission));
    const coordinates = coordinatesRequiring(guards, permission);
    return `| \`${permission}\` | ${PERMISSIONS[permission]} | ${roles.join(', ') || '—'} | ${coordinates.join(', ') || '—'} |`;
  });
  return ['| permission | description | roles holding it | fields, arguments and input fields requiring it |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by the current table. */
export function withPermissionsTable(readme: string, table = permissionsTable()): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const current = readFileSync(README, 'utf8');
  const updated = withPermissionsTable(current);
  if (updated !== current) writeFileSync(README, updated);
}
