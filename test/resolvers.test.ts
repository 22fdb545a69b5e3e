/**
 * Resolver tests without HTTP: operations run through Apollo's executeOperation with contexts
 * built directly, the way an engineer tests a resolver in isolation (real database, real schema).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/server/app.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createContext } from '../src/kernel/context.js';
import { createTestDatabase } from './helpers/database.js';
import { TEST_ENV } from './helpers/server.js';

describe('resolvers with directly built contexts', () => {
  let db: Database;
  let app: App;
  let ownerId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApp(loadConfig(TEST_ENV), db);
    ownerId = (await db.prisma.user.create({ data: { email: 'owner@test.example', fullName: 'Owner' } })).id;
  });
  afterAll(async () => {
    await app?.stop();
    await db?.close();
  });

  const viewer = (userId: string, permissions: string[] = []): Viewer => ({ userId, permissions: new Set(permissions), issuer: 'local' });

  async function execute(query: string, as: Viewer | null, variables?: Record<string, unknown>) {
    const response = await app.apollo.executeOperation({ query, variables }, { contextValue: createContext(as) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  }

  it('runs a @hasPermission mutation for a context holding the permission, and denies one without', async () => {
    const mutation = 'mutation { createBook(input: { title: "Dune", author: "Frank Herbert", publishedYear: 1965 }) { title publishedYear summary } }';
    const denied = await execute(mutation, viewer(ownerId));
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const allowed = await execute(mutation, viewer(ownerId, ['create:books']));
    expect(allowed.data).toEqual({ createBook: { title: 'Dune', publishedYear: 1965, summary: null } });
  });

  it("scopes tasks to the context viewer's id", async () => {
    await execute('mutation { createTask(input: { title: "From a resolver test" }) { id } }', viewer(ownerId));
    expect((await execute('{ myTasks { edges { node { title } } } }', viewer(ownerId))).data).toEqual({ myTasks: { edges: [{ node: { title: 'From a resolver test' } }] } });
    expect((await execute('{ myTasks { edges { node { title } } } }', viewer(randomUUID()))).data).toEqual({ myTasks: { edges: [] } });
    expect((await execute('{ myTasks { totalCount } }', null)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('clears a book summary with an explicit null and keeps it when the field is left out', async () => {
    const editor = viewer(ownerId, ['create:books', 'update:books']);
    const created = await execute('mutation { createBook(input: { title: "Emma", author: "Jane Austen", publishedYear: 1815, summary: "Matchmaking" }) { id } }', editor);
    const { id } = (created.data as { createBook: { id: string } }).createBook;
    const kept = await execute('mutation ($id: ID!) { updateBook(id: $id, input: { title: "Emma." }) { title summary } }', editor, { id });
    expect(kept.data).toEqual({ updateBook: { title: 'Emma.', summary: 'Matchmaking' } });
    const cleared = await execute('mutation ($id: ID!) { updateBook(id: $id, input: { summary: null }) { summary } }', editor, { id });
    expect(cleared.data).toEqual({ updateBook: { summary: null } });
  });

  it("answers NOT_FOUND for `me` when the viewer's user no longer exists", async () => {
    const missing = await execute('{ me { id } }', viewer(randomUUID()));
    expect(missing.errors?.[0]).toMatchObject({ message: 'User not found', extensions: { code: 'NOT_FOUND' } });
  });
});
