/** Wires the services together once per process; every request shares them. */
import { LocalTokens } from './auth/access-tokens.js';
import { Authenticator } from './auth/authenticator.js';
import { ExternalIssuers } from './auth/external-issuers.js';
import { PasswordHasher } from './auth/passwords.js';
import { LoginThrottle } from './auth/throttle.js';
import { loadTokenKeys, type TokenKeys } from './auth/token-keys.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';
import { BooksService } from './modules/books/books.service.js';
import { MenuService } from './modules/menu/menu.service.js';
import { RefreshTokenStore } from './modules/session/refresh-tokens.js';
import { SessionService } from './modules/session/session.service.js';
import { TasksService } from './modules/tasks/tasks.service.js';
import { UsersService } from './modules/users/users.service.js';

export function createServices(config: Config, db: Database, keys: TokenKeys = loadTokenKeys(config.tokens), logger?: Logger) {
  const tokens = new LocalTokens(keys, config.tokens);
  const passwords = new PasswordHasher(config.passwordHashConcurrency);
  const users = new UsersService(db.prisma);
  const refreshTokens = new RefreshTokenStore(db.prisma, tokens, config.tokens.refreshTokenTtlSeconds, config.tokens.refreshReuseIntervalSeconds);
  const throttle = new LoginThrottle(config.throttle, { redisUrl: config.redisUrl, logger });
  return {
    keys,
    tokens,
    passwords,
    authenticator: new Authenticator(tokens, new ExternalIssuers(config.externalIssuers, config.tokens.clockToleranceSeconds), users),
    users,
    menu: new MenuService(db.prisma),
    books: new BooksService(db.prisma),
    tasks: new TasksService(db.prisma),
    throttle,
    session: new SessionService(users, refreshTokens, tokens, passwords, throttle),
    /** Releases what the services hold outside the database (the Redis connection). */
    close: async () => throttle.close(),
  };
}

export type Services = ReturnType<typeof createServices>;
