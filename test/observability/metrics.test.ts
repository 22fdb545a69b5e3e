/** Prometheus metrics: scraped from their own port after known traffic, counter by counter. */
import net from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startMetricsServer, type MetricsServer } from '../../src/observability/metrics.js';
import { usingPostgres } from '../helpers/database.js';
import { startServerProcess } from '../helpers/process.js';
import { startTestServer, TEST_ENV, TEST_PASSWORD, type TestServer } from '../helpers/server.js';

/** `name{a="1",b="2"}` → value, from Prometheus' text format. */
function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const series = (name: string, labels: Record<string, string> = {}) => {
  const list = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return list.length ? `${name}{${list.join(',')}}` : name;
};

describe('Prometheus metrics', () => {
  let server: TestServer;
  let metrics: MetricsServer;
  let before: Map<string, number>;
  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${metrics.port}/metrics`);
    expect(response.status).toBe(200);
    return parseSamples(await response.text());
  };
  /** How much a series grew since `before` (a series not yet present counts as 0). */
  const delta = (after: Map<string, number>, name: string, labels?: Record<string, string>) =>
    (after.get(series(name, labels)) ?? 0) - (before.get(series(name, labels)) ?? 0);

  beforeAll(async () => {
    server = await startTestServer({ METRICS_PORT: '0', RATE_LIMIT_LOGIN_ACCOUNT_IP: '2/15m', REFRESH_REUSE_INTERVAL: '0' });
    metrics = await startMetricsServer(server.server.metrics.registry, 0);
  });
  afterAll(async () => {
    await metrics?.close();
    await server?.close();
  });

  it('counts operations, errors, denials, token failures, throttling and refresh reuse exactly', async () => {
    const { user, token } = await server.createUser();
    const { token: adminToken } = await server.createUser({ roles: ['admin'] });
    before = await scrape();

    // 3 known operations that succeed; 2 with names outside client/operations, bucketed as `other`.
    for (let i = 0; i < 3; i++) expect((await server.graphql('query MenuItems { menuItems { edges { node { id } } } }')).body.errors).toBeUndefined();
    expect((await server.graphql('query Invented1 { publicMessage { text } }')).body.errors).toBeUndefined();
    expect((await server.graphql('query Invented2 { publicMessage { text } }')).body.errors).toBeUndefined();
    // Denials: anonymous (UNAUTHENTICATED) and signed in without the permission (FORBIDDEN), both by @hasPermission.
    expect((await server.graphql('query AdminMessage { adminMessage { text } }')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await server.graphql('query AdminMessage { adminMessage { text } }', { token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await server.graphql('query AdminMessage { adminMessage { text } }', { token: adminToken })).body.errors).toBeUndefined();
    // Tokens refused: a forged one and an expired one (the latter signed with the server's own secret).
    expect((await server.graphql('query Me { me { id } }', { token: 'not.a.token' })).status).toBe(401);
    const { secret, issuer, audience } = server.config.tokens;
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ sub: user.id, iss: issuer, aud: audience, iat: now - 600, exp: now - 300, jti: 'x', permissions: [] }, secret!, {
      header: { alg: 'HS256', typ: 'at+jwt' },
    });
    expect((await server.graphql('query Me { me { id } }', { token: expired })).body.errors?.[0]?.extensions?.reason).toBe('Token expired');
    // Throttling: the account allows 2 login attempts (a success forgets earlier ones); the third is refused.
    const LOGIN = 'mutation Login($input: LoginInput!) { login(input: $input) { refreshToken } }';
    const login = (password: string) => server.graphql<{ login: { refreshToken: string } }>(LOGIN, { variables: { input: { email: user.email, password } } });
    const signedIn = await login(TEST_PASSWORD);
    expect((await login('wrong password 1')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login('wrong password 2')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login('wrong password 3')).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Refresh reuse: rotating the same token twice.
    const REFRESH = 'mutation RefreshToken($refreshToken: String!) { refreshToken(input: { refreshToken: $refreshToken }) { refreshToken } }';
    const refreshToken = signedIn.body.data!.login.refreshToken;
    expect((await server.graphql(REFRESH, { variables: { refreshToken } })).body.errors).toBeUndefined();
    expect((await server.graphql(REFRESH, { variables: { refreshToken } })).body.errors?.[0]?.extensions?.reason).toBe('reused');

    const after = await scrape();
    expect(delta(after, 'graphql_operations_total', { operation: 'MenuItems', outcome: 'success' })).toBe(3);
    expect(delta(after, 'graphql_operations_total', { operation: 'other', outcome: 'success' })).toBe(2);
    expect(delta(after, 'graphql_operations_total', { operation: 'AdminMessage', outcome: 'error' })).toBe(2);
    expect(delta(after, 'graphql_operations_total', { operation: 'AdminMessage', outcome: 'success' })).toBe(1);
    expect(delta(after, 'graphql_operations_total', { operation: 'Login', outcome: 'success' })).toBe(1);
    expect(delta(after, 'graphql_operations_total', { operation: 'Login', outcome: 'error' })).toBe(3);
    expect(delta(after, 'graphql_operations_total', { operation: 'RefreshToken', outcome: 'success' })).toBe(1);
    expect(delta(after, 'graphql_operations_total', { operation: 'RefreshToken', outcome: 'error' })).toBe(1);
    expect(delta(after, 'graphql_operation_duration_seconds_count', { operation: 'MenuItems', outcome: 'success' })).toBe(3);
    expect([...after.keys()].some((key) => key.includes('Invented'))).toBe(false);
    // A refused token ends the request before any operation starts: counted below, not as an operation.
    expect(delta(after, 'graphql_operations_total', { operation: 'Me', outcome: 'error' })).toBe(0);

    // 2 refused tokens + 1 denial + 2 wrong passwords + 1 reuse; 1 denial; 1 throttled.
    expect(delta(after, 'graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(6);
    expect(delta(after, 'graphql_errors_total', { code: 'FORBIDDEN' })).toBe(1);
    expect(delta(after, 'graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(1);
    expect(delta(after, 'authz_denials_total', { coordinate: 'Query.adminMessage', rule: 'hasPermission' })).toBe(2);
    expect(delta(after, 'auth_token_failures_total', { reason: 'invalid' })).toBe(1);
    expect(delta(after, 'auth_token_failures_total', { reason: 'expired' })).toBe(1);
    expect(delta(after, 'throttle_refusals_total', { operation: 'Login' })).toBe(1);
    expect(delta(after, 'refresh_token_reuse_total')).toBe(1);
  });

  it('counts response-cache hits and misses through its API', async () => {
    before = await scrape();
    server.server.metrics.responseCacheLookup(true);
    server.server.metrics.responseCacheLookup(false);
    server.server.metrics.responseCacheLookup(false);
    const after = await scrape();
    expect(delta(after, 'response_cache_lookups_total', { result: 'hit' })).toBe(1);
    expect(delta(after, 'response_cache_lookups_total', { result: 'miss' })).toBe(2);
  });

  it("serves Node's default metrics, event-loop lag included, and the database pool on PostgreSQL", async () => {
    const samples = await scrape();
    expect(samples.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(samples.has('process_cpu_user_seconds_total')).toBe(true);
    // PGlite is one embedded connection: no pool, so no pool series.
    expect(samples.has('db_pool_connections_in_use')).toBe(usingPostgres);
    expect(samples.has('db_pool_requests_waiting')).toBe(usingPostgres);
    if (usingPostgres) expect(samples.get('db_pool_requests_waiting')).toBe(0);
  });

  it('is not served on the public API port', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });
});

describe('METRICS_PORT', () => {
  const config = (env: Record<string, string>) => loadConfig({ ...TEST_ENV, ...env });

  it('is 9464 in development, off in production and in tests unless set', () => {
    expect(config({ NODE_ENV: 'development' }).metricsPort).toBe(9464);
    expect(config({ NODE_ENV: 'test' }).metricsPort).toBeUndefined();
    expect(config({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SEED_DEMO_DATA: 'false' }).metricsPort).toBeUndefined();
    expect(config({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SEED_DEMO_DATA: 'false', METRICS_PORT: '9100' }).metricsPort).toBe(9100);
  });

  it('refuses the public API port', () => {
    expect(() => config({ PORT: '4000', METRICS_PORT: '4000' })).toThrow('Invalid configuration: METRICS_PORT must differ from PORT');
  });
});

describe('METRICS_HOST', () => {
  /** A free loopback port, for a server started as a process. */
  async function freePort(): Promise<number> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }
  /** 127.0.0.2 is loopback too on Linux, but a listener bound to 127.0.0.1 alone does not answer it. */
  const reachable = (url: string) => fetch(url).then((response) => response.status, () => 'refused' as const);

  it('keeps /metrics on loopback when the API listens on every interface, unless METRICS_HOST says otherwise', async () => {
    const metricsPort = await freePort();
    const server = await startServerProcess({ HOST: '0.0.0.0', METRICS_PORT: String(metricsPort), DATABASE_URL: 'memory:' });
    try {
      const apiPort = new URL(server.url).port;
      expect(await reachable(`http://127.0.0.2:${apiPort}/health`)).toBe(200);
      expect(await reachable(`http://127.0.0.1:${metricsPort}/metrics`)).toBe(200);
      expect(await reachable(`http://127.0.0.2:${metricsPort}/metrics`)).toBe('refused');
    } finally {
      await server.stop();
    }
    const exposed = await startServerProcess({ HOST: '127.0.0.1', METRICS_HOST: '0.0.0.0', METRICS_PORT: String(metricsPort), DATABASE_URL: 'memory:' });
    try {
      expect(await reachable(`http://127.0.0.2:${metricsPort}/metrics`)).toBe(200);
    } finally {
      await exposed.stop();
    }
  }, 120_000);

  it('defaults to 127.0.0.1', () => {
    expect(loadConfig({ ...TEST_ENV, HOST: '0.0.0.0' }).metricsHost).toBe('127.0.0.1');
  });
});
