/**
 * Target 1: what authentication and authorization cost. The same server, built twice in one
 * process: as deployed, and with injected no-op parts (an authenticator that reads no token,
 * directives that state no guard). Also for a page of 100 users read by an admin, with four guarded
 * fields each: the planner decides them once per operation, not per user. First, a calibration: the full server against itself, whose distance from
 * 1 is this run's noise floor (a busy machine shows there; ratios near a target then say little).
 */
import { tokenFor } from './lib/environment.js';
import { MENU_SIZE, USER_COUNT } from './lib/fixtures.js';
import { compareThroughput, round, warmUp, withBenchDatabase, type Target } from './lib/harness.js';
import { graphqlOnce, type GraphQLRequest } from './lib/load.js';
import { ALL_USERS, MENU_ITEMS, PAGE_SIZE, USERS } from './lib/queries.js';
import type { Benchmark, BenchmarkResult } from './lib/result.js';
import { startServerProcess, urlOf } from './lib/server-process.js';

export const authorizationBenchmark: Benchmark = {
  name: 'authorization',
  description: 'Target 1: authenticated reads with directives and token verification, versus both switched off',
  run: () =>
    withBenchDatabase(async ({ database, env, prepareWithPasswordHash }) => {
      // One page of every user for row 1c: above the default page size and cost limits (the baseline's viewer is anonymous), so they are raised here.
      const server = await startServerProcess({
        env: { ...env, GRAPHQL_MAX_PAGE_SIZE: String(USER_COUNT), GRAPHQL_MAX_COST: '100000', GRAPHQL_MAX_COST_ANONYMOUS: '100000' },
        variants: ['full', 'unauthenticated', 'untraced'],
        prepareWithPasswordHash,
      });
      try {
        const token = tokenFor();
        const fullUrl = urlOf(server, 'full');
        const baselineUrl = urlOf(server, 'unauthenticated');
        await expectSameAnswers(fullUrl, baselineUrl, token);
        const notes = database.note ? [database.note] : [];
        const pair = (request: GraphQLRequest): [Target, Target] => [
          { url: fullUrl, request },
          { url: baselineUrl, request },
        ];

        const [menuWithAuth, menuWithoutAuth] = pair({ query: MENU_ITEMS, token });
        await warmUp(menuWithAuth, menuWithoutAuth);
        const calibration = await compareThroughput(menuWithAuth, menuWithAuth);
        const menu = await compareThroughput(menuWithAuth, menuWithoutAuth);
        const [usersWithAuth, usersWithoutAuth] = pair({ query: USERS, token });
        await warmUp(usersWithAuth, usersWithoutAuth);
        const users = await compareThroughput(usersWithAuth, usersWithoutAuth);
        const [everyUserWithAuth, everyUserWithoutAuth] = pair({ query: ALL_USERS, token });
        await warmUp(everyUserWithAuth, everyUserWithoutAuth);
        const everyUser = await compareThroughput(everyUserWithAuth, everyUserWithoutAuth);
        // Tracing while it is off: the operation span's no-op API calls against none at all.
        const untraced: Target = { url: urlOf(server, 'untraced'), request: { query: MENU_ITEMS, token } };
        await warmUp(menuWithAuth, untraced);
        const tracingOff = await compareThroughput(menuWithAuth, untraced);

        const ratioOf = 'req/s with authentication + directives / req/s with both off';
        const context = (comparison: typeof menu, items: number) => ({
          'with auth req/s': round(comparison.medianA),
          'without auth req/s': round(comparison.medianB),
          items,
        });
        return [
          {
            id: '0',
            name: 'calibration: the same server against itself (noise floor)',
            ratio: calibration.ratio,
            target: { comparison: '≈', value: 1, tolerance: 0.03 },
            ratioOf: 'req/s of the full server / req/s of the same server, alternating as every comparison does',
            context: { 'req/s': round(calibration.medianA) },
            notes,
          },
          {
            id: '1',
            name: `authenticated read of ${MENU_SIZE} menu items`,
            ratio: menu.ratio,
            target: { comparison: '>=', value: 0.95 },
            ratioOf,
            context: context(menu, MENU_SIZE),
            notes,
          },
          {
            id: '1b',
            name: `a page of ${PAGE_SIZE} users with guarded fields, read by an admin`,
            ratio: users.ratio,
            target: { comparison: '>=', value: 0.95 },
            ratioOf,
            context: context(users, PAGE_SIZE),
            notes,
          },
          {
            id: '1c',
            name: `all ${USER_COUNT} users with guarded fields in one page, read by an admin`,
            ratio: everyUser.ratio,
            target: { comparison: '>=', value: 0.95 },
            ratioOf,
            context: context(everyUser, USER_COUNT),
            notes,
          },
          {
            id: '1t',
            name: `tracing off: authenticated read of ${MENU_SIZE} menu items, with the no-op span calls vs without them`,
            ratio: tracingOff.ratio,
            target: { comparison: '>=', value: 0.98 },
            ratioOf: 'req/s of the server as deployed (no OTEL_* set) / req/s with the operation span replaced by a direct call',
            context: { 'as deployed req/s': round(tracingOff.medianA), 'no span calls req/s': round(tracingOff.medianB) } as Record<string, number>,
            notes,
          },
        ] satisfies BenchmarkResult[];
      } finally {
        await server.stop();
      }
    }),
};

async function expectSameAnswers(fullUrl: string, baselineUrl: string, token: string): Promise<void> {
  for (const query of [MENU_ITEMS, USERS, ALL_USERS]) {
    const [withAuth, withoutAuth] = await Promise.all([graphqlOnce(fullUrl, { query, token }), graphqlOnce(baselineUrl, { query, token })]);
    if (JSON.stringify(withAuth) !== JSON.stringify(withoutAuth)) throw new Error('the two servers answer differently');
  }
  const { menuItems } = await graphqlOnce<{ menuItems: { edges: unknown[] } }>(fullUrl, { query: MENU_ITEMS, token });
  if (menuItems.edges.length !== MENU_SIZE) throw new Error(`expected ${MENU_SIZE} menu items, got ${menuItems.edges.length}`);
}
