/**
 * The CLI's access to the data: opens the database the configuration names, brings it up to
 * date (migrations, permissions catalog) so a brand-new database works, and wires the services.
 * Its writes invalidate the shared response cache as the GraphQL mutations making the same change do.
 */
import { parse } from 'graphql';
import { pino } from 'pino';
import { LocalTokens } from '../auth/access-tokens.js';
import { PasswordHasher } from '../auth/passwords.js';
import { loadTokenKeys } from '../auth/token-keys.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { syncPermissionCatalog } from '../setup/seed.js';
import { RefreshTokenStore } from '../modules/session/refresh-tokens.js';
import { UsersService } from '../modules/users/users.service.js';
import { Planner } from '../authz/planner/planner.js';
import { Metrics } from '../observability/metrics.js';
import { ResponseCache } from '../server/response-cache.js';
import { buildSchema } from '../server/schema.js';
import { SESSION_REVOKED, SessionEvents } from '../modules/session/session.events.js';
import { createPubSub } from '../pubsub/index.js';

export interface CliServices {
  users: UsersService;
  passwords: PasswordHasher;
  /**
   * Drops the cached answers a GraphQL mutation selecting this would drop (`mutation { setUserDisabled { id } }`).
   * Only a cache in Redis is reached: an in-memory one lives in each server and ends its entries at their TTL.
   */
  invalidateAs(mutation: string): Promise<void>;
}

type Config = ReturnType<typeof loadConfig>;

/** The shared response cache, when there is one (RESPONSE_CACHE on, with a Redis). */
async function sharedResponseCache(config: Config): Promise<ResponseCache | undefined> {
  if (!config.responseCache.enabled || !config.responseCache.redisUrl) return undefined;
  const { schema, guards } = buildSchema();
  // Errors go to stderr: stdout is the command's answer.
  const logger = pino({ level: 'error' }, pino.destination(2));
  const cache = new ResponseCache(schema, new Planner(guards, { mode: config.unauthorizedMode }), {
    ...config.responseCache,
    logger,
    metrics: new Metrics({ operationNames: new Set() }),
  });
  try {
    await cache.ready();
    return cache;
  } catch (error) {
    await cache.close();
    console.error(`warning: ${(error as Error).message}; cached answers may show the old data for up to RESPONSE_CACHE_TTL_SECONDS`);
    return undefined;
  }
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
    await syncPermissionCatalog(db);
    // The refresh-token store, so that disabling a user revokes their sessions as the API does.
    const refreshTokens = new RefreshTokenStore(db.prisma, new LocalTokens(loadTokenKeys(config.tokens), config.tokens), config.tokens.refreshTokenTtlSeconds, config.tokens.refreshReuseIntervalSeconds, new SessionEvents(pubsub));
    const cache = await sharedResponseCache(config);
    const passwords = new PasswordHasher({ concurrency: config.passwordHashConcurrency, queueLimit: config.passwordHashQueueLimit });
    try {
      return await work({
        users: new UsersService(db.prisma, refreshTokens, config.graphqlLimits.maxPageSize),
        passwords,
        invalidateAs: async (mutation) => cache?.afterMutation(parse(mutation), undefined),
      });
    } finally {
      await Promise.all([cache?.close(), passwords.close()]);
    }
  } finally {
    await pubsub.close();
    await db.close();
  }
}
