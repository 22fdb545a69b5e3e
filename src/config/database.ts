/** Where data lives: the embedded PGlite by default, or a PostgreSQL server. */
import { z } from 'zod';
import { defineSlice } from './slice.js';
import { positiveInt } from './values.js';

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (url) => /^(postgres|postgresql):\/\/[^\s]+$/.test(url) || /^pglite:.+$/.test(url) || url === 'memory:',
    'expected postgres://…, postgresql://…, pglite:<directory> or memory:',
  )
  .refine((url) => !/^postgres/.test(url) || URL.canParse(url), 'is not a valid URL');

export const databaseConfig = defineSlice({
  variables: {
    DATABASE_URL: {
      schema: databaseUrl.optional(),
      doc: `Unset: embedded PostgreSQL (PGlite) in .data/pglite. Also: pglite:<directory>, memory: (in memory),
or a real server: postgresql://user:password@host:5432/database`,
    },
    DATABASE_POOL_SIZE: { schema: positiveInt.default(10), shown: '10' },
  },
  build: (env) => ({
    database: {
      url: env.DATABASE_URL ?? 'pglite:.data/pglite',
      poolSize: env.DATABASE_POOL_SIZE,
    },
  }),
});
