/**
 * PostgreSQL cannot store U+0000 in text. A NUL character in any string argument, written in
 * the query or sent as a variable, is refused before anything executes: HTTP 400,
 * BAD_USER_INPUT naming the argument path, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_PASSWORD, type GraphQLResponse, type TestServer } from '../helpers/server.js';
import { LOGIN, SIGNUP } from './helpers.js';

const NUL = '\u0000';

function expectRefused(response: GraphQLResponse, field: string) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toEqual([
    { message: `${field} must not contain the NUL character (U+0000)`, extensions: { code: 'BAD_USER_INPUT', field } },
  ]);
}

describe('NUL characters in input', () => {
  let server: TestServer;
  let userToken: string;
  let menuAdminToken: string;
  const counts = async () => ({
    users: await server.db.prisma.user.count(),
    tasks: await server.db.prisma.task.count(),
    menuItems: await server.db.prisma.menuItem.count(),
  });

  beforeAll(async () => {
    server = await startTestServer();
    userToken = (await server.createUser()).token;
    menuAdminToken = (await server.createUser({ roles: ['menu-admin'] })).token;
  });
  afterAll(() => server?.close());

  it('signup: refuses a NUL in any field of the input variable, and creates no user', async () => {
    const before = await counts();
    const input = { email: 'nul@example.com', password: 'a long enough passphrase', fullName: 'Nul' };
    for (const field of ['email', 'password', 'fullName'] as const) {
      expectRefused(await server.graphql(SIGNUP, { variables: { input: { ...input, [field]: `a${NUL}b` } } }), `input.${field}`);
    }
    expect(await counts()).toEqual(before);
    expect(await server.db.prisma.user.count({ where: { email: { startsWith: 'nul' } } })).toBe(0);
  });

  it('login: refuses a NUL in the email or the password, without counting an attempt against the account', async () => {
    const { user } = await server.createUser();
    expectRefused(await server.graphql(LOGIN, { variables: { input: { email: `${user.email}${NUL}`, password: 'x' } } }), 'input.email');
    for (let attempt = 0; attempt < 6; attempt++) {
      expectRefused(await server.graphql(LOGIN, { variables: { input: { email: user.email, password: `guess${NUL}` } } }), 'input.password');
    }
    const login = await server.graphql<{ login: { user: { id: string } } }>(LOGIN, { variables: { input: { email: user.email, password: TEST_PASSWORD } } });
    expect(login.body.data?.login.user.id).toBe(user.id);
  });

  it('createTask: refuses a NUL written in the query (escaped as \\u0000), also inside a fragment, and stores no task', async () => {
    const before = await counts();
    expectRefused(await server.graphql('mutation { createTask(input: { title: "a\\u0000b" }) { id } }', { token: userToken }), 'input.title');
    expectRefused(
      await server.graphql('mutation { ...Create } fragment Create on Mutation { createTask(input: { title: """block""" }) { id } t2: createTask(input: { title: "x\\u0000" }) { id } }', { token: userToken }),
      'input.title',
    );
    expect(await counts()).toEqual(before);
  });

  it('createTask: refuses a NUL in a variable used inside a literal input object, named by the argument path', async () => {
    const before = await counts();
    const response = await server.graphql('mutation ($title: String!) { createTask(input: { title: $title }) { id } }', { token: userToken, variables: { title: `${NUL}` } });
    expectRefused(response, 'input.title');
    expect(await counts()).toEqual(before);
  });

  it('createMenuItem: refuses a NUL as a literal and as a variable, and stores no item', async () => {
    const before = await counts();
    const item = { name: 'Soup', price: 500, description: 'Warm', image: 'https://example.com/soup.png' };
    expectRefused(
      await server.graphql('mutation ($input: CreateMenuItemInput!) { createMenuItem(input: $input) { id } }', { token: menuAdminToken, variables: { input: { ...item, description: `Warm${NUL}` } } }),
      'input.description',
    );
    expectRefused(
      await server.graphql(`mutation { createMenuItem(input: { name: "Soup\\u0000", price: 500, description: "Warm", image: "https://example.com/soup.png" }) { id } }`, { token: menuAdminToken }),
      'input.name',
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses a NUL in an ID argument too, and still accepts ordinary text with other control characters', async () => {
    expectRefused(await server.graphql('query ($id: ID!) { task(id: $id) { id } }', { token: userToken, variables: { id: `1${NUL}` } }), 'id');
    expectRefused(await server.graphql('query ($id: ID = "1\\u0000") { task(id: $id) { id } }', { token: userToken }), 'id');
    const created = await server.graphql<{ createTask: { title: string } }>('mutation ($title: String!) { createTask(input: { title: $title }) { title } }', {
      token: userToken,
      variables: { title: 'tab\tand\u0001 and é' },
    });
    expect(created.body.data?.createTask.title).toBe('tab\tand\u0001 and é');
  });
});
