/**
 * The data layer's entry point: opens PostgreSQL (through `pg`) or an embedded PGlite
 * database, and hands out one Prisma client plus a raw SQL runner for migrations and probes.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDirectory } from './directory-lock.js';

export type { PrismaClient } from '../generated/prisma/client.js';

/** A connection for statements Prisma does not model: migrations, locks, probes. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs several statements separated by semicolons (no parameters). */
  exec(text: string): Promise<void>;
}

export interface Database {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  sql: SqlSession;
  /** Runs `work` on one dedicated session while holding a database-wide lock (a no-op lock on PGlite, which one process owns). */
  /** The PostgreSQL pool's connections in use and queries waiting for one; absent for PGlite, which has no pool. */
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

async function openPostgres(url: string, poolSize: number, onQuery: OpenDatabaseOptions['onQuery']): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  if (onQuery) {
    // Every statement, pooled or inside a transaction, goes through some client's query().
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) => {
        onQuery(sqlOf(args[0]));
        return query(...args);
      }) as typeof client.query;
    });
  }
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
  const session = (client: pg.Pool | pg.PoolClient): SqlSession => ({
    query: async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[],
    exec: async (text) => {
      await client.query(text);
    },
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    sql: session(pool),
    // PrismaPg queries through this same pool, so its counts cover Prisma and raw SQL alike.
    poolStats: () => ({ inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
    async withExclusiveSession(lockKey, work) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [lockKey]);
        try {
          return await work(session(client));
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

async function openPglite(dataDirectory: string | undefined, onQuery: OpenDatabaseOptions['onQuery']): Promise<Database> {
  let unlock = () => {};
  if (dataDirectory) {
    mkdirSync(dataDirectory, { recursive: true });
    unlock = lockDataDirectory(dataDirectory);
  }
  const pglite = dataDirectory ? new PGlite(dataDirectory) : new PGlite();
  try {
    await pglite.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  if (onQuery) countStatements(pglite, onQuery);
  const session: SqlSession = {
    query: async <Row>(text: string, params?: unknown[]) => (await pglite.query<Row>(text, params)).rows,
    exec: async (text) => {
      await pglite.exec(text);
    },
  };
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: 'pglite',
    prisma,
    sql: session,
    withExclusiveSession: (_lockKey, work) => work(session),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

/** Reports every statement sent through PGlite's query/exec, including those inside transactions. */
function countStatements(pglite: PGlite, onQuery: (sql: string) => void): void {
  const watch = <Target extends Pick<PGlite, 'query' | 'exec'>>(target: Target): Target => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    target.query = ((sql: string, ...rest: unknown[]) => {
      onQuery(sql);
      return (query as (...args: unknown[]) => unknown)(sql, ...rest);
    }) as Target['query'];
    target.exec = ((sql: string, ...rest: unknown[]) => {
      onQuery(sql);
      return (exec as (...args: unknown[]) => unknown)(sql, ...rest);
    }) as Target['exec'];
    return target;
  };
  watch(pglite);
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = ((work: (tx: Transaction) => Promise<unknown>) => transaction((tx) => work(watch(tx)))) as PGlite['transaction'];
}
