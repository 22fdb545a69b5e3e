/**
 * Target 2: the whole stack (Express with helmet, CORS and limits → Apollo → authentication →
 * directives → Prisma → PostgreSQL) against a bare Apollo + Express answering the same 100 menu
 * items from memory, each in its own process. Where the rest of the time goes: `npm run bench -- profile`.
 */
import { tokenFor } from './lib/environment.js';
import { MENU_SIZE } from './lib/fixtures.js';
import { compareThroughput, round, warmUp, withBenchDatabase, type Target } from './lib/harness.js';
import { graphqlOnce } from './lib/load.js';
import { MENU_ITEMS } from './lib/queries.js';
import type { Benchmark } from './lib/result.js';
import { startBareServerProcess, startServerProcess, urlOf } from './lib/server-process.js';

export const fullStackBenchmark: Benchmark = {
  name: 'full-stack',
  description: `Target 2: the full stack on PostgreSQL versus bare Apollo + Express serving ${MENU_SIZE} items from memory`,
  run: () =>
    withBenchDatabase(async ({ database, env, prepareWithPasswordHash }) => {
      const [server, bare] = await Promise.all([startServerProcess({ env, variants: ['full'], prepareWithPasswordHash }), startBareServerProcess(env)]);
      try {
        const request = { query: MENU_ITEMS, token: tokenFor() };
        const fullStack: Target = { url: urlOf(server, 'full'), request };
        const bareApollo: Target = { url: urlOf(bare, 'bare'), request };
        const [fromDatabase, fromMemory] = await Promise.all([graphqlOnce(fullStack.url, request), graphqlOnce(bareApollo.url, request)]);
        if (JSON.stringify(fromDatabase) !== JSON.stringify(fromMemory)) throw new Error('the full stack and the bare server answer differently');

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
        await Promise.all([server.stop(), bare.stop()]);
      }
    }),
};
