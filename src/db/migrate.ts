/**
 * Applies prisma/migrations the way `prisma migrate deploy` does, without Prisma's native
 * engine: each pending migration.sql runs in its own transaction and is recorded in
 * `_prisma_migrations` exactly as Prisma records it, so `prisma migrate status` agrees.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database, SqlSession } from './database.js';

export const MIGRATIONS_DIRECTORY = path.resolve(import.meta.dirname, '../../prisma/migrations');

/** Key of the PostgreSQL advisory lock that serialises concurrent start-ups. */
export const STARTUP_LOCK_KEY = 72_707_369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export function readMigrationFiles(directory = MIGRATIONS_DIRECTORY): MigrationFile[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(directory, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(directory, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Checks the recorded history against the files and returns the migrations still to apply. */
export function planMigrations(files: MigrationFile[], applied: AppliedMigration[]): MigrationFile[] {
  const byName = new Map(files.map((file) => [file.name, file]));
  const done = new Set<string>();
  for (const row of applied) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `Migration ${row.migration_name} failed earlier and is recorded as unfinished; resolve it before starting`,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) throw new MigrationError(`Applied migration ${row.migration_name} is missing from prisma/migrations`);
    if (file.checksum !== row.checksum) {
      throw new MigrationError(`Migration ${row.migration_name} was edited after it was applied (checksum mismatch)`);
    }
    done.add(row.migration_name);
  }
  return files.filter((file) => !done.has(file.name));
}

async function appliedMigrations(session: SqlSession): Promise<AppliedMigration[]> {
  return session.query<AppliedMigration>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  );
}

async function applyOne(session: SqlSession, migration: MigrationFile): Promise<void> {
  await session.exec('BEGIN');
  try {
    await session.exec(migration.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`);
  }
}

/** Applies every pending migration on a session that already holds STARTUP_LOCK_KEY. Returns the names applied. */
export async function applyMigrations(session: SqlSession, directory = MIGRATIONS_DIRECTORY): Promise<string[]> {
  const files = readMigrationFiles(directory);
  await session.exec(CREATE_MIGRATIONS_TABLE);
  const pending = planMigrations(files, await appliedMigrations(session));
  for (const migration of pending) await applyOne(session, migration);
  return pending.map((migration) => migration.name);
}

/** Applies every pending migration; safe to call from several processes at once. Returns the names applied. */
export function migrate(db: Database, directory = MIGRATIONS_DIRECTORY): Promise<string[]> {
  return db.withExclusiveSession(STARTUP_LOCK_KEY, (session) => applyMigrations(session, directory));
}

/**
 * True when every one of `files` is recorded as applied (readiness). The server reads its files
 * once, at start-up (they are part of the build); the database is asked on every call.
 */
export async function migrationsAreApplied(db: Database, files: MigrationFile[] = readMigrationFiles()): Promise<boolean> {
  try {
    return planMigrations(files, await appliedMigrations(db.sql)).length === 0;
  } catch {
    return false;
  }
}
