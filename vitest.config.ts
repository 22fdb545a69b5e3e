import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Node loads graphql's CommonJS build (graphql 16 has no "exports" map); Vite would pick the
  // .mjs one for our code while graphql-tools gets the CommonJS one: two copies, broken instanceof.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Tests that start a server process (tsx, migrations, seed) take 10-20 s on a busy 2-core machine.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each file gets its own database (in-memory PGlite, or a fresh PostgreSQL database).
    maxWorkers: 2,
  },
});
