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

export function connectRedis(url: string, options: RedisOptions): Redis {
  const { Redis: RedisClient } = require('ioredis') as typeof Ioredis;
  return new RedisClient(url, options);
}

export function jwksClient(options: JwksRsa.Options): JwksRsa.JwksClient {
  return (require('jwks-rsa') as typeof JwksRsa)(options);
}
