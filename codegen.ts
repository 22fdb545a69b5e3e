/**
 * GraphQL Code Generator, one file for everything generated from the schema:
 * the server's resolver types (with mappers, so internal columns are exposed only by choice),
 * the typed client over the example operations in client/operations/, the permissions manifest
 * of those operations (client/generated/permissions.json, a local plugin), and their persisted
 * documents (client/generated/persisted-documents.json, which scripts/codegen/trusted-documents.ts
 * turns into the trusted-documents manifest the server loads).
 * Its input, schema.graphql, is printed from the code with its directives and committed.
 * Run `npm run codegen`; CI fails when a generated file is stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';
import type { CodegenPlugin } from '@graphql-codegen/plugin-helpers';
import * as permissionsManifest from './scripts/codegen/permissions-manifest.js';

/** Plugins of this repository, in TypeScript: codegen.ts is compiled on the fly, the plugins imported here with it. */
const LOCAL_PLUGINS: Record<string, CodegenPlugin> = { 'permissions-manifest': permissionsManifest };

const CLIENT_OPERATIONS = 'client/operations/*.graphql';

/**
 * `listed`, plus a mapper for each type it leaves out whose module's *.mappers.ts exports `<Type>Entity`,
 * so a module made by `npm run generate:module` needs no line here.
 */
function withModuleMappers(listed: Record<string, string>): Record<string, string> {
  const types = new Set([...readFileSync('schema.graphql', 'utf8').matchAll(/^type (\w+)/gm)].map((match) => match[1]));
  const mappers = { ...listed };
  for (const module of readdirSync('src/modules')) {
    for (const file of readdirSync(`src/modules/${module}`).filter((name) => name.endsWith('.mappers.ts'))) {
      for (const [, type] of readFileSync(`src/modules/${module}/${file}`, 'utf8').matchAll(/^export type (\w+)Entity\b/gm)) {
        if (types.has(type!) && !listed[type!]) mappers[type!] = `../modules/${module}/${file.replace(/\.ts$/, '.js')}#${type}Entity`;
      }
    }
  }
  return mappers;
}

const config: CodegenConfig = {
  // Printed from the code by scripts/print-schema.ts (npm run codegen does both).
  schema: 'schema.graphql',
  pluginLoader: async (name) => LOCAL_PLUGINS[name] ?? import(name),
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        contextType: '../kernel/context.js#Context',
        useIndexSignature: false,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { ID: 'string', DateTime: { input: 'string', output: 'Date | string' } },
        mappers: withModuleMappers({
          MenuItem: '../modules/menu/menu.mappers.js#MenuItemEntity',
          Book: '../modules/books/books.mappers.js#BookEntity',
          Task: '../modules/tasks/tasks.mappers.js#TaskEntity',
          User: '../modules/users/users.mappers.js#UserEntity',
          AuthPayload: '../modules/session/session.mappers.js#AuthPayloadEntity',
          // A connection's totalCount is a thunk, counted only when selected (src/kernel/pagination.ts).
          MenuItemConnection: '../modules/menu/menu.mappers.js#MenuItemConnectionEntity',
          BookConnection: '../modules/books/books.mappers.js#BookConnectionEntity',
          TaskConnection: '../modules/tasks/tasks.mappers.js#TaskConnectionEntity',
          UserConnection: '../modules/users/users.mappers.js#UserConnectionEntity',
        }),
      },
    },
    'client/generated/': {
      documents: CLIENT_OPERATIONS,
      preset: 'client',
      // Each document carries its sha256 (`__meta__.hash`, "sha256:<hex>") for sending the hash alone.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      // Apollo Client's cache adds __typename to every selection; the persisted documents must already
      // have it, or the document the server runs would not be the one the client's cache expects.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { ID: 'string', DateTime: 'string' },
        // NodeNext resolution wants explicit extensions in the generated relative imports.
        emitLegacyCommonJSImports: false,
      },
    },
    'client/generated/permissions.json': {
      documents: CLIENT_OPERATIONS,
      plugins: ['permissions-manifest'],
    },
  },
};

export default config;
