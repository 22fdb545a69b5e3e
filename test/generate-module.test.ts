/**
 * `npm run generate:module` in a temporary copy of the project: the new module passes codegen, the
 * typecheck, its own generated test (which starts the server, so the start-up audit too) and the
 * migration drift check; bad or taken names are refused without touching the tree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflicts, moduleNames } from '../scripts/generate-module.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SKIPPED = new Set(['node_modules', '.git', 'dist', '.data', 'coverage', 'results']);

describe('npm run generate:module', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(path.join(tmpdir(), 'generate-module-'));
    cpSync(ROOT, copy, { recursive: true, filter: (source) => !SKIPPED.has(path.basename(source)) });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  });
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  // A vitest run inside this one must not think it is one of this run's workers.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  const run = (command: string, ...args: string[]) => spawnSync(command, args, { cwd: copy, encoding: 'utf8', env });
  const generate = (...args: string[]) => run('npx', 'tsx', 'scripts/generate-module.ts', ...args);
  const snapshot = () => ['src/server/modules.ts', 'prisma/schema.prisma'].map((file) => readFileSync(path.join(copy, file), 'utf8')).join('\n') + readdirSync(path.join(copy, 'prisma/migrations')).join();

  it('refuses a name that is not an identifier', () => {
    for (const name of ['Recipes', 'my-recipes', '2recipes', 'class', '']) expect(() => moduleNames(name), name).toThrow('not a valid module name');
    expect(() => moduleNames('things', 'thing')).toThrow('not a valid type name');
  });

  it('refuses a name that is taken, as a module, a model, a type, a field or a service', () => {
    expect(conflicts(moduleNames('books'))).toEqual(expect.arrayContaining(['src/modules/books already exists', 'prisma/schema.prisma already has a model Book', 'the schema already has a type Book']));
    expect(conflicts(moduleNames('tokens'))).toEqual(['the services already have a "tokens"']);
    expect(conflicts(moduleNames('people', 'User'))).toEqual(expect.arrayContaining(['prisma/schema.prisma already has a model User', 'the schema already has a field user']));
    expect(conflicts(moduleNames('recipes'))).toEqual([]);
  });

  it('exits with the reason and writes nothing when it refuses', { timeout: 120_000 }, () => {
    const before = snapshot();
    for (const [args, reason] of [
      [['books'], 'src/modules/books already exists'],
      [['things', '--type', 'thing'], 'not a valid type name'],
    ] as const) {
      const result = generate(...args);
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(reason);
    }
    expect(snapshot()).toBe(before);
  });

  it('names the type after the module made singular, unless --type names it', () => {
    expect(moduleNames('recipes')).toEqual({ module: 'recipes', kebab: 'recipes', type: 'Recipe', one: 'recipe', many: 'recipes', table: 'recipes', permission: 'manage:recipes' });
    expect(moduleNames('shoppingLists')).toMatchObject({ kebab: 'shopping-lists', type: 'ShoppingList', table: 'shopping_lists' });
    expect(moduleNames('categories')).toMatchObject({ type: 'Category', many: 'categories' });
    expect(moduleNames('inventory')).toMatchObject({ type: 'Inventory', one: 'inventory', many: 'inventories' });
    expect(moduleNames('news', 'NewsItem')).toMatchObject({ type: 'NewsItem', one: 'newsItem', many: 'news' });
  });

  it('scaffolds a module that passes codegen, the typecheck and its own test right away', { timeout: 300_000 }, () => {
    const generated = generate('recipes');
    expect(generated.status, generated.stderr).toBe(0);
    for (const file of ['recipes.graphql', 'recipes.service.ts', 'recipes.resolvers.ts', 'recipes.mappers.ts']) expect(existsSync(path.join(copy, 'src/modules/recipes', file)), file).toBe(true);
    const migration = readdirSync(path.join(copy, 'prisma/migrations')).find((name) => name.endsWith('_add_recipes'));
    expect(readFileSync(path.join(copy, 'prisma/migrations', migration!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "recipes"');
    const sdl = readFileSync(path.join(copy, 'src/modules/recipes/recipes.graphql'), 'utf8');
    // A connection under the page-size limit, not an unbounded list; writes restricted to the owner or manage:recipes.
    expect(sdl).toMatch(/\): RecipeConnection @auth\n/);
    expect(sdl).toContain('updateRecipe(id: ID!, input: UpdateRecipeInput!): Recipe @ownerOrPermission(permissions: ["manage:recipes"])');
    expect(sdl).toContain('deleteRecipe(id: ID!): Recipe @ownerOrPermission(permissions: ["manage:recipes"])');
    expect(readFileSync(path.join(copy, 'src/kernel/permissions.ts'), 'utf8')).toContain("'manage:recipes':");

    execFileSync('npm', ['run', 'codegen'], { cwd: copy, stdio: 'pipe', env });
    expect(readFileSync(path.join(copy, 'schema.graphql'), 'utf8')).toContain('createRecipe(input: CreateRecipeInput!): Recipe @auth');
    // The resolvers answer with the mapper's shape: a column is exposed only through a field that names it.
    expect(readFileSync(path.join(copy, 'src/generated/graphql.ts'), 'utf8')).toContain('Recipe: ResolverTypeWrapper<RecipeEntity>');
    const typecheck = run('npm', 'run', 'typecheck');
    expect(typecheck.status, typecheck.stdout).toBe(0);
    // The generated test starts the real server (the start-up audit runs there); the drift test proves the migration.
    const tests = run('npx', 'vitest', 'run', 'test/recipes.test.ts', 'test/migrations-drift.test.ts');
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(stripVTControlCharacters(tests.stdout)).toMatch(/Tests\s+6 passed/);
  });
});
