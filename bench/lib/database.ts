/**
 * A fresh PostgreSQL database for one benchmark (created on BENCH_DATABASE_URL's server,
 * 127.0.0.1:5432 by default, and dropped afterwards), or in-memory PGlite when no server answers.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  /** postgresql://… of the new database, or `memory:` on the PGlite fallback. */
  url: string;
  kind: 'postgres' | 'pglite';
  /** Set when the benchmark fell back to PGlite, saying why. */
  note?: string;
  drop(): Promise<void>;
}

let unreachable: string | undefined;

/** `pglite`: the embedded database whatever answers (`npm start`'s default), for side-by-side rows. */
export async function createBenchDatabase({ kind }: { kind?: 'pglite' } = {}): Promise<BenchDatabase> {
  if (kind === 'pglite') return { url: 'memory:', kind: 'pglite', drop: async () => {} };
  if (!unreachable) {
    const name = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 3_000 });
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(POSTGRES_SERVER_URL);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        kind: 'postgres',
        async drop() {
          const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL });
          await client.connect();
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          await client.end();
        },
      };
    } catch (error) {
      const { host } = new URL(POSTGRES_SERVER_URL);
      unreachable = `PostgreSQL at ${host} unreachable (${(error as { code?: string }).code ?? (error as Error).message}): ran on in-process PGlite instead, which shares the server's event loop`;
    } finally {
      await admin.end().catch(() => {});
    }
  }
  return { url: 'memory:', kind: 'pglite', note: unreachable, drop: async () => {} };
}
