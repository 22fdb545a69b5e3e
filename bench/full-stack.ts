/**
 * Target 2: the whole stack (Express with helmet, CORS and limits → Apollo → authentication →
 * authorization plan → executor → Prisma → the database) against bare Apollo + Express answering
 * the same 100 menu items from memory, each in its own process, on PostgreSQL and on the embedded
 * PGlite side by side. Two baselines: stock Apollo, and tuned (its cache-control plugin off, as
 * here). Two reads: an authenticated one with the response cache off (every request executes), and
 * a repeated public one with the cache on. Where the time goes: `npm run bench -- profile`.
 */
import { tokenFor } from './lib/environment.js';
import { MENU_SIZE } from './lib/fixtures.js';
import { compareThroughput, round, warmUp, withBenchDatabase, type Prepared, type Target } from './lib/harness.js';
import { graphqlOnce } from './lib/load.js';
import { MENU_ITEMS } from './lib/queries.js';
import type { Benchmark, BenchmarkResult } from './lib/result.js';
import { startBareServerProcess, startServerProcess, urlOf } from './lib/server-process.js';

/** The goals per database: uncached vs tuned (and its stock equivalent, tuned ≈ 2 × stock), cached vs tuned. */
const GOALS = {
  postgres: { uncachedTuned: 0.65, uncachedStock: 1.3 },
  pglite: { uncachedTuned: 0.5, uncachedStock: 1.0 },
  cachedTuned: 2,
  cachedStock: 4,
} as const;

const onlyDatabase = process.env.BENCH_DATABASES;

async function measure({ database, env, prepareWithPasswordHash }: Prepared): Promise<BenchmarkResult[]> {
  const [server, stock, tuned] = await Promise.all([
    startServerProcess({ env, variants: ['full', 'cached'], prepareWithPasswordHash }),
    startBareServerProcess(env, 'bare'),
    startBareServerProcess(env, 'bare-tuned'),
  ]);
  try {
    const authenticated = { query: MENU_ITEMS, token: tokenFor() };
    const anonymous = { query: MENU_ITEMS };
    const uncached: Target = { url: urlOf(server, 'full'), request: authenticated };
    const cached: Target = { url: urlOf(server, 'cached'), request: anonymous };
    const bare = (url: string, request: Target['request']): Target => ({ url, request });
    const answers = await Promise.all([uncached, cached, bare(urlOf(stock, 'bare'), anonymous), bare(urlOf(tuned, 'bare-tuned'), anonymous)].map(({ url, request }) => graphqlOnce(url, request)));
    if (new Set(answers.map((answer) => JSON.stringify(answer))).size !== 1) throw new Error('the full stack and the bare servers answer differently');

    const label = database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    const goals = GOALS[database.kind];
    const notes = database.note ? [database.note] : [];
    const results: BenchmarkResult[] = [];
    const row = async (id: string, a: Target, b: Target, name: string, target: number, ratioOf: string) => {
      await warmUp(a, b);
      const comparison = await compareThroughput(a, b);
      results.push({ id, name, ratio: comparison.ratio, target: { comparison: '>=', value: target }, ratioOf, context: { 'full stack req/s': round(comparison.medianA), 'bare req/s': round(comparison.medianB) }, notes });
    };
    const suffix = database.kind === 'postgres' ? '' : '-pglite';
    const uncachedOf = 'req/s of the full stack (token, response cache off) / req/s of bare Apollo + Express';
    const cachedOf = 'req/s of the full stack (anonymous, response cache on) / req/s of bare Apollo + Express';
    await row(`2${suffix}`, uncached, bare(urlOf(stock, 'bare'), authenticated), `uncached authenticated read (${label}) vs stock bare Apollo, ${MENU_SIZE} items`, goals.uncachedStock, uncachedOf);
    await row(`2t${suffix}`, uncached, bare(urlOf(tuned, 'bare-tuned'), authenticated), `uncached authenticated read (${label}) vs tuned bare Apollo (cache-control off)`, goals.uncachedTuned, uncachedOf);
    await row(`2c${suffix}`, cached, bare(urlOf(stock, 'bare'), anonymous), `repeated public read, response cache (${label}) vs stock bare Apollo`, GOALS.cachedStock, cachedOf);
    await row(`2ct${suffix}`, cached, bare(urlOf(tuned, 'bare-tuned'), anonymous), `repeated public read, response cache (${label}) vs tuned bare Apollo`, GOALS.cachedTuned, cachedOf);
    return results;
  } finally {
    await Promise.all([server.stop(), stock.stop(), tuned.stop()]);
  }
}

export const fullStackBenchmark: Benchmark = {
  name: 'full-stack',
  description: `Target 2: the full stack on PostgreSQL and on PGlite versus stock and tuned bare Apollo + Express serving ${MENU_SIZE} items from memory`,
  // BENCH_DATABASES=postgres (or pglite) measures one side only, for a quick before/after of one lever.
  run: async () => [
    ...(onlyDatabase === undefined || onlyDatabase === 'postgres' ? await withBenchDatabase(measure) : []),
    ...(onlyDatabase === undefined || onlyDatabase === 'pglite' ? await withBenchDatabase(measure, {}, 'pglite') : []),
  ],
};
