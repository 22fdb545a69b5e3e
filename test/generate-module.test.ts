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

  it('refuses a name that is taken or is not an identifier, and writes nothing', () => {
    const before = snapshot();
    for (const [name, reason] of [
      ['books', 'src/modules/books already exists'],
      ['tokens', 'the services already have a "tokens"'],
      ['Recipes', 'not a valid module name'],
      ['my-recipes', 'not a valid module name'],
      ['2recipes', 'not a valid module name'],
      ['class', 'not a valid module name'],
    ]) {
      const result = generate(name!);
      expect(result.status, name).toBe(1);
      expect(result.stderr).toContain(reason);
    }
    expect(snapshot()).toBe(before);
  });

  it('scaffolds a module that passes codegen, the typecheck and its own test right away', { timeout: 300_000 }, () => {
    const generated = generate('recipes');
    expect(generated.status, generated.stderr).toBe(0);
    for (const file of ['recipes.graphql', 'recipes.service.ts', 'recipes.resolvers.ts', 'recipes.mappers.ts']) expect(existsSync(path.join(copy, 'src/modules/recipes', file)), file).toBe(true);
    const migration = readdirSync(path.join(copy, 'prisma/migrations')).find((name) => name.endsWith('_add_recipes'));
    expect(readFileSync(path.join(copy, 'prisma/migrations', migration!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "recipes"');
    expect(readFileSync(path.join(copy, 'src/modules/recipes/recipes.graphql'), 'utf8')).toMatch(/recipes: \[Recipe!\] @auth\n/);

    execFileSync('npm', ['run', 'codegen'], { cwd: copy, stdio: 'pipe', env });
    expect(readFileSync(path.join(copy, 'schema.graphql'), 'utf8')).toContain('createRecipe(input: CreateRecipeInput!): Recipe @auth');
    const typecheck = run('npm', 'run', 'typecheck');
    expect(typecheck.status, typecheck.stdout).toBe(0);
    // The generated test starts the real server (the start-up audit runs there); the drift test proves the migration.
    const tests = run('npx', 'vitest', 'run', 'test/recipes.test.ts', 'test/migrations-drift.test.ts');
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(stripVTControlCharacters(tests.stdout)).toMatch(/Tests\s+5 passed/);
  });
});
