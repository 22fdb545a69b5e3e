/**
 * GraphQL Code Generator, one file for everything generated from the schema:
 * the server's resolver types (with mappers, so internal columns are exposed only by choice).
 * Its input, schema.graphql, is printed from the code with its directives and committed.
 * Run `npm run codegen`; CI fails when a generated file is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // Printed from the code by scripts/print-schema.ts (npm run codegen does both).
  schema: 'schema.graphql',
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        contextType: '../graphql/context.js#Context',
        useIndexSignature: false,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { ID: 'string', DateTime: { input: 'string', output: 'Date | string' } },
        mappers: {
          MenuItem: '../generated/prisma/client.js#MenuItem as MenuItemModel',
          Book: '../generated/prisma/client.js#Book as BookModel',
          Task: '../generated/prisma/client.js#Task as TaskModel',
          User: '../modules/users/users.mappers.js#UserEntity',
          AuthPayload: '../modules/session/session.mappers.js#AuthPayloadEntity',
        },
      },
    },
  },
};

export default config;
