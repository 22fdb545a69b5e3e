/** Wires the services together once per process; every request shares them. */
import { LocalTokens } from '../auth/access-tokens.js';
import { Authenticator } from '../auth/authenticator.js';
import { ExternalIssuers } from '../auth/external-issuers.js';
import { PasswordHasher } from '../auth/passwords.js';
import { LoginThrottle } from '../auth/throttle.js';
import { loadTokenKeys, type TokenKeys } from '../auth/token-keys.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { BooksService } from '../modules/books/books.service.js';
import { MenuService } from '../modules/menu/menu.service.js';
import { RefreshTokenStore } from '../modules/session/refresh-tokens.js';
import { SessionService } from '../modules/session/session.service.js';
import { TasksService } from '../modules/tasks/tasks.service.js';
import { ExternalUsers } from '../modules/users/external-users.js';
import { UsersService } from '../modules/users/users.service.js';
import { createGeneratedServices } from './modules.js';
import { createPubSub } from '../pubsub/index.js';
import { BOOK_ADDED, BookEvents } from '../modules/books/books.events.js';
import { MENU_ITEM_CHANGED, MenuEvents } from '../modules/menu/menu.events.js';
import { SESSION_REVOKED, SessionEvents } from '../modules/session/session.events.js';
import { TASK_CHANGED, TaskEvents } from '../modules/tasks/tasks.events.js';

/** Every channel a domain publishes on: the Redis engine listens on them from the start. */
export const EVENT_CHANNELS = [MENU_ITEM_CHANGED, TASK_CHANGED, BOOK_ADDED, SESSION_REVOKED] as const;

export function createServices(config: Config, db: Database, keys: TokenKeys = loadTokenKeys(config.tokens), logger?: Logger) {
  const tokens = new LocalTokens(keys, config.tokens);
  const passwords = new PasswordHasher({ concurrency: config.passwordHashConcurrency, queueLimit: config.passwordHashQueueLimit });
  const pubsub = createPubSub(config, { channels: EVENT_CHANNELS, logger });
  const events = { menu: new MenuEvents(pubsub), tasks: new TaskEvents(pubsub), books: new BookEvents(pubsub), session: new SessionEvents(pubsub) };
  const refreshTokens = new RefreshTokenStore(db.prisma, tokens, config.tokens.refreshTokenTtlSeconds, config.tokens.refreshReuseIntervalSeconds, events.session);
  const users = new UsersService(db.prisma, refreshTokens, config.graphqlLimits.maxPageSize);
  const externalIssuers = new ExternalIssuers(config.externalIssuers, config.tokens.clockToleranceSeconds, { maxAgeSeconds: config.externalIssuerCache.jwksMaxAgeSeconds });
  const throttle = new LoginThrottle(config.throttle, { redisUrl: config.redisUrl, logger });
  return {
    keys,
    tokens,
    passwords,
    authenticator: new Authenticator(tokens, externalIssuers, new ExternalUsers(db.prisma, config.externalIssuerCache.identityTtlSeconds)),
    users,
    menu: new MenuService(db.prisma, db.sql, config.graphqlLimits.maxPageSize, events.menu),
    books: new BooksService(db.prisma, db.sql, config.graphqlLimits.maxPageSize, events.books),
    tasks: new TasksService(db.prisma, db.sql, config.graphqlLimits.maxPageSize, events.tasks),
    refreshTokens,
    /** What the domains publish, and the engine under them (Redis when REDIS_URL is set). */
    pubsub,
    events,
    throttle,
    session: new SessionService(users, refreshTokens, tokens, passwords, throttle),
    ...createGeneratedServices(db.prisma, { maxPageSize: config.graphqlLimits.maxPageSize }),
    /** Releases what the services hold outside the database (the Redis connections, the password-hashing process). */
    close: async () => {
      await Promise.all([throttle.close(), pubsub.close(), passwords.close()]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
