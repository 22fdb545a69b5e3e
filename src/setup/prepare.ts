/**
 * Brings a database to what the server needs: migrations, the permissions catalog, and demo
 * data when asked and empty. One advisory lock covers all three, so several instances starting
 * together take turns and each step happens once.
 */
import type { PasswordHasher } from '../auth/passwords.js';
import type { Database } from '../db/database.js';
import { applyMigrations, STARTUP_LOCK_KEY } from '../db/migrate.js';
import { seedDemoData, syncPermissionCatalog, type DemoPasswords } from './seed.js';

export interface PrepareOptions {
  demoData?: { hasher: PasswordHasher; passwords: DemoPasswords };
}

export function prepareDatabase(db: Database, { demoData }: PrepareOptions = {}) {
  return db.withExclusiveSession(STARTUP_LOCK_KEY, async (session) => {
    const applied = await applyMigrations(session);
    await syncPermissionCatalog(db);
    const seeded = demoData ? await seedDemoData(db, demoData.hasher, demoData.passwords) : false;
    return { applied, seeded };
  });
}
