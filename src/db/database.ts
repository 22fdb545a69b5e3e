/**
 * The data layer's entry point: opens PostgreSQL or an embedded PGlite database (in a worker
 * thread), both through `pg`, and hands out one Prisma client plus a raw SQL runner for
 * migrations, probes and list pages.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { coalescedReads, type ReadConnection, type SharedRead } from './coalesced-reads.js';
import { lockDataDirectory } from './directory-lock.js';
import type { PgliteWorkerData, PgliteWorkerMessage } from './pglite-worker.js';

export type { PrismaClient } from '../generated/prisma/client.js';

/** A connection for statements Prisma does not model (migrations, locks, probes), and list pages. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** A read-only statement that identical reads share while it is unsent (coalesced-reads.ts): its rows may be another caller's too, and are never to be changed. */
  read: SharedRead;
  /** Runs several statements separated by semicolons (no parameters). */
  exec(text: string): Promise<void>;
}

export interface Database {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  sql: SqlSession;
  /** Runs `work` on one dedicated session while holding a database-wide lock (a no-op lock on PGlite, which one process owns). */
  /** The PostgreSQL pool's connections in use and queries waiting for one; absent for PGlite, whose single connection is no pool to watch. */
  poolStats?: () => { inUse: number; waiting: number };
  withExclusiveSession<T>(lockKey: number, work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface OpenDatabaseOptions {
  url: string;
  poolSize?: number;
  /** Where a relative pglite: directory is resolved; the project root by default. */
  baseDirectory?: string;
  /** Called with each statement's SQL as the driver sends it (to count statements). */
  onQuery?: (sql: string) => void;
}

export async function openDatabase({ url, poolSize = 10, baseDirectory = process.cwd(), onQuery }: OpenDatabaseOptions): Promise<Database> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, poolSize, onQuery);
  if (url === 'memory:' || url === 'pglite:memory:') return openPglite(undefined, onQuery);
  if (url.startsWith('pglite:')) return openPglite(path.resolve(baseDirectory, url.slice('pglite:'.length)), onQuery);
  throw new Error(`Unsupported DATABASE_URL: ${url.split(':')[0]}:…`);
}

/** The SQL text of a pg `query` call, whichever of its signatures was used. */
function sqlOf(statement: unknown): string {
  if (typeof statement === 'string') return statement;
  return typeof (statement as { text?: unknown } | null)?.text === 'string' ? (statement as { text: string }).text : '';
}

/** Every statement, pooled or inside a transaction, goes through some client's query(). */
function countStatements(pool: pg.Pool, onQuery: (sql: string) => void): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      onQuery(sqlOf(args[0]));
      return query(...args);
    }) as typeof client.query;
  });
}

/**
 * Where a shared read takes its connection: a pool's reads wait for a free one (and are joined
 * until they have it); a session's reads run on its own client.
 */
function readConnections(client: pg.Pool | pg.PoolClient): () => Promise<ReadConnection> {
  const on = (taken: pg.PoolClient, release: () => void): ReadConnection => ({
    query: async <Row>(text: string, params: unknown[]) => (await taken.query(text, params)).rows as Row[],
    release,
  });
  if (client instanceof pg.Pool) {
    return async () => {
      const taken = await client.connect();
      return on(taken, () => taken.release());
    };
  }
  return async () => on(client, () => {});
}

function sessionOf(client: pg.Pool | pg.PoolClient): SqlSession {
  const query = async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[];
  return {
    query,
    read: coalescedReads(readConnections(client)),
    exec: async (text) => {
      await client.query(text);
    },
  };
}

async function openPostgres(url: string, poolSize: number, onQuery: OpenDatabaseOptions['onQuery']): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  if (onQuery) countStatements(pool, onQuery);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    const { hostname, port, pathname } = new URL(url);
    const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
    throw new DatabaseUnavailableError(
      `Cannot reach PostgreSQL at ${hostname}:${port || 5432}${pathname} (${reason})`,
    );
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    sql: sessionOf(pool),
    // PrismaPg queries through this same pool, so its counts cover Prisma and raw SQL alike.
    poolStats: () => ({ inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
    async withExclusiveSession(lockKey, work) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [lockKey]);
        try {
          return await work(sessionOf(client));
        } finally {
          await client.query('select pg_advisory_unlock($1)', [lockKey]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * The embedded database runs in a worker thread (`pglite-worker.ts`) and is reached like
 * PostgreSQL, through `pg` on a private Unix socket: its own work (Postgres in WebAssembly) then
 * no longer holds up the requests the main thread is serving.
 */
export function startPgliteWorker(workerData: PgliteWorkerData): Worker {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData });
  // Run from the sources (npm start, the tests): the worker's thread needs tsx's loader as well.
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(path.join(path.dirname(tsxPackage), exports['./esm/api']!.import.default)).href;
  const entry = pathToFileURL(path.join(path.dirname(here), 'pglite-worker.ts')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

function nextMessage(worker: Worker): Promise<PgliteWorkerMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the PGlite worker exited (code ${code})`));
    worker.once('error', reject).once('exit', onExit);
    worker.once('message', (message: PgliteWorkerMessage) => {
      worker.off('error', reject).off('exit', onExit);
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
  });
}

async function openPglite(dataDirectory: string | undefined, onQuery: OpenDatabaseOptions['onQuery']): Promise<Database> {
  let unlock = () => {};
  if (dataDirectory) {
    mkdirSync(dataDirectory, { recursive: true });
    unlock = lockDataDirectory(dataDirectory);
  }
  const socketDirectory = mkdtempSync(path.join(os.tmpdir(), 'pglite-'));
  const release = () => {
    rmSync(socketDirectory, { recursive: true, force: true });
    unlock();
  };
  const worker = startPgliteWorker({ dataDirectory, socketPath: path.join(socketDirectory, '.s.PGSQL.5432') });
  try {
    await nextMessage(worker);
  } catch (error) {
    await worker.terminate();
    release();
    throw error;
  }
  // One connection: PGlite is one Postgres session. Requests queue for it as they queued for PGlite's own lock.
  const pool = new pg.Pool({ host: socketDirectory, port: 5432, user: 'postgres', database: 'postgres', max: 1 });
  pool.on('error', () => {});
  if (onQuery) countStatements(pool, onQuery);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const session = sessionOf(pool);
  return {
    kind: 'pglite',
    prisma,
    sql: session,
    // One process owns the directory (the lock file), so there is nobody to lock out.
    withExclusiveSession: (_lockKey, work) => work(session),
    async close() {
      await prisma.$disconnect();
      await pool.end();
      // PGlite flushes a file-backed database as it closes, before the thread ends.
      const closed = nextMessage(worker);
      worker.postMessage({ close: true });
      await closed.catch(() => {});
      await worker.terminate();
      release();
    },
  };
}
