/**
 * Packages that only some configurations use — Redis (shared throttling, cache, pub/sub) and an
 * external issuer's JWKS client — loaded when first needed rather than by every start-up, which
 * imported them for nothing otherwise (BENCHMARKS.md, start-up).
 */
import { createRequire } from 'node:module';
import type * as Ioredis from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';
import type JwksRsa from 'jwks-rsa';

const require = createRequire(import.meta.url);

/** What every Redis connection here shares: one retry per command, a short connect timeout, reconnects backing off to 5 s. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;
const REDIS_CONNECTION: RedisOptions = { maxRetriesPerRequest: 1, connectTimeout: REDIS_CONNECT_TIMEOUT_MS, retryStrategy: (attempt) => Math.min(attempt * 200, 5_000) };

/** A Redis connection with the shared settings, `options` on top. */
export function connectRedis(url: string, options: RedisOptions): Redis {
  const { Redis: RedisClient } = require('ioredis') as typeof Ioredis;
  return new RedisClient(url, { ...REDIS_CONNECTION, ...options });
}

export function jwksClient(options: JwksRsa.Options): JwksRsa.JwksClient {
  return (require('jwks-rsa') as typeof JwksRsa)(options);
}
