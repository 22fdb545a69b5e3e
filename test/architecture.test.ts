/**
 * The layers of src/ (eslint.layers.js): kernel → platform → auth → authz → modules → assembly.
 * `npm run lint` keeps the real tree clean; here a deliberately wrong import is shown to fail it.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('import layers', () => {
  it('refuses an import that runs back up the layers, naming both layers', async () => {
    expect(await layerErrors('src/kernel/probe.ts', "export type { UsersService } from '../modules/users/users.service.js';\n")).toEqual([
      "'../modules/users/users.service.js' import is restricted from being used by a pattern. The kernel layer may not import from the modules layer above it (see eslint.layers.js).",
    ]);
    expect(await layerErrors('src/auth/probe.ts', "export { buildSchema } from '../server/schema.js';\n")).toHaveLength(1);
    expect(await layerErrors('src/authz/planner/probe.ts', "export type { Resolvers } from '../../generated/graphql.js';\n")).toHaveLength(1);
    expect(await layerErrors('src/db/probe.ts', "export { requireAuth } from '../authz/checks.js';\n")).toHaveLength(1);
    expect(await layerErrors('src/modules/menu/probe.ts', "export { createApp } from '../../server/app.js';\n")).toHaveLength(1);
  });

  it('lets a layer import from itself and the layers below, and from packages', async () => {
    expect(await layerErrors('src/modules/menu/probe.ts', "export { requireAuth } from '../../authz/checks.js';\nexport { notFound } from '../../kernel/errors.js';\n")).toEqual([]);
    expect(await layerErrors('src/kernel/probe.ts', "export { unwrapResolverError } from '@apollo/server/errors';\n")).toEqual([]);
    expect(await layerErrors('src/server/probe.ts', "export { menuResolvers } from '../modules/menu/menu.resolvers.js';\n")).toEqual([]);
  });
});

describe('import cycles', () => {
  async function cycleErrors(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((message) => message.ruleId === 'layers/no-cycle').map((message) => message.message);
  }

  it('refuses an import that leads back to its own file, type-only imports included, naming the chain', async () => {
    const errors = await cycleErrors('src/authz/directives/decision.ts', "import type { SchemaGuards } from '../schema-guards.js';\nexport type Index = SchemaGuards;\n");
    expect(errors).toEqual([
      'Import cycle: src/authz/directives/decision.ts → src/authz/schema-guards.ts → src/authz/directives/decision.ts. Move what both sides need into a module both can import.',
    ]);
  });

  it('lets a file import what does not import it back', async () => {
    expect(await cycleErrors('src/authz/schema-guards.ts', "export { decisionsOn } from './directives/decision.js';\n")).toEqual([]);
  });
});
