/**
 * Resolver tests without HTTP: operations run through Apollo's executeOperation with contexts
 * built directly, the way an engineer tests a resolver in isolation (real database, real schema).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTaskDocument, MyTasksDocument } from '../client/generated/graphql.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { startTestServer, type TestKit } from './kit/index.js';

describe('resolvers with directly built contexts', () => {
  let api: TestKit;
  let ownerId: string;

  beforeAll(async () => {
    api = await startTestServer();
    ownerId = (await api.user({ fullName: 'Owner' })).user.id;
  });
  afterAll(() => api?.close());

  const viewer = (userId: string, permissions: string[] = []): Viewer => ({ userId, permissions: new Set(permissions), issuer: 'local' });

  it('runs a @hasPermission mutation for a context holding the permission, and denies one without', async () => {
    const mutation = 'mutation { createBook(input: { title: "Dune", author: "Frank Herbert", publishedYear: 1965 }) { title publishedYear summary } }';
    const denied = await api.execute(mutation, { as: viewer(ownerId) });
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const allowed = await api.execute(mutation, { as: viewer(ownerId, ['create:books']) });
    expect(allowed.data).toEqual({ createBook: { title: 'Dune', publishedYear: 1965, summary: null } });
  });

  it("scopes tasks to the context viewer's id", async () => {
    await api.execute(CreateTaskDocument, { as: viewer(ownerId), variables: { title: 'From a resolver test' } });
    const titles = async (as: Viewer) => (await api.execute(MyTasksDocument, { as })).data?.myTasks?.edges.map(({ node }) => node.title);
    expect(await titles(viewer(ownerId))).toEqual(['From a resolver test']);
    expect(await titles(viewer(randomUUID()))).toEqual([]);
    expect((await api.execute(MyTasksDocument, { as: null })).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('clears a book summary with an explicit null and keeps it when the field is left out', async () => {
    const as = viewer(ownerId, ['update:books']);
    const { id } = await api.seed.book({ title: 'Emma', author: 'Jane Austen', publishedYear: 1815, summary: 'Matchmaking' });
    const kept = await api.execute('mutation ($id: ID!) { updateBook(id: $id, input: { title: "Emma." }) { title summary } }', { as, variables: { id } });
    expect(kept.data).toEqual({ updateBook: { title: 'Emma.', summary: 'Matchmaking' } });
    const cleared = await api.execute('mutation ($id: ID!) { updateBook(id: $id, input: { summary: null }) { summary } }', { as, variables: { id } });
    expect(cleared.data).toEqual({ updateBook: { summary: null } });
  });

  it("answers NOT_FOUND for `me` when the viewer's user no longer exists", async () => {
    const missing = await api.execute('{ me { id } }', { as: viewer(randomUUID()) });
    expect(missing.errors?.[0]).toMatchObject({ message: 'User not found', extensions: { code: 'NOT_FOUND' } });
  });
});
