import { describe, expect, it } from 'vitest';
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
      },
    ]);
    expectConfigError({ NODE_ENV: 'test', AUTH0_DOMAIN: 'example.eu.auth0.com' }, /AUTH0_DOMAIN and AUTH0_AUDIENCE/);
  });
});
