/**
 * Scaffolds a domain module in the shape of the others: SDL with an auth decision on every root field
 * (@auth to start with), a service over Prisma, a mapper, thin resolvers, the Prisma model and its
 * migration, the wiring in src/server/modules.ts, and a test that runs the operations as each kind of viewer.
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
  return { module, kebab: kebabCase(module), type: typeName, one, many, table: snakeCase(many) };
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
  const services = readFileSync(at('src/server/services.ts'), 'utf8') + readFileSync(at(REGISTRY), 'utf8');
  if (new RegExp(`^\\s+${names.module}[:,]`, 'm').test(services)) problems.push(`the services already have a "${names.module}"`);
  return problems;
}

function files({ module, kebab, type, one, many }: ModuleNames): Record<string, string> {
  const fields = `${snakeCase(one).toUpperCase()}_FIELDS`;
  const service = `${upperFirst(module)}Service`;
  const label = upperFirst(snakeCase(one).replace(/_/g, ' '));
  return {
    [`src/modules/${kebab}/${kebab}.graphql`]: `"A ${label.toLowerCase()}."
type ${type} {
  id: ID!
  name: String!
  createdAt: DateTime!
}

input Create${type}Input {
  name: String!
}

"Only the fields given are changed."
input Update${type}Input {
  name: String
}

# Every root field states its authorization decision: @auth (any signed-in viewer) to start with.
# Tighten one with @hasPermission(permissions: ["..."]) (a permission of src/kernel/permissions.ts),
# or open it with @public. A guarded field stays nullable: a denied field answers null.
extend type Query {
  ${many}: [${type}!] @auth
  ${one}(id: ID!): ${type} @auth
}

extend type Mutation {
  create${type}(input: Create${type}Input!): ${type} @auth
  update${type}(id: ID!, input: Update${type}Input!): ${type} @auth
  delete${type}(id: ID!): ${type} @auth
}
`,
    [`src/modules/${kebab}/${kebab}.mappers.ts`]: `/** The internal shape behind the GraphQL \`${type}\`: the columns the type exposes, and only those are read. */
import type { Prisma } from '../../generated/prisma/client.js';

export const ${fields} = { id: true, name: true, createdAt: true } as const satisfies Prisma.${type}Select;

export type ${type}Entity = Prisma.${type}GetPayload<{ select: typeof ${fields} }>;
`,
    [`src/modules/${kebab}/${kebab}.service.ts`]: `/** The ${label.toLowerCase()} records: who may call each operation is decided by the schema's directives. */
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { notFound, notFoundIfMissing } from '../../kernel/errors.js';
import { definedOnly, isUuid, parseInput, text } from '../../kernel/validation.js';
import { ${fields} } from './${kebab}.mappers.js';

const create${type}Input = z.object({ name: text(1, 200) });
const update${type}Input = create${type}Input.partial();

export type Create${type}Input = z.input<typeof create${type}Input>;
export type Update${type}Input = { [K in keyof Create${type}Input]?: Create${type}Input[K] | null };

export class ${service} {
  constructor(private readonly prisma: PrismaClient) {}

