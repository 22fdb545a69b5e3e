/**
 * A real server for end-to-end tests: the app on a loopback port over a fresh database,
 * with a small typed kit to call it and to seed users and sign them in.
 */
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppOptions } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import type { RoleName } from '../../src/kernel/permissions.js';
import { permissionsOf, type UserEntity } from '../../src/modules/users/users.mappers.js';
import { normalizeEmail } from '../../src/modules/users/users.service.js';
import type { Logger } from '../../src/logger.js';
import { createTestDatabase } from './database.js';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: Data | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> & { code?: string } }[];
  };
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  /** An access token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

/**
 * Every test client is 127.0.0.1, so the per-IP throttles are raised for ordinary tests; the
 * per-account ones keep their defaults. test/security/ puts the real defaults back ('' = unset).
 */
export const TEST_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  PORT: '0',
  RATE_LIMIT_LOGIN_IP: '10000/15m',
  RATE_LIMIT_SIGNUP_IP: '10000/1h',
  RATE_LIMIT_REFRESH_IP: '10000/1m',
} as const;

/** A cheap password for test users; Argon2id still runs at full strength. */
export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestServer {
  url: string;
  config: Config;
  db: Database;
  server: App;
  graphql<Data = Record<string, unknown>>(query: string, options?: RequestOptions): Promise<GraphQLResponse<Data>>;
  /** Seeds a user with the given roles (password TEST_PASSWORD) and returns it with an access token. */
  createUser(options?: { email?: string; fullName?: string; roles?: RoleName[] }): Promise<{ user: UserEntity; token: string }>;
  close(): Promise<void>;
}

let userCounter = 0;

/** `logger`: to read what the server logs (TEST_ENV silences it otherwise); `app`: any other part to inject. */
export async function startTestServer(env: Record<string, string> = {}, options: { db?: Database; logger?: Logger; app?: AppOptions } = {}): Promise<TestServer> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const db = options.db ?? (await createTestDatabase());
  const server = await createApp(config, db, { ...options.app, ...(options.logger && { logger: options.logger }) });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const passwordHash = await server.services.passwords.hash(TEST_PASSWORD);

  return {
    url,
    config,
    db,
    server,
    async graphql<Data>(query: string, { variables, token, headers = {} }: RequestOptions = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body: GraphQLResponse<Data>['body'];
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`Expected a JSON response, got ${response.status}: ${text.slice(0, 200)}`);
      }
      return { status: response.status, headers: response.headers, body };
    },
    async createUser({ email, fullName = 'Test User', roles = [] } = {}) {
      userCounter += 1;
      const created = await db.prisma.user.create({
        data: {
          email: normalizeEmail(email ?? `user${userCounter}-${Date.now()}@test.example`),
          fullName,
          passwordHash,
          roles: { create: roles.map((name) => ({ role: { connect: { name } } })) },
        },
      });
      const user = await server.services.users.find(created.id);
      return { user: user!, token: server.services.tokens.issueAccessToken(user!.id, permissionsOf(user!)) };
    },
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
