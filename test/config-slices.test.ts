/**
 * The configuration slices (src/config/): .env.example is exactly what they parse, each shown
 * default is the real default, and every slice names its variable when a value is wrong.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SLICES, ConfigError, loadConfig } from '../src/config.js';
import { renderEnvExample } from '../src/config/env-example.js';

const variables = CONFIG_SLICES.flatMap((slice) => Object.entries(slice.variables));

describe('configuration slices', () => {
  it('.env.example lists every variable the slices parse, and nothing else (npm run codegen writes it)', () => {
    const file = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    expect(file).toBe(renderEnvExample(CONFIG_SLICES));
    const listed = [...file.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(listed.sort()).toEqual(variables.map(([name]) => name).sort());
  });

  it('no variable belongs to two slices', () => {
    const names = variables.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(variables.filter(([, variable]) => variable.shown !== undefined))('%s: the value .env.example shows is its default', (name, variable) => {
    expect(loadConfig({ NODE_ENV: 'test', [name]: variable.shown })).toEqual(loadConfig({ NODE_ENV: 'test' }));
  });

  // One wrong value per slice, and the line it stops start-up with.
  const wrongValues: [string, Record<string, string>, RegExp][] = [
    ['runtime', { LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
    ['http', { TRUST_PROXY: 'somewhere' }, /^Invalid configuration: TRUST_PROXY expected true, false, a hop count/],
    ['metrics', { METRICS_PORT: '70000' }, /^Invalid configuration: METRICS_PORT /],
    ['metrics × http', { METRICS_PORT: '4000', PORT: '4000' }, /^Invalid configuration: METRICS_PORT must differ from PORT$/],
    ['database', { DATABASE_URL: 'mysql://localhost/db' }, /^Invalid configuration: DATABASE_URL expected postgres/],
    ['redis', { REDIS_URL: 'not a url' }, /^Invalid configuration: REDIS_URL /],
    ['tokens', { REFRESH_REUSE_INTERVAL: 'soon' }, /^Invalid configuration: REFRESH_REUSE_INTERVAL expected a duration/],
    ['tokens (cross-check)', { JWT_ALGORITHM: 'RS256' }, /^Invalid configuration: JWT_PRIVATE_KEY \(PEM\) is required when JWT_ALGORITHM is RS256$/],
    ['external issuers', { AUTH0_DOMAIN: 'tenant.auth0.com' }, /^Invalid configuration: AUTH0_DOMAIN and AUTH0_AUDIENCE must be set together$/],
    ['external issuers × tokens', { AUTH0_DOMAIN: 'tenant.auth0.com', AUTH0_AUDIENCE: 'api', JWT_ISSUER: 'https://tenant.auth0.com/' }, /^Invalid configuration: JWT_ISSUER must differ from every external issuer$/],
    ['seed', { SEED_ADMIN_PASSWORD: 'short' }, /^Invalid configuration: SEED_ADMIN_PASSWORD /],
    ['password hashing', { PASSWORD_HASH_QUEUE_LIMIT: 'many' }, /^Invalid configuration: PASSWORD_HASH_QUEUE_LIMIT /],
    ['execution', { GRAPHQL_EXECUTOR: 'fast' }, /^Invalid configuration: GRAPHQL_EXECUTOR /],
    ['response cache', { RESPONSE_CACHE_TTL_SECONDS: '0' }, /^Invalid configuration: RESPONSE_CACHE_TTL_SECONDS /],
    ['operation limits', { GRAPHQL_MAX_DEPTH_ANONYMOUS: 'deep' }, /^Invalid configuration: GRAPHQL_MAX_DEPTH_ANONYMOUS /],
    ['trusted documents', { TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: 'read:everything' }, /^Invalid configuration: TRUSTED_DOCUMENTS_ALLOW_ARBITRARY names an unknown permission "read:everything"/],
    ['throttle', { RATE_LIMIT_LOGIN_IP: '5 per minute' }, /^Invalid configuration: RATE_LIMIT_LOGIN_IP expected attempts\/window/],
    ['explorer', { EXPLORER: 'maybe' }, /^Invalid configuration: EXPLORER /],
    ['federation', { SUBGRAPH: 'yes' }, /^Invalid configuration: SUBGRAPH /],
    ['federation × trusted documents', { SUBGRAPH: 'on', TRUSTED_DOCUMENTS: 'enforce' }, /^Invalid configuration: SUBGRAPH=on cannot enforce trusted documents/],
    ['response cache (its own Redis)', { RESPONSE_CACHE_REDIS_URL: 'redis' }, /^Invalid configuration: RESPONSE_CACHE_REDIS_URL /],
  ];

  it.each(wrongValues)('%s: a wrong value stops start-up with one line naming it', (_slice, env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(message);
  });

  it("takes the response cache's Redis from REDIS_URL unless it has one of its own", () => {
    expect(loadConfig({ NODE_ENV: 'test', REDIS_URL: 'redis://shared:6379' }).responseCache.redisUrl).toBe('redis://shared:6379');
    expect(loadConfig({ NODE_ENV: 'test', REDIS_URL: 'redis://shared:6379', RESPONSE_CACHE_REDIS_URL: 'redis://cache:6379' }).responseCache.redisUrl).toBe('redis://cache:6379');
    expect(loadConfig({ NODE_ENV: 'test' }).responseCache.redisUrl).toBeUndefined();
  });

  it('names a malformed value before any slice complains of what production lacks', () => {
    expect(() => loadConfig({ OIDC_JWKS_CACHE_MAX_AGE: '0' })).toThrow(/^Invalid configuration: OIDC_JWKS_CACHE_MAX_AGE /);
  });
});