  list() {
    return this.prisma.${one}.findMany({ select: ${fields}, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  find(id: string) {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.${one}.findUnique({ select: ${fields}, where: { id } });
  }

  create(input: Create${type}Input) {
    return this.prisma.${one}.create({ select: ${fields}, data: parseInput(create${type}Input, input) });
  }

  async update(id: string, input: Update${type}Input) {
    const data = parseInput(update${type}Input, definedOnly(input));
    if (!(await this.find(id))) throw notFound('${label}');
    return this.prisma.${one}.update({ select: ${fields}, where: { id }, data }).catch(notFoundIfMissing('${label}'));
  }

  async delete(id: string) {
    if (!(await this.find(id))) throw notFound('${label}');
    return this.prisma.${one}.delete({ select: ${fields}, where: { id } }).catch(notFoundIfMissing('${label}'));
  }
}
`,
    [`src/modules/${kebab}/${kebab}.resolvers.ts`]: `import type { Resolvers } from '../../generated/graphql.js';
import type { ${service} } from './${kebab}.service.js';

export const ${module}Resolvers = (${module}: ${service}): Resolvers => ({
  Query: {
    ${many}: () => ${module}.list(),
    ${one}: (_parent, { id }) => ${module}.find(id),
  },
  Mutation: {
    create${type}: (_parent, { input }) => ${module}.create(input),
    update${type}: (_parent, { id, input }) => ${module}.update(id, input),
    delete${type}: (_parent, { id }) => ${module}.delete(id),
  },
});
`,
    [`test/${kebab}.test.ts`]: `/** The ${module} module over HTTP, as an anonymous, a signed-in and a permitted viewer (generated; adjust as its rules change). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestKit, type TestUser } from './kit/index.js';

type Row = { id: string; name: string; createdAt: string };

const LIST = '{ ${many} { id name createdAt } }';
const READ = 'query ($id: ID!) { ${one}(id: $id) { id name createdAt } }';
const CREATE = 'mutation ($input: Create${type}Input!) { create${type}(input: $input) { id name createdAt } }';
const UPDATE = 'mutation ($id: ID!, $input: Update${type}Input!) { update${type}(id: $id, input: $input) { id name } }';
const DELETE = 'mutation ($id: ID!) { delete${type}(id: $id) { id } }';

describe('${module}', () => {
  let api: TestKit;
  let signedIn: TestUser;
  let permitted: TestUser;

  beforeAll(async () => {
    api = await startTestServer();
    signedIn = await api.user();
    // Every permission there is: the viewer to keep allowed when a field moves to @hasPermission.
    permitted = await api.user({ roles: ['admin'] });
  });
  afterAll(() => api?.close());

  const create = async (as: TestUser, name: string) => {
    const response = await api.http<{ create${type}: Row }>(CREATE, { as, variables: { input: { name } } });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.create${type};
  };

  it('refuses every operation to an anonymous viewer with UNAUTHENTICATED, and changes nothing', async () => {
    const row = await create(signedIn, 'Kept');
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
    expect((await api.http<{ ${one}: Row }>(READ, { as: signedIn, variables: { id: row.id } })).body.data?.${one}).toEqual(row);
  });

  it.each([
    ['a signed-in viewer', () => signedIn],
    ['a permitted viewer', () => permitted],
  ])('lets %s create, list, read, update and delete', async (_who, viewer) => {
    const as = viewer();
    const row = await create(as, 'First');
    expect(row).toMatchObject({ name: 'First' });
    expect((await api.http<{ ${many}: Row[] }>(LIST, { as })).body.data?.${many}).toContainEqual(row);
    expect((await api.http(READ, { as, variables: { id: row.id } })).body.data).toEqual({ ${one}: row });
    const updated = await api.http(UPDATE, { as, variables: { id: row.id, input: { name: 'Renamed' } } });
    expect(updated.body.data).toEqual({ update${type}: { id: row.id, name: 'Renamed' } });
    expect((await api.http(DELETE, { as, variables: { id: row.id } })).body.data).toEqual({ delete${type}: { id: row.id } });
    expect((await api.http(READ, { as, variables: { id: row.id } })).body.data).toEqual({ ${one}: null });
  });

  it('refuses an empty name with BAD_USER_INPUT, and answers NOT_FOUND for an unknown id', async () => {
    const empty = await api.http(CREATE, { as: signedIn, variables: { input: { name: '  ' } } });
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const missing = await api.http(DELETE, { as: signedIn, variables: { id } });
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
  createdAt DateTime @default(now()) @map("created_at")
  updatedAt DateTime @updatedAt @map("updated_at")

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

function register({ module, kebab }: ModuleNames): void {
  const service = `${upperFirst(module)}Service`;
  let registry = readFileSync(at(REGISTRY), 'utf8');
  registry = insertAbove(registry, 'imports', `import { ${module}Resolvers } from '../modules/${kebab}/${kebab}.resolvers.js';\nimport { ${service} } from '../modules/${kebab}/${kebab}.service.js';`);
  registry = insertAbove(registry, 'services', `  ${module}: (prisma: PrismaClient) => new ${service}(prisma),`);
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
