/**
 * The CLI's access to the data: opens the database the configuration names, brings it up to
 * date (migrations, permissions catalog) so a brand-new database works, and wires the services.
 */
import { PasswordHasher } from '../auth/passwords.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { syncPermissionCatalog } from '../db/seed.js';
import { UsersService } from '../modules/users/users.service.js';

export interface CliServices {
  users: UsersService;
  passwords: PasswordHasher;
}

/** Runs `work` with the services on a migrated database, and closes it afterwards. */
export async function withServices<T>(work: (services: CliServices) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({ url: config.database.url, poolSize: 2 });
  try {
    const applied = await migrate(db);
    if (applied.length > 0) console.error(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
    await syncPermissionCatalog(db.prisma);
    return await work({ users: new UsersService(db.prisma), passwords: new PasswordHasher(config.passwordHashConcurrency) });
  } finally {
    await db.close();
  }
}
