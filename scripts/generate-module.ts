/**
 * Scaffolds a domain module in the shape of the others: SDL with an auth decision on every root field
 * (@auth to read, @ownerOrPermission to change or delete: the record's owner, or a holder of the
 * module's new `manage:` permission), a list that is a connection under the same page-size limit as
 * every other, a service over Prisma, a mapper, thin resolvers, the Prisma model (with its owner) and
 * its migration, the permission in the catalog, the wiring in src/server/modules.ts, and a test that
 * runs the operations as each kind of viewer.
 * Usage: npm run generate:module -- <name> [--type <TypeName>]   (then: npm run codegen)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMigration } from './migration-diff.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const at = (file: string) => path.join(ROOT, file);
const REGISTRY = 'src/server/modules.ts';
const CATALOG = 'src/kernel/permissions.ts';

export interface ModuleNames {
  /** The module, as given: `recipes`. */
  module: string;
  /** Its folder and file names: `recipes`, `shopping-lists`. */
  kebab: string;
  /** The GraphQL type and Prisma model: `Recipe`. */
  type: string;
  /** Query fields: `recipe(id:)` and `recipes`. */
  one: string;
  many: string;
  /** The table: `recipes`. */
  table: string;
  /** The permission that lets its holder change or delete any record, not only their own: `manage:recipes`. */
  permission: string;
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await base generated'.split(' '),
);

const kebabCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const upperFirst = (name: string) => name[0]!.toUpperCase() + name.slice(1);
const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);

