/**
 * A fresh, migrated database per test file: in-memory PGlite by default, or a new database
 * on the PostgreSQL server of TEST_DATABASE_URL (dropped again on close).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { syncPermissionCatalog } from '../../src/setup/seed.js';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** A new empty database's URL (PostgreSQL) or `memory:` (PGlite), plus how to drop it. */
export async function createEmptyDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return { url: 'memory:', drop: async () => {} };
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** `onQuery` sees every SQL statement the database is sent (for statement-counting tests). */
export async function createTestDatabase({ onQuery }: { onQuery?: (sql: string) => void } = {}): Promise<Database> {
  const { url, drop } = await createEmptyDatabaseUrl();
  const db = await openDatabase({ url, poolSize: 5, onQuery });
  await migrate(db);
  await syncPermissionCatalog(db);
  const close = db.close.bind(db);
  return {
    ...db,
    async close() {
      await close();
      await drop();
    },
  };
}
