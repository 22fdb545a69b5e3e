/**
 * The test kit: a real server over a real database, users with real tokens, seed builders, and two
 * ways to run an operation as a given viewer (Apollo's executeOperation, or real HTTP). README "Writing tests".
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import type { AppOptions } from '../../src/server/app.js';
import type { Database } from '../../src/db/database.js';
import { createContext } from '../../src/kernel/context.js';
import type { RoleName } from '../../src/kernel/permissions.js';
import type { Viewer } from '../../src/kernel/viewer.js';
import type { Logger } from '../../src/logger.js';
import { permissionsOf, type UserEntity } from '../../src/modules/users/users.mappers.js';
import type { CreateBookInput } from '../../src/modules/books/books.service.js';
import type { CreateMenuItemInput } from '../../src/modules/menu/menu.service.js';
import { startTestServer as startServer, type GraphQLResponse, type TestServer } from '../helpers/server.js';

export { createTestDatabase as openTestDatabase, usingPostgres } from '../helpers/database.js';
export { TEST_ENV, TEST_PASSWORD, type GraphQLResponse } from '../helpers/server.js';

/** An operation: a typed document from client/generated (typed data and variables), or a raw string. */
export type Operation<Data, Variables> = TypedDocumentNode<Data, Variables> | DocumentNode | string;

/** A seeded user, ready to act: its token for HTTP, its viewer for executeOperation. */
export interface TestUser {
  user: UserEntity;
  token: string;
  viewer: Viewer;
}

/** Who runs an operation: a seeded user, a hand-built viewer, or null/undefined for anonymous. */
export type As = TestUser | Viewer | null | undefined;

export interface RunOptions<Variables> {
  as?: As;
  variables?: Variables;
}

/** What executeOperation answers, with data typed by the document. */
export interface ExecutionResult<Data> {
  data?: Data | null;
  errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> & { code?: unknown } }[];
}

export interface UserOptions {
  email?: string;
  fullName?: string;
  roles?: RoleName[];
  /** Exactly these permissions in the token (and the viewer), whatever the roles grant. */
  permissions?: string[];
}

export interface TestKit extends TestServer {
  /** Seeds a user (password TEST_PASSWORD) with the given roles, or a token holding exactly the given permissions. */
  user(options?: UserOptions): Promise<TestUser>;
  /** Runs an operation in process through Apollo's executeOperation, with the context the server would build for `as`. */
  execute<Data = Record<string, unknown>, Variables = Record<string, unknown>>(operation: Operation<Data, Variables>, options?: RunOptions<Variables>): Promise<ExecutionResult<Data>>;
  /** Runs an operation over real HTTP, as `as` (its Bearer token; a bare Viewer has none, so it is refused). */
  http<Data = Record<string, unknown>, Variables = Record<string, unknown>>(
    operation: Operation<Data, Variables>,
    options?: RunOptions<Variables> & { headers?: Record<string, string> },
  ): Promise<GraphQLResponse<Data>>;
  /** Seed builders: rows made through the services, so they are valid; every field has a default. */
  seed: {
    menuItem(overrides?: Partial<CreateMenuItemInput>): ReturnType<TestServer['server']['services']['menu']['create']>;
    book(overrides?: Partial<CreateBookInput>): ReturnType<TestServer['server']['services']['books']['create']>;
    task(owner: TestUser | string, overrides?: { title?: string }): ReturnType<TestServer['server']['services']['tasks']['create']>;
  };
}

const source = (operation: Operation<unknown, unknown>) => (typeof operation === 'string' ? operation : print(operation));
const viewerOf = (as: As): Viewer | null => (as && 'viewer' in as ? as.viewer : (as ?? null));

let seeded = 0;

/**
 * The app on a loopback port over a fresh database (in-memory PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set). `env` overrides TEST_ENV; close it in afterAll.
 */
export async function startTestServer(env: Record<string, string> = {}, options: { db?: Database; logger?: Logger; app?: AppOptions } = {}): Promise<TestKit> {
  const base = await startServer(env, options);
  const { services, apollo } = base.server;

  const user: TestKit['user'] = async ({ permissions, ...rest } = {}) => {
    const { user, token } = await base.createUser(rest);
    const held = permissions ?? permissionsOf(user);
    return {
      user,
      token: permissions ? services.tokens.issueAccessToken(user.id, permissions) : token,
      viewer: { userId: user.id, permissions: new Set(held), issuer: 'local' },
    };
  };

  return {
    ...base,
    user,
    async execute(operation, { as, variables } = {}) {
      const response = await apollo.executeOperation({ query: source(operation), variables: variables as Record<string, unknown> }, { contextValue: createContext(viewerOf(as)) });
      if (response.body.kind !== 'single') throw new Error('expected a single result, not an incremental one');
      return response.body.singleResult as ExecutionResult<never>;
    },
    async http(operation, { as, variables, headers } = {}) {
      if (as && !('token' in as)) throw new Error('http() needs a TestUser (with a token); a bare Viewer only works with execute()');
      return base.graphql(source(operation), { variables: variables as Record<string, unknown>, token: as?.token, headers });
    },
    seed: {
      menuItem(overrides = {}) {
        seeded += 1;
        return services.menu.create({ name: `Item ${seeded}`, price: 500, description: 'Seeded', image: 'https://images.example.com/item.png', ...overrides });
      },
      book(overrides = {}) {
        seeded += 1;
        return services.books.create({ title: `Book ${seeded}`, author: 'A. Writer', publishedYear: 2000, ...overrides });
      },
      task(owner, overrides = {}) {
        seeded += 1;
        const ownerId = typeof owner === 'string' ? owner : owner.user.id;
        return services.tasks.create(ownerId, { title: `Task ${seeded}`, ...overrides });
      },
    },
  };
}