function singular(name: string): string {
  if (/[^aeiou]ies$/.test(name)) return name.slice(0, -3) + 'y';
  if (/(ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}

function plural(name: string): string {
  if (/[^aeiou]y$/.test(name)) return name.slice(0, -1) + 'ies';
  if (/(s|x|ch|sh)$/.test(name)) return name + 'es';
  return name + 's';
}

/** The names a module is made of; throws on a name that is not a lower-camel identifier. */
export function moduleNames(module: string, type?: string): ModuleNames {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(module) || RESERVED.has(module)) {
    throw new Error(`"${module}" is not a valid module name: use a lower-camel identifier such as recipes or shoppingLists`);
  }
  if (type !== undefined && !/^[A-Z][a-zA-Z0-9]*$/.test(type)) throw new Error(`"${type}" is not a valid type name: use PascalCase, such as Recipe`);
  const typeName = type ?? upperFirst(singular(module));
  const one = lowerFirst(typeName);
  const many = module === one ? plural(module) : module;
  return { module, kebab: kebabCase(module), type: typeName, one, many, table: snakeCase(many), permission: `manage:${kebabCase(module)}` };
}

/** Why the module cannot be added to this tree, or an empty list. */
export function conflicts(names: ModuleNames): string[] {
  const problems: string[] = [];
  if (existsSync(at(`src/modules/${names.kebab}`))) problems.push(`src/modules/${names.kebab} already exists`);
  if (existsSync(at(`test/${names.kebab}.test.ts`))) problems.push(`test/${names.kebab}.test.ts already exists`);
  if (new RegExp(`^model ${names.type}\\s`, 'm').test(readFileSync(at('prisma/schema.prisma'), 'utf8'))) problems.push(`prisma/schema.prisma already has a model ${names.type}`);
  const sdl = readFileSync(at('schema.graphql'), 'utf8');
  for (const type of [names.type, `Create${names.type}Input`, `Update${names.type}Input`]) {
    if (new RegExp(`^(type|input|enum|scalar|interface|union) ${type}\\b`, 'm').test(sdl)) problems.push(`the schema already has a type ${type}`);
  }
  for (const field of [names.one, names.many, `create${names.type}`, `update${names.type}`, `delete${names.type}`]) {
    if (new RegExp(`^  ${field}[(:]`, 'm').test(sdl)) problems.push(`the schema already has a field ${field}`);
  }
  if (readFileSync(at(CATALOG), 'utf8').includes(`'${names.permission}':`)) problems.push(`the permissions catalog already has ${names.permission}`);
  const services = readFileSync(at('src/server/services.ts'), 'utf8') + readFileSync(at(REGISTRY), 'utf8');
  if (new RegExp(`^\\s+${names.module}[:,]`, 'm').test(services)) problems.push(`the services already have a "${names.module}"`);
  return problems;
}

function files({ module, kebab, type, one, many, permission }: ModuleNames): Record<string, string> {
  const fields = `${snakeCase(one).toUpperCase()}_FIELDS`;
  const order = `${snakeCase(many).toUpperCase()}_IN_ORDER_ADDED`;
  const service = `${upperFirst(module)}Service`;
  const label = upperFirst(snakeCase(one).replace(/_/g, ' '));
  return {
    [`src/modules/${kebab}/${kebab}.graphql`]: `"A ${label.toLowerCase()}."
type ${type} {
  id: ID!
  name: String!
  createdAt: DateTime!
}

"${label}s in the order they were added, a page at a time."
type ${type}Connection {
  edges: [${type}Edge!]!
  pageInfo: PageInfo!
  "Every row of the list, not only this page (one count, run only when selected)."
  totalCount: Int!
}

type ${type}Edge {
  "Opaque; pass it as after (or before) to read the next (or previous) page."
  cursor: String!
  node: ${type}!
}

input Create${type}Input {
  name: String!
}

"Only the fields given are changed."
input Update${type}Input {
  name: String
}

# Every root field states its authorization decision. Reads: @auth (any signed-in viewer) to start
# with; tighten one with @hasPermission(permissions: ["..."]) or open it with @public. Writes to an
# existing record: its owner (who created it), or a holder of ${permission}. A guarded field stays
# nullable: a denied field answers null.
extend type Query {
  "Every ${label.toLowerCase()}, oldest first."
  ${many}(
    "Rows in this page: 20 when left out, at most GRAPHQL_MAX_PAGE_SIZE (100)."
    first: Int
    "The endCursor of the previous page."
    after: String
    "Pages backward: the rows just before \`before\`."
    last: Int
    before: String
  ): ${type}Connection @auth
  ${one}(id: ID!): ${type} @auth
}

extend type Mutation {
  create${type}(input: Create${type}Input!): ${type} @auth
  "Its owner's, or anyone's with ${permission}; another's answers NOT_FOUND."
  update${type}(id: ID!, input: Update${type}Input!): ${type} @ownerOrPermission(permissions: ["${permission}"])
  "Its owner's, or anyone's with ${permission}; another's answers NOT_FOUND."
  delete${type}(id: ID!): ${type} @ownerOrPermission(permissions: ["${permission}"])
}
`,
    [`src/modules/${kebab}/${kebab}.mappers.ts`]: `/** The internal shape behind the GraphQL \`${type}\`: the columns the type exposes, and only those are read (never the owner). */
import type { Prisma } from '../../generated/prisma/client.js';
import type { Connection } from '../../kernel/pagination.js';

export const ${fields} = { id: true, name: true, createdAt: true } as const satisfies Prisma.${type}Select;

export type ${type}Entity = Prisma.${type}GetPayload<{ select: typeof ${fields} }>;

/** A page of them; its totalCount is a thunk, counted only when selected. */
export type ${type}ConnectionEntity = Connection<${type}Entity>;
`,
    [`src/modules/${kebab}/${kebab}.service.ts`]: `/**
 * The ${label.toLowerCase()} records. Who may call each operation is decided by the schema's directives; a
 * write is restricted to the owner the resolver passes (undefined: a holder of ${permission}, any record).
 */
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { notFound, notFoundIfMissing } from '../../kernel/errors.js';
import { cursorKey, readPage, type KeysetOrder, type PageArgs } from '../../kernel/pagination.js';
import { definedOnly, isUuid, parseInput, text } from '../../kernel/validation.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ${fields}, type ${type}ConnectionEntity, type ${type}Entity } from './${kebab}.mappers.js';

const create${type}Input = z.object({ name: text(1, 200) });
const update${type}Input = create${type}Input.partial();

export type Create${type}Input = z.input<typeof create${type}Input>;
export type Update${type}Input = { [K in keyof Create${type}Input]?: Create${type}Input[K] | null };

const ${order}: KeysetOrder<${type}Entity> = {
  kind: '${kebab}',
  order: [
    ['createdAt', 'asc'],
    ['id', 'asc'],
  ],
  keyOf: (row) => [row.createdAt.toISOString(), row.id],
  key: z.tuple([cursorKey.date, cursorKey.uuid]),
};

export class ${service} {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPageSize: number,
  ) {}

  /** A page of them, oldest first: at most maxPageSize rows (GRAPHQL_MAX_PAGE_SIZE), as every connection. */
  async list(args: PageArgs = {}): Promise<${type}ConnectionEntity> {
    const page = readPage<Prisma.${type}WhereInput, Prisma.${type}OrderByWithRelationInput, ${type}Entity>(${order}, args, this.maxPageSize);
    const rows = await this.prisma.${one}.findMany({ select: ${fields}, where: page.where, orderBy: page.orderBy, take: page.take });
    return page.connection(rows, () => this.prisma.${one}.count());
  }

  find(id: string) {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.${one}.findUnique({ select: ${fields}, where: { id } });
  }

  create(ownerId: string, input: Create${type}Input) {
    return this.prisma.${one}.create({ select: ${fields}, data: { ...parseInput(create${type}Input, input), ownerId } });
  }

  async update(owner: string | undefined, id: string, input: Update${type}Input) {
    const data = parseInput(update${type}Input, definedOnly(input));
    await this.findWritable(owner, id);
    return this.prisma.${one}.update({ select: ${fields}, where: { id }, data }).catch(notFoundIfMissing('${label}'));
  }

  async delete(owner: string | undefined, id: string) {
    await this.findWritable(owner, id);
    return this.prisma.${one}.delete({ select: ${fields}, where: { id } }).catch(notFoundIfMissing('${label}'));
  }

  /** Another owner's record is NOT_FOUND, as a missing one: its existence is not told. */
  private async findWritable(owner: string | undefined, id: string) {
    const found = isUuid(id) ? await this.prisma.${one}.findFirst({ select: { id: true }, where: { id, ...(owner !== undefined && { ownerId: owner }) } }) : null;
    if (!found) throw notFound('${label}');
  }
}
`,
    [`src/modules/${kebab}/${kebab}.resolvers.ts`]: `import { ownerScope, requireAuth } from '../../authz/checks.js';
import type { Resolvers } from '../../generated/graphql.js';
import type { ${service} } from './${kebab}.service.js';

export const ${module}Resolvers = (${module}: ${service}): Resolvers => ({
  Query: {
    ${many}: (_parent, args) => ${module}.list(args),
    ${one}: (_parent, { id }) => ${module}.find(id),
  },
  Mutation: {
    create${type}: (_parent, { input }, { viewer }) => ${module}.create(requireAuth(viewer).userId, input),
    // @ownerOrPermission: the viewer's own record, or any with the permission.
    update${type}: (_parent, { id, input }, context) => ${module}.update(ownerScope(context), id, input),
    delete${type}: (_parent, { id }, context) => ${module}.delete(ownerScope(context), id),
  },
});
`,
    [`test/${kebab}.test.ts`]: `/** The ${module} module over HTTP, as an anonymous, a signed-in, another signed-in and a permitted viewer (generated; adjust as its rules change). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestKit, type TestUser } from './kit/index.js';

type Row = { id: string; name: string; createdAt: string };
type Page = { edges: { node: Row }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

const LIST = 'query ($first: Int, $after: String) { ${many}(first: $first, after: $after) { edges { node { id name createdAt } } pageInfo { hasNextPage endCursor } } }';
const READ = 'query ($id: ID!) { ${one}(id: $id) { id name createdAt } }';
const CREATE = 'mutation ($input: Create${type}Input!) { create${type}(input: $input) { id name createdAt } }';
const UPDATE = 'mutation ($id: ID!, $input: Update${type}Input!) { update${type}(id: $id, input: $input) { id name } }';
const DELETE = 'mutation ($id: ID!) { delete${type}(id: $id) { id } }';

describe('${module}', () => {
  let api: TestKit;
  let owner: TestUser;
  let other: TestUser;
  let permitted: TestUser;

  beforeAll(async () => {
    api = await startTestServer();
    owner = await api.user();
    other = await api.user();
    permitted = await api.user({ permissions: ['${permission}'] });
  });
  afterAll(() => api?.close());

  const create = async (as: TestUser, name: string) => {
    const response = await api.http<{ create${type}: Row }>(CREATE, { as, variables: { input: { name } } });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.create${type};
  };

  it('refuses every operation to an anonymous viewer with UNAUTHENTICATED, and changes nothing', async () => {
    const row = await create(owner, 'Kept');
    const operations: [string, Record<string, unknown>][] = [
      [LIST, {}],
      [READ, { id: row.id }],
      [CREATE, { input: { name: 'Anonymous' } }],
      [UPDATE, { id: row.id, input: { name: 'Changed' } }],
      [DELETE, { id: row.id }],
    ];
    for (const [operation, variables] of operations) {
      const response = await api.http(operation, { variables });
      expect(response.body.errors?.[0]?.extensions?.code, operation).toBe('UNAUTHENTICATED');
    }
    expect((await api.http<{ ${one}: Row }>(READ, { as: owner, variables: { id: row.id } })).body.data?.${one}).toEqual(row);
  });

  it('lets the owner create, list, read, update and delete', async () => {
    const row = await create(owner, 'First');
    expect(row).toMatchObject({ name: 'First' });
    const listed = await api.http<{ ${many}: Page }>(LIST, { as: owner, variables: { first: 100 } });
    expect(listed.body.data?.${many}.edges.map(({ node }) => node)).toContainEqual(row);
    expect((await api.http(READ, { as: owner, variables: { id: row.id } })).body.data).toEqual({ ${one}: row });
    const updated = await api.http(UPDATE, { as: owner, variables: { id: row.id, input: { name: 'Renamed' } } });
    expect(updated.body.data).toEqual({ update${type}: { id: row.id, name: 'Renamed' } });
    expect((await api.http(DELETE, { as: owner, variables: { id: row.id } })).body.data).toEqual({ delete${type}: { id: row.id } });
    expect((await api.http(READ, { as: owner, variables: { id: row.id } })).body.data).toEqual({ ${one}: null });
  });

  it("answers NOT_FOUND to another viewer changing or deleting the owner's record, and lets a holder of ${permission} do it", async () => {
    const row = await create(owner, 'Mine');
    for (const [operation, variables] of [
      [UPDATE, { id: row.id, input: { name: 'Taken' } }],
      [DELETE, { id: row.id }],
    ] as const) {
      const response = await api.http(operation, { as: other, variables });
      expect(response.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect((await api.http<{ ${one}: Row }>(READ, { as: owner, variables: { id: row.id } })).body.data?.${one}).toEqual(row);
    const moderated = await api.http(UPDATE, { as: permitted, variables: { id: row.id, input: { name: 'Moderated' } } });
    expect(moderated.body.data).toEqual({ update${type}: { id: row.id, name: 'Moderated' } });
    expect((await api.http(DELETE, { as: permitted, variables: { id: row.id } })).body.data).toEqual({ delete${type}: { id: row.id } });
  });

  it('pages the list under the page-size limit, and refuses a page over it with BAD_USER_INPUT', async () => {
    for (const name of ['a', 'b', 'c']) await create(owner, name);
    const first = await api.http<{ ${many}: Page }>(LIST, { as: owner, variables: { first: 2 } });
    expect(first.body.data?.${many}.edges).toHaveLength(2);
    expect(first.body.data?.${many}.pageInfo.hasNextPage).toBe(true);
    const next = await api.http<{ ${many}: Page }>(LIST, { as: owner, variables: { first: 2, after: first.body.data!.${many}.pageInfo.endCursor } });
    expect(next.body.data?.${many}.edges.map(({ node }) => node.id)).not.toContain(first.body.data!.${many}.edges[0]!.node.id);
    const tooMany = await api.http(LIST, { as: owner, variables: { first: 101 } });
    expect(tooMany.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('refuses an empty name with BAD_USER_INPUT, and answers NOT_FOUND for an unknown id', async () => {
    const empty = await api.http(CREATE, { as: owner, variables: { input: { name: '  ' } } });
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const missing = await api.http(DELETE, { as: owner, variables: { id } });
      expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });
});
`,
  };
}

function prismaModel({ type, table }: ModuleNames): string {
  return `
model ${type} {
  id        String   @id @default(uuid()) @db.Uuid
  name      String
  /// Who created it: the one who may change or delete it without the manage permission.
  ownerId   String   @map("owner_id") @db.Uuid
  createdAt DateTime @default(now()) @map("created_at")
  updatedAt DateTime @updatedAt @map("updated_at")

  @@index([ownerId])
  @@map("${table}")
}
`;
}

/** Puts `line` above the generator's marker comment of `marker` in the registry. */
function insertAbove(text: string, marker: string, line: string): string {
  const index = text.indexOf(`// generate:module ${marker}`);
  if (index === -1) throw new Error(`${REGISTRY} lost its "// generate:module ${marker}" marker`);
  const lineStart = text.lastIndexOf('\n', index) + 1;
  return text.slice(0, lineStart) + line + '\n' + text.slice(lineStart);
}

/** Adds the module's manage permission to the catalog (the admin role holds every permission). */
function addPermission({ permission, type }: ModuleNames): void {
  const catalog = readFileSync(at(CATALOG), 'utf8');
  const end = catalog.indexOf('} as const satisfies Record<string, string>;');
  if (end === -1) throw new Error(`${CATALOG} lost the end of its PERMISSIONS list`);
  const line = `  '${permission}': 'Change and delete any ${type}, not only your own',\n`;
  writeFileSync(at(CATALOG), catalog.slice(0, end) + line + catalog.slice(end));
}

function register({ module, kebab }: ModuleNames): void {
  const service = `${upperFirst(module)}Service`;
  let registry = readFileSync(at(REGISTRY), 'utf8');
  registry = insertAbove(registry, 'imports', `import { ${module}Resolvers } from '../modules/${kebab}/${kebab}.resolvers.js';\nimport { ${service} } from '../modules/${kebab}/${kebab}.service.js';`);
  registry = insertAbove(registry, 'services', `  ${module}: (prisma: PrismaClient, { maxPageSize }: GeneratedServiceLimits) => new ${service}(prisma, maxPageSize),`);
  registry = insertAbove(registry, 'resolvers', `  (services) => ${module}Resolvers(services.${module}),`);
  writeFileSync(at(REGISTRY), registry);
}

export async function generateModule(module: string, type?: string): Promise<ModuleNames> {
  const names = moduleNames(module, type);
  const problems = conflicts(names);
  if (problems.length > 0) throw new Error(`cannot add the module "${module}": ${problems.join('; ')}`);

  mkdirSync(at(`src/modules/${names.kebab}`));
  for (const [file, content] of Object.entries(files(names))) writeFileSync(at(file), content, { flag: 'wx' });
  register(names);
  addPermission(names);
  writeFileSync(at('prisma/schema.prisma'), readFileSync(at('prisma/schema.prisma'), 'utf8') + prismaModel(names));

  const migration = await createMigration(`add_${names.table}`);
  if (!migration) throw new Error('the migration tooling found no change after adding the model');
  console.log(`Created src/modules/${names.kebab}/, test/${names.kebab}.test.ts, prisma/migrations/${migration.name}; registered in ${REGISTRY}`);

  // The Prisma client must know the model before anything typechecks against it.
  const generated = spawnSync(process.execPath, [at('scripts/generate-prisma.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (generated.status !== 0) throw new Error('npm run generate failed');
  return names;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const typeAt = args.indexOf('--type');
  const type = typeAt === -1 ? undefined : args.splice(typeAt, 2)[1];
  try {
    if (args.length !== 1 || args[0]!.startsWith('-') || (typeAt !== -1 && !type)) throw new Error('usage: npm run generate:module -- <name> [--type <TypeName>]');
    await generateModule(args[0]!, type);
    console.log('Next: npm run codegen, then npm run typecheck and npm test.');
  } catch (error) {
    console.error(`generate-module: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
