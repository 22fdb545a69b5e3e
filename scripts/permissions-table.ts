// Writes the README's permissions table, between its markers, from the catalog and the schema's directives (npm run codegen runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { effectiveDecision } from '../src/authz/directives/decision.js';
import { ALL_PERMISSIONS, PERMISSIONS, ROLE_NAMES, ROLES } from '../src/authz/permissions.js';
import { schemaTypeDefs } from '../src/graphql/schema.js';

export const README = new URL('../README.md', import.meta.url);
const START = '<!-- permissions:start -->';
const END = '<!-- permissions:end -->';

/** Every field guarded by `permission`: `Query.users`, or `User.email (unless owner)` for owner-readable fields. */
function fieldsRequiring(schema: GraphQLSchema, permission: string): string[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((type) => type !== null && type !== undefined);
  const types = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__'))
    .sort((a, b) => Number(!roots.includes(a)) - Number(!roots.includes(b)) || a.name.localeCompare(b.name));
  return types.flatMap((type) =>
    Object.values(type.getFields()).flatMap((field) => {
      const decision = effectiveDecision(schema, field, type.name);
      if (!(decision?.args.permissions as string[] | undefined)?.includes(permission)) return [];
      const coordinate = `\`${type.name}.${field.name}\``;
      if (decision?.directive === 'ownerOrPermission') return [`${coordinate} (unless owner)`];
      return [decision?.args.mode === 'ANY' ? `${coordinate} (any of)` : coordinate];
    }),
  );
}

export function permissionsTable(schema = makeExecutableSchema({ typeDefs: schemaTypeDefs() })): string {
  const rows = ALL_PERMISSIONS.map((permission) => {
    const roles = ROLE_NAMES.filter((role) => (ROLES[role].permissions as readonly string[]).includes(permission));
    const fields = fieldsRequiring(schema, permission);
    return `| \`${permission}\` | ${PERMISSIONS[permission]} | ${roles.join(', ') || '—'} | ${fields.join(', ') || '—'} |`;
  });
  return ['| permission | description | roles holding it | fields requiring it |', '| --- | --- | --- | --- |', ...rows].join('\n');
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
