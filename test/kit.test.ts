/** The test kit itself (test/kit): each capability README "Writing tests" shows, doing what it says. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BooksDocument, CreateMenuItemDocument, MeDocument, MyTasksDocument } from '../client/generated/graphql.js';
import { openTestDatabase, startTestServer, type TestKit } from './kit/index.js';

describe('test kit', () => {
  let api: TestKit;

  beforeAll(async () => {
    api = await startTestServer();
  });
  afterAll(() => api?.close());

  it('signs a user in with the permissions of its roles, or with exactly the permissions given', async () => {
    const menuAdmin = await api.user({ roles: ['menu-admin'] });
    expect((await api.http(MeDocument, { as: menuAdmin })).body.data?.me?.permissions).toEqual(['create:items', 'delete:items', 'update:items']);
    const creator = await api.user({ permissions: ['create:items'] });
    expect((await api.http(MeDocument, { as: creator })).body.data?.me).toMatchObject({ roles: [], permissions: ['create:items'] });
    expect([...creator.viewer.permissions]).toEqual(['create:items']);
  });

  it('runs a typed document as a given viewer through executeOperation and over HTTP, with the same outcome', async () => {
    const input = { name: 'Soup', price: 350, description: 'Hot', image: 'https://images.example.com/soup.png' };
    const creator = await api.user({ permissions: ['create:items'] });
    const reader = await api.user();

    const executed = await api.execute(CreateMenuItemDocument, { as: creator, variables: { input } });
    expect(executed.data?.createMenuItem).toMatchObject(input);
    const overHttp = await api.http(CreateMenuItemDocument, { as: creator, variables: { input } });
    expect(overHttp.body.data?.createMenuItem).toMatchObject(input);

    expect((await api.execute(CreateMenuItemDocument, { as: reader, variables: { input } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.http(CreateMenuItemDocument, { as: reader, variables: { input } })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.execute(BooksDocument)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.http(BooksDocument)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('seeds valid rows with the builders, each field overridable, a task for its owner only', async () => {
    const reader = await api.user();
    const item = await api.seed.menuItem({ price: 120 });
    const book = await api.seed.book({ title: 'Seeded' });
    await api.seed.task(reader, { title: 'Mine' });

    expect(item).toMatchObject({ price: 120, name: expect.any(String) });
    expect((await api.execute(BooksDocument, { as: reader })).data?.books?.edges.map(({ node }) => node)).toContainEqual(expect.objectContaining({ id: book.id, title: 'Seeded', author: 'A. Writer', publishedYear: 2000 }));
    expect((await api.execute(MyTasksDocument, { as: reader })).data?.myTasks?.edges.map(({ node }) => node)).toEqual([expect.objectContaining({ title: 'Mine', done: false })]);
    expect((await api.execute(MyTasksDocument, { as: await api.user() })).data?.myTasks?.edges).toEqual([]);
  });

  it('opens a database of its own, migrated and with the permission catalog, for tests that need no server', async () => {
    const db = await openTestDatabase();
    try {
      expect(await db.prisma.menuItem.count()).toBe(0);
      expect(await db.prisma.permission.count()).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('refuses to send a bare viewer over HTTP, which has no token to send', async () => {
    const { viewer } = await api.user();
    await expect(api.http(MeDocument, { as: viewer })).rejects.toThrow('needs a TestUser');
  });
});
