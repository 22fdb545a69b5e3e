/**
 * Target 4: password hashing must not starve request work. The p99 latency of authenticated
 * reads at a steady rate while 20 clients log in back to back (Argon2id in the server's
 * password-hashing process, at the lowest CPU priority), against the p99 of the same reads with no
 * login running; alternating rounds, on PostgreSQL.
 * The ratio is the median of the per-round ratios, as for every target; the p99s of all rounds'
 * samples pooled (7,000 per side) are printed beside it, since a round's own p99 rests on its 10
 * slowest answers and one stall of the machine moves it.
 * The logins come from a separate process, so the one timing the reads does nothing else.
 */
import { ADMIN_USER_ID, LOGIN_PASSWORD, loginUsers } from './lib/fixtures.js';
import { tokenFor } from './lib/environment.js';
import { round, warmUp, withBenchDatabase } from './lib/harness.js';
import { backgroundLoadProcess } from './lib/background-process.js';
import { graphqlOnce, pacedLoad, type LoadResult } from './lib/load.js';
import { LOGIN, MENU_ITEMS } from './lib/queries.js';
import type { Benchmark } from './lib/result.js';
import { startServerProcess, urlOf } from './lib/server-process.js';
import { LATENCY_ROUNDS, LATENCY_SECONDS } from './lib/settings.js';
import { alternate, median, medianRatio, percentile } from './lib/stats.js';

/** Reads per second, evenly spaced: about a quarter of the server's capacity, so p99 shows interference rather than queueing. */
const READ_RATE = 200;
const CONCURRENT_LOGINS = 20;
/** Logins get this long to fill the hashing queue before the reads are measured. */
const LOGIN_RAMP_MS = 500;
/** Login limits far above what the benchmark sends, so that every attempt really hashes. */
const UNTHROTTLED = { RATE_LIMIT_LOGIN_ACCOUNT_IP: '1000000/1m', RATE_LIMIT_LOGIN_ACCOUNT: '1000000/1m', RATE_LIMIT_LOGIN_IP: '1000000/1m' };

export const loginContentionBenchmark: Benchmark = {
  name: 'login-contention',
  description: `Target 4: p99 of authenticated reads while ${CONCURRENT_LOGINS} logins run concurrently, versus idle`,
  run: () =>
    withBenchDatabase(async ({ database, env, prepareWithPasswordHash }) => {
      const server = await startServerProcess({ env, variants: ['full'], prepareWithPasswordHash });
      try {
        const url = urlOf(server, 'full');
        const read = { url, request: { query: MENU_ITEMS, token: tokenFor(ADMIN_USER_ID) } };
        const logins = loginUsers()
          .slice(0, CONCURRENT_LOGINS)
          .map((user) => ({ query: LOGIN, variables: { input: { email: user.email, password: LOGIN_PASSWORD } } }));
        await graphqlOnce(url, logins[0]!);
        await warmUp(read);

        const measureReads = () => pacedLoad({ ...read, seconds: LATENCY_SECONDS, rate: READ_RATE });
        let loginsCompleted = 0;
        const duringLogins = async (): Promise<LoadResult> => {
          const background = await backgroundLoadProcess(url, logins);
          await new Promise((resolve) => setTimeout(resolve, LOGIN_RAMP_MS));
          const result = await measureReads();
          const { completed, failed } = await background.stop();
          if (failed > 0) throw new Error(`${failed} of ${completed} logins failed (throttled?): the contention would not be real`);
          loginsCompleted += completed;
          return result;
        };
        const rounds = await alternate(LATENCY_ROUNDS, duringLogins, measureReads);
        const p99 = (results: LoadResult[]) => results.map((result) => result.p99);
        const pooledP99 = (results: LoadResult[]) => percentile(results.flatMap((result) => result.samples!), 99);
        console.log(`    p99 ms by round (logins/idle): ${rounds.a.map((result, index) => `${round(result.p99, 1)}/${round(rounds.b[index]!.p99, 1)}`).join('  ')}`);
        return [
          {
            id: '4',
            name: `p99 of reads during ${CONCURRENT_LOGINS} concurrent logins vs idle`,
            ratio: medianRatio(p99(rounds.a), p99(rounds.b)),
            target: { comparison: '<=', value: 2 },
            ratioOf: 'p99 ms with logins running / p99 ms idle',
            context: {
              'p99 with logins ms': round(median(p99(rounds.a)), 2),
              'p99 idle ms': round(median(p99(rounds.b)), 2),
              'pooled p99 with logins / idle ms': `${round(pooledP99(rounds.a), 1)} / ${round(pooledP99(rounds.b), 1)}`,
              'p50 with logins ms': round(median(rounds.a.map((result) => result.p50)), 2),
              'p50 idle ms': round(median(rounds.b.map((result) => result.p50)), 2),
              'reads/s': READ_RATE,
              'logins/s': round(loginsCompleted / (LATENCY_ROUNDS * (LATENCY_SECONDS + LOGIN_RAMP_MS / 1000)), 1),
            },
            notes: database.note ? [database.note] : [],
          },
        ];
      } finally {
        await server.stop();
      }
    }, UNTHROTTLED),
};
