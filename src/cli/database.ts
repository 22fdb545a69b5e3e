/**
 * The CLI's access to the data: opens the database the configuration names, brings it up to
 * date (migrations, permissions catalog) so a brand-new database works, and wires the services.
 */
import { LocalTokens } from '../auth/access-tokens.js';
import { PasswordHasher } from '../auth/passwords.js';
import { loadTokenKeys } from '../auth/token-keys.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { syncPermissionCatalog } from '../setup/seed.js';
import { RefreshTokenStore } from '../modules/session/refresh-tokens.js';
import { UsersService } from '../modules/users/users.service.js';
import { SESSION_REVOKED, SessionEvents } from '../modules/session/session.events.js';
import { createPubSub } from '../pubsub/index.js';

export interface CliServices {
  users: UsersService;
  passwords: PasswordHasher;
}

/** Runs `work` with the services on a migrated database, and closes it afterwards. */
export async function withServices<T>(work: (services: CliServices) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({ url: config.database.url, poolSize: 2 });
  // Revocations (disable-user) are announced to the running instances through Redis when REDIS_URL is set.
  const pubsub = createPubSub(config, { channels: [SESSION_REVOKED] });
  try {
    const applied = await migrate(db);
    if (applied.length > 0) console.error(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
    await syncPermissionCatalog(db.prisma);
    // The refresh-token store, so that disabling a user revokes their sessions as the API does.
    const refreshTokens = new RefreshTokenStore(db.prisma, new LocalTokens(loadTokenKeys(config.tokens), config.tokens), config.tokens.refreshTokenTtlSeconds, config.tokens.refreshReuseIntervalSeconds, new SessionEvents(pubsub));
    return await work({ users: new UsersService(db.prisma, refreshTokens, config.graphqlLimits.maxPageSize), passwords: new PasswordHasher(config.passwordHashConcurrency) });
  } finally {
    await pubsub.close();
    await db.close();
  }
}
