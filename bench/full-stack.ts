/**
 * Target 2: the whole stack (Express with helmet, CORS and limits → Apollo → authentication →
 * directives → Prisma → PostgreSQL) against a bare Apollo + Express answering the same 100 menu
 * items from memory. Where the rest of the time goes is `npm run bench -- profile`.
 */
import { tokenFor } from './lib/environment.js';
import { MENU_SIZE } from './lib/fixtures.js';
import { compareThroughput, round, warmUp, withBenchDatabase, type Target } from './lib/harness.js';
import { graphqlOnce } from './lib/load.js';
import { MENU_ITEMS } from './lib/queries.js';
import type { Benchmark } from './lib/result.js';
import { startAppServer, startBareServer } from './lib/server-process.js';

export const fullStackBenchmark: Benchmark = {
  name: 'full-stack',
  description: `Target 2: the full stack on PostgreSQL versus bare Apollo + Express serving ${MENU_SIZE} items from memory`,
  run: () =>
    withBenchDatabase(async ({ database, env, prepareWithPasswordHash }) => {
      const [full, bare] = await Promise.all([startAppServer({ env, variant: 'full', prepareWithPasswordHash }), startBareServer()]);
      try {
        const request = { query: MENU_ITEMS, token: tokenFor() };
        const [fromDatabase, fromMemory] = await Promise.all([graphqlOnce(full.url, request), graphqlOnce(bare.url, request)]);
        if (JSON.stringify(fromDatabase) !== JSON.stringify(fromMemory)) throw new Error('the full stack and the bare server answer differently');

        const fullStack: Target = { url: full.url, request };
        const bareApollo: Target = { url: bare.url, request };
        await warmUp(fullStack, bareApollo);
        const comparison = await compareThroughput(fullStack, bareApollo);
        return [
          {
            id: '2',
            name: `full stack (${database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}) vs bare Apollo + Express from memory, ${MENU_SIZE} items`,
            ratio: comparison.ratio,
            target: { comparison: '>=', value: 0.6 },
            ratioOf: 'req/s of the full stack / req/s of bare Apollo + Express',
            context: { 'full stack req/s': round(comparison.medianA), 'bare req/s': round(comparison.medianB) },
            notes: database.note ? [database.note] : [],
          },
        ];
      } finally {
        await Promise.all([full.stop(), bare.stop()]);
      }
    }),
};
