/** The typed example client (client/example.ts) against a live server: login, refresh, a protected mutation, paging. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLRequestError, request, runExample } from '../../client/example.js';
import { MenuItemsDocument, RefreshTokenDocument } from '../../client/generated/graphql.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';

describe('example client', () => {
  let server: TestServer;
  let endpoint: string;

  beforeAll(async () => {
    // No reuse interval, so the rotated token is refused at once rather than after 30 s.
    server = await startTestServer({ REFRESH_REUSE_INTERVAL: '0' });
    endpoint = `${server.url}/graphql`;
  });
  afterAll(() => server?.close());

  it('signs in as a menu admin, rotates the refresh token, creates a menu item and reads the menu back page by page', async () => {
    const { user } = await server.createUser({ roles: ['menu-admin'], fullName: 'Manu Menu' });
    await server.db.prisma.menuItem.createMany({
      data: Array.from({ length: 7 }, (_, index) => ({ name: `Extra ${index}`, price: 100, description: '', image: 'https://example.com/x.png' })),
    });
    const result = await runExample({ url: endpoint, email: user.email, password: TEST_PASSWORD, pageSize: 3 });

    expect(result.user).toEqual({ __typename: 'User', id: user.id, fullName: 'Manu Menu' });
    const stored = await server.db.prisma.menuItem.findUnique({ where: { id: result.createdMenuItem.id } });
    expect(stored).toMatchObject({ name: result.createdMenuItem.name, price: result.createdMenuItem.price });
    const ids = result.menu.items.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(await server.db.prisma.menuItem.count());
    expect(ids).toContain(result.createdMenuItem.id);
    expect(result.menu.pages).toBe(Math.ceil(ids.length / 3));
    const { menuItems } = await request(endpoint, MenuItemsDocument, { first: 2 });
    expect(menuItems.edges).toHaveLength(2);

    const reused = request(endpoint, RefreshTokenDocument, { refreshToken: result.refreshTokens.before });
    await expect(reused).rejects.toThrow(GraphQLRequestError);
    await expect(reused).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('is refused the protected mutation without the create:items permission', async () => {
    const { user } = await server.createUser({ roles: ['book-admin'] });
    const before = await server.db.prisma.menuItem.count();
    await expect(runExample({ url: endpoint, email: user.email, password: TEST_PASSWORD })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Missing permission: create:items',
    });
    expect(await server.db.prisma.menuItem.count()).toBe(before);
  });
});
