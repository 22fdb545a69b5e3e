/** The steps the HTTP benchmarks share: a prepared database, servers, warm-up, and A/B throughput rounds. */
import { PasswordHasher } from '../../src/auth/passwords.js';
import { openDatabase } from '../../src/db/database.js';
import { createBenchDatabase, type BenchDatabase } from './database.js';
import { benchEnvironment } from './environment.js';
import { LOGIN_PASSWORD, MENU_SIZE, prepareBenchDatabase } from './fixtures.js';
import { load, type GraphQLRequest } from './load.js';
import { CONNECTIONS, THROUGHPUT_ROUNDS, THROUGHPUT_SECONDS, WARMUP_SECONDS } from './settings.js';
import { alternate, median, medianBlockRatio } from './stats.js';

let passwordHash: Promise<string> | undefined;
/** One real Argon2id hash of LOGIN_PASSWORD per run, shared by every login user. */
export const fixturePasswordHash = () => (passwordHash ??= hashOnce(LOGIN_PASSWORD));

async function hashOnce(password: string): Promise<string> {
  const hasher = new PasswordHasher({ concurrency: 1 });
  try {
    return await hasher.hash(password);
  } finally {
    await hasher.close();
  }
}

export interface Prepared {
  database: BenchDatabase;
  /** The app configuration for servers on this database. */
  env: Record<string, string>;
  /** For AppServerOptions: PGlite servers insert the fixtures themselves. */
  prepareWithPasswordHash: string | undefined;
  /** For AppServerOptions too: how many menu items the fixtures hold. */
  menuItemCount: number;
}

/** Runs `work` on a fresh database holding the fixtures (`menuItemCount` menu items), and drops it afterwards. */
export async function withBenchDatabase<T>(
  work: (prepared: Prepared) => Promise<T>,
  extraEnv: Record<string, string> = {},
  kind?: 'pglite',
  { menuItemCount = MENU_SIZE }: { menuItemCount?: number } = {},
): Promise<T> {
  const database = await createBenchDatabase({ kind });
  const hash = await fixturePasswordHash();
  try {
    if (database.kind === 'postgres') {
      const db = await openDatabase({ url: database.url, poolSize: 2 });
      try {
        await prepareBenchDatabase(db, hash, menuItemCount);
      } finally {
        await db.close();
      }
    }
    return await work({
      database,
      env: benchEnvironment(database.url, extraEnv),
      prepareWithPasswordHash: database.kind === 'pglite' ? hash : undefined,
      menuItemCount,
    });
  } finally {
    await database.drop();
  }
}

export interface Target {
  url: string;
  request: GraphQLRequest;
}

export async function warmUp(...targets: Target[]): Promise<void> {
  for (const { url, request } of targets) await load({ url, request, seconds: WARMUP_SECONDS, connections: CONNECTIONS });
}

export interface ThroughputComparison {
  /** Requests per second, A / B: the median over A B B A blocks (see medianBlockRatio). */
  ratio: number;
  medianA: number;
  medianB: number;
}

/** Requests per second of A over B: closed-loop load, rounds alternating A B, B A…, ratio per A B B A block. */
export async function compareThroughput(a: Target, b: Target): Promise<ThroughputComparison> {
  const measure = ({ url, request }: Target) => async () =>
    (await load({ url, request, seconds: THROUGHPUT_SECONDS, connections: CONNECTIONS })).requestsPerSecond;
  const rounds = await alternate(THROUGHPUT_ROUNDS, measure(a), measure(b));
  console.log(`    req/s by round (A/B): ${rounds.a.map((rps, index) => `${Math.round(rps)}/${Math.round(rounds.b[index]!)}`).join('  ')}`);
  return { ratio: medianBlockRatio(rounds.a, rounds.b), medianA: median(rounds.a), medianB: median(rounds.b) };
}

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));
