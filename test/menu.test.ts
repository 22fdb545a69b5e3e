import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

const ITEM_FIELDS = 'id name price description image';
const salad = { name: 'Salad', price: 499, description: 'Fresh', image: 'https://images.example.com/salad.png' };

describe('menu (the WHATABYTE menu API, as GraphQL)', () => {
  let server: TestServer;
  let menuAdmin: string;

  beforeAll(async () => {
    server = await startTestServer();
    menuAdmin = (await server.createUser({ roles: ['menu-admin'] })).token;
  });
  afterAll(() => server?.close());

  const create = (input: Record<string, unknown>, token = menuAdmin) =>
    server.graphql<{ createMenuItem: typeof salad & { id: string } }>(
      `mutation ($input: CreateMenuItemInput!) { createMenuItem(input: $input) { ${ITEM_FIELDS} } }`,
      { variables: { input }, token },
    );

  it('lets a menu-admin create, update and delete an item, and anyone read it', async () => {
    const created = await create(salad);
    expect(created.body.errors).toBeUndefined();
    const item = created.body.data!.createMenuItem;
    expect(item).toMatchObject(salad);

    const read = await server.graphql(`query ($id: ID!) { menuItem(id: $id) { ${ITEM_FIELDS} } menuItems { edges { node { id } } } }`, { variables: { id: item.id } });
    expect(read.body.data).toMatchObject({ menuItem: item, menuItems: { edges: expect.arrayContaining([{ node: { id: item.id } }]) } });

    const updated = await server.graphql(`mutation ($id: ID!) { updateMenuItem(id: $id, input: { price: 549 }) { ${ITEM_FIELDS} } }`, {
      variables: { id: item.id },
      token: menuAdmin,
    });
    expect(updated.body.data).toEqual({ updateMenuItem: { ...item, price: 549 } });

    const deleted = await server.graphql('mutation ($id: ID!) { deleteMenuItem(id: $id) { id name } }', { variables: { id: item.id }, token: menuAdmin });
    expect(deleted.body.data).toEqual({ deleteMenuItem: { id: item.id, name: 'Salad' } });
    const gone = await server.graphql('query ($id: ID!) { menuItem(id: $id) { id } }', { variables: { id: item.id } });
    expect(gone.body.data).toEqual({ menuItem: null });
  });

  it.each([
    ['name', { ...salad, name: '' }],
    ['name', { ...salad, name: 'x'.repeat(101) }],
    ['price', { ...salad, price: 0 }],
    ['price', { ...salad, price: 1_000_001 }],
    ['image', { ...salad, image: 'javascript:alert(1)' }],
    ['image', { ...salad, image: 'not a url' }],
  ])('refuses an invalid %s with BAD_USER_INPUT naming the field', async (field, input) => {
    const before = await server.db.prisma.menuItem.count();
    const response = await create(input);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await server.db.prisma.menuItem.count()).toBe(before);
  });

  it('refuses a non-integer price before it reaches the service', async () => {
    const response = await create({ ...salad, price: 4.99 });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers NOT_FOUND for an unknown or malformed id, and changes nothing', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const update = await server.graphql('mutation ($id: ID!) { updateMenuItem(id: $id, input: { price: 100 }) { id } }', { variables: { id }, token: menuAdmin });
      expect(update.body.errors?.[0]).toMatchObject({ message: 'Menu item not found', extensions: { code: 'NOT_FOUND' } });
      const remove = await server.graphql('mutation ($id: ID!) { deleteMenuItem(id: $id) { id } }', { variables: { id }, token: menuAdmin });
      expect(remove.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('keeps an item whole when an update is invalid', async () => {
    const item = (await create(salad)).body.data!.createMenuItem;
    const response = await server.graphql('mutation ($id: ID!) { updateMenuItem(id: $id, input: { name: "Green salad", price: -5 }) { id } }', {
      variables: { id: item.id },
      token: menuAdmin,
    });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'price' });
    expect(await server.db.prisma.menuItem.findUnique({ where: { id: item.id } })).toMatchObject({ name: 'Salad', price: 499 });
  });
});
