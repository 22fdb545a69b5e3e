/**
 * The configuration the benchmark servers run with, and tokens minted for the fixtures' users
 * with the same keys (a fresh random secret per run).
 */
import { randomBytes } from 'node:crypto';
import { LocalTokens } from '../../src/auth/access-tokens.js';
import { loadTokenKeys } from '../../src/auth/token-keys.js';
import { ROLES } from '../../src/kernel/permissions.js';
import { loadConfig } from '../../src/config.js';
import { ADMIN_USER_ID, benchUsers } from './fixtures.js';

const JWT_SECRET = randomBytes(32).toString('hex');

/** BENCH_SERVER_ENV: JSON of extra app settings for every benchmark server, e.g. {"PASSWORD_HASH_CONCURRENCY":"2"} to measure another configuration. */
const SERVER_ENV_OVERRIDES = JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}') as Record<string, string>;

/**
 * NODE_ENV=test in the app's configuration, so the benchmark-only baseline is allowed; the
 * server processes themselves run with NODE_ENV=production so libraries take their production paths.
 */
export function benchEnvironment(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    SEED_DEMO_DATA: 'false',
    // Every benchmark measures executed operations, as before the response cache; the `cached` variant turns it on.
    RESPONSE_CACHE: 'off',
    // Tokens are minted when a benchmark module loads; a whole run lasts longer than the default 15 minutes.
    ACCESS_TOKEN_TTL: '6h',
    ...extra,
    ...SERVER_ENV_OVERRIDES,
  };
}

function localTokens(): LocalTokens {
  const config = loadConfig(benchEnvironment('memory:'));
  return new LocalTokens(loadTokenKeys(config.tokens), config.tokens);
}

/** An access token for a fixture user, with the permissions of their roles. */
export function tokenFor(userId = ADMIN_USER_ID): string {
  const user = benchUsers().find((candidate) => candidate.id === userId);
  if (!user) throw new Error(`no fixture user ${userId}`);
  const permissions = [...new Set(user.roles.flatMap((role) => ROLES[role].permissions))].sort();
  return localTokens().issueAccessToken(user.id, permissions);
}

/** The token verifier the servers use, for the micro-benchmark. */
export { localTokens };
