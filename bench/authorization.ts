/**
 * Target 1: what authentication and the authorization directives cost. The same server, built
 * twice: as deployed, and with no token read and no directive transformers (benchmark-only
 * options of createApp). Also for 100 users, whose fields run @ownerOrPermission 400 times a request.
 */
import { tokenFor } from './lib/environment.js';
import { MENU_SIZE, USER_COUNT } from './lib/fixtures.js';
import { compareThroughput, round, warmUp, withBenchDatabase, type Target } from './lib/harness.js';
import { graphqlOnce } from './lib/load.js';
import { MENU_ITEMS, USERS } from './lib/queries.js';
import type { Benchmark, BenchmarkResult } from './lib/result.js';
import { startAppServer } from './lib/server-process.js';

export const authorizationBenchmark: Benchmark = {
  name: 'authorization',
  description: 'Target 1: authenticated reads with directives and token verification, versus both switched off',
  run: () =>
    withBenchDatabase(async ({ database, env, prepareWithPasswordHash }) => {
      const [full, baseline] = await Promise.all([
        startAppServer({ env, variant: 'full', prepareWithPasswordHash }),
        startAppServer({ env, variant: 'unauthenticated', prepareWithPasswordHash }),
      ]);
      try {
        const token = tokenFor();
        const menu = { query: MENU_ITEMS, token };
        const users = { query: USERS, token };
        await expectSameAnswers(full.url, baseline.url);

        const results: BenchmarkResult[] = [];
        for (const [id, name, request, size] of [
          ['1', `authenticated read of ${MENU_SIZE} menu items`, menu, MENU_SIZE],
          ['1b', `authenticated read of ${USER_COUNT} users (400 @ownerOrPermission checks)`, users, USER_COUNT],
        ] as const) {
          const withAuth: Target = { url: full.url, request };
          const withoutAuth: Target = { url: baseline.url, request };
          await warmUp(withAuth, withoutAuth);
          const comparison = await compareThroughput(withAuth, withoutAuth);
          results.push({
            id,
            name,
            ratio: comparison.ratio,
            target: { comparison: '>=', value: 0.95 },
            ratioOf: 'req/s with authentication + directives / req/s with both off',
            context: { 'with auth req/s': round(comparison.medianA), 'without auth req/s': round(comparison.medianB), items: size },
            notes: database.note ? [database.note] : [],
          });
        }
        return results;
      } finally {
        await Promise.all([full.stop(), baseline.stop()]);
      }
    }),
};

async function expectSameAnswers(fullUrl: string, baselineUrl: string): Promise<void> {
  const token = tokenFor();
  for (const query of [MENU_ITEMS, USERS]) {
    const [withAuth, withoutAuth] = await Promise.all([graphqlOnce(fullUrl, { query, token }), graphqlOnce(baselineUrl, { query, token })]);
    if (JSON.stringify(withAuth) !== JSON.stringify(withoutAuth)) throw new Error('the two servers answer differently');
  }
  const { menuItems } = await graphqlOnce<{ menuItems: unknown[] }>(fullUrl, { query: MENU_ITEMS, token });
  if (menuItems.length !== MENU_SIZE) throw new Error(`expected ${MENU_SIZE} menu items, got ${menuItems.length}`);
}
