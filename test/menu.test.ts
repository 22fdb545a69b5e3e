import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateMenuItemDocument, DeleteMenuItemDocument, MenuItemsDocument, type CreateMenuItemInput } from '../client/generated/graphql.js';
import { startTestServer, type TestKit, type TestUser } from './kit/index.js';

const ITEM_FIELDS = 'id name price description image';
const salad = { name: 'Salad', price: 499, description: 'Fresh', image: 'https://images.example.com/salad.png' };

describe('menu (the WHATABYTE menu API, as GraphQL)', () => {
  let api: TestKit;
  let menuAdmin: TestUser;

  beforeAll(async () => {
    api = await startTestServer();
    menuAdmin = await api.user({ roles: ['menu-admin'] });
  });
  afterAll(() => api?.close());

  const create = (input: CreateMenuItemInput) => api.http(CreateMenuItemDocument, { as: menuAdmin, variables: { input } });

  it('lets a menu-admin create, update and delete an item, and anyone read it', async () => {
    const created = await create(salad);
    expect(created.body.errors).toBeUndefined();
    // The client's documents ask for __typename too (Apollo Client's cache needs it); the hand-written reads below do not.
    const { __typename, ...item } = created.body.data!.createMenuItem!;
    expect(__typename).toBe('MenuItem');
    expect(item).toMatchObject(salad);

    const read = await api.http(`query ($id: ID!) { menuItem(id: $id) { ${ITEM_FIELDS} } }`, { variables: { id: item.id } });
    expect(read.body.data).toEqual({ menuItem: item });
    const menu = await api.http(MenuItemsDocument, { variables: { first: 100 } });
    expect(menu.body.errors).toBeUndefined();
    expect(menu.body.data?.menuItems.edges.map(({ node }) => node)).toContainEqual({ __typename, ...item });

    const updated = await api.http(`mutation ($id: ID!) { updateMenuItem(id: $id, input: { price: 549 }) { ${ITEM_FIELDS} } }`, { as: menuAdmin, variables: { id: item.id } });
    expect(updated.body.data).toEqual({ updateMenuItem: { ...item, price: 549 } });

    const deleted = await api.http(DeleteMenuItemDocument, { as: menuAdmin, variables: { id: item.id } });
    expect(deleted.body.data).toEqual({ __typename: 'Mutation', deleteMenuItem: { __typename, id: item.id } });
    const gone = await api.http('query ($id: ID!) { menuItem(id: $id) { id } }', { variables: { id: item.id } });
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
    const before = await api.db.prisma.menuItem.count();
    const response = await create(input);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await api.db.prisma.menuItem.count()).toBe(before);
  });

  it('refuses a non-integer price before it reaches the service', async () => {
    const response = await create({ ...salad, price: 4.99 });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers NOT_FOUND for an unknown or malformed id, and changes nothing', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const update = await api.http('mutation ($id: ID!) { updateMenuItem(id: $id, input: { price: 100 }) { id } }', { as: menuAdmin, variables: { id } });
      expect(update.body.errors?.[0]).toMatchObject({ message: 'Menu item not found', extensions: { code: 'NOT_FOUND' } });
      const remove = await api.http(DeleteMenuItemDocument, { as: menuAdmin, variables: { id } });
      expect(remove.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('keeps an item whole when an update is invalid', async () => {
    const item = await api.seed.menuItem({ name: 'Salad', price: 499 });
    const response = await api.http('mutation ($id: ID!) { updateMenuItem(id: $id, input: { name: "Green salad", price: -5 }) { id } }', { as: menuAdmin, variables: { id: item.id } });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'price' });
    expect(await api.db.prisma.menuItem.findUnique({ where: { id: item.id } })).toMatchObject({ name: 'Salad', price: 499 });
  });
});
