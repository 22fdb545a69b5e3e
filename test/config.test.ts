import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../src/kernel/permissions.js';
import { ConfigError, DEVELOPMENT_DEFAULTS, loadConfig } from '../src/config.js';

const expectConfigError = (env: Record<string, string>, message: RegExp) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(message);
};

describe('configuration', () => {
  it('starts with development defaults when NODE_ENV=development says so', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.port).toBe(4000);
    expect(config.database.url).toBe('pglite:.data/pglite');
    expect(config.tokens.accessTokenTtlSeconds).toBe(900);
    expect(config.tokens.refreshTokenTtlSeconds).toBe(30 * 86400);
    expect(config.seed.demoData).toBe(true);
    expect(config.heapGrowthPercent).toBe(50);
    expect(config.externalIssuerCache).toEqual({ jwksMaxAgeSeconds: 600, identityTtlSeconds: 30 });
  });

  it('names the variable that is wrong', () => {
    expectConfigError({ PORT: 'abc' }, /PORT/);
    expectConfigError({ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL/);
    expectConfigError({ ACCESS_TOKEN_TTL: 'soon' }, /ACCESS_TOKEN_TTL/);
    expectConfigError({ NODE_ENV: 'test', OIDC_ISSUERS: '[{"issuer":"nope"}]' }, /OIDC_ISSUERS/);
    expectConfigError({ HEAP_GROWTH_PERCENT: '-5' }, /HEAP_GROWTH_PERCENT/);
  });

  it('accepts durations in seconds, minutes, hours and days', () => {
    expect(loadConfig({ NODE_ENV: 'test', ACCESS_TOKEN_TTL: '5m', REFRESH_TOKEN_TTL: '7d' }).tokens).toMatchObject({
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 7 * 86400,
    });
    expect(loadConfig({ NODE_ENV: 'test', OIDC_JWKS_CACHE_MAX_AGE: '30s' }).externalIssuerCache.jwksMaxAgeSeconds).toBe(30);
    expectConfigError({ OIDC_JWKS_CACHE_MAX_AGE: '0' }, /OIDC_JWKS_CACHE_MAX_AGE/);
  });

  it('refuses a short JWT secret', () => {
    expectConfigError({ NODE_ENV: 'test', JWT_SECRET: 'too-short' }, /JWT_SECRET must be at least 32 bytes/);
  });

  it('applies production rules when NODE_ENV is unset: no development secret, no demo passwords, no introspection', () => {
    expectConfigError({}, /JWT_SECRET is required in production/);
    expectConfigError({ JWT_SECRET: DEVELOPMENT_DEFAULTS.jwtSecret }, /development default/);
    expectConfigError({ JWT_SECRET: 'x'.repeat(40), SEED_DEMO_DATA: 'true' }, /SEED_ADMIN_PASSWORD is required/);
    const config = loadConfig({ JWT_SECRET: 'a-real-secret-of-at-least-32-bytes!!' });
    expect(config).toMatchObject({ env: 'production', isProduction: true, introspection: false, seed: { demoData: false } });
  });

  it('refuses the development defaults in production', () => {
    expectConfigError({ NODE_ENV: 'production' }, /JWT_SECRET is required in production/);
    expectConfigError({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_DEFAULTS.jwtSecret }, /development default/);
    expectConfigError(
      { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SEED_DEMO_DATA: 'true' },
      /SEED_ADMIN_PASSWORD is required/,
    );
  });

  it('accepts a production configuration with its own secret, and turns off introspection and demo data', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-at-least-32-bytes!!' });
    expect(config.introspection).toBe(false);
    expect(config.seed.demoData).toBe(false);
  });

  it('turns AUTH0_DOMAIN and AUTH0_AUDIENCE into an external issuer', () => {
    const config = loadConfig({ NODE_ENV: 'test', AUTH0_DOMAIN: 'example.eu.auth0.com', AUTH0_AUDIENCE: 'https://menu-api.example.com' });
    expect(config.externalIssuers).toEqual([
      {
        issuer: 'https://example.eu.auth0.com/',
        audience: 'https://menu-api.example.com',
        jwksUri: 'https://example.eu.auth0.com/.well-known/jwks.json',
        algorithms: ['RS256'],
        permissionsClaim: 'permissions',
        grants: ALL_PERMISSIONS,
      },
    ]);
    expectConfigError({ NODE_ENV: 'test', AUTH0_DOMAIN: 'example.eu.auth0.com' }, /AUTH0_DOMAIN and AUTH0_AUDIENCE/);
  });

  it("reads each OIDC issuer's permissions claim and grants, refusing a grant outside the catalog by name", () => {
    const entry = { issuer: 'https://id.example.com/', audience: 'api', jwksUri: 'https://id.example.com/jwks' };
    const [defaults, scoped] = loadConfig({
      NODE_ENV: 'test',
      OIDC_ISSUERS: JSON.stringify([entry, { ...entry, issuer: 'https://other.example.com/', permissionsClaim: 'scope', grants: ['read:users'] }]),
    }).externalIssuers;
    expect(defaults).toMatchObject({ permissionsClaim: 'permissions', grants: expect.arrayContaining(['manage:users', 'create:items']) });
    expect(scoped).toMatchObject({ permissionsClaim: 'scope', grants: ['read:users'] });
    expectConfigError({ NODE_ENV: 'test', OIDC_ISSUERS: JSON.stringify([{ ...entry, grants: ['read:users', 'launch:missiles'] }]) }, /OIDC_ISSUERS\[0\.grants\.1\].*launch:missiles/);
    expectConfigError({ NODE_ENV: 'test', OIDC_ISSUERS: JSON.stringify([{ ...entry, permissionsClaim: 'roles' }]) }, /OIDC_ISSUERS\[0\.permissionsClaim\]/);
  });
});
