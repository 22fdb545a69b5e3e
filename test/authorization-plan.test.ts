/**
 * Authorization planned before execution, over real HTTP: partial data, one error per denied
 * selection, all-or-nothing mutations, arguments and input fields, explained and logged denials,
 * plans shared between viewers with the same permissions, and a viewer fixed for the operation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logSink } from './helpers/log-sink.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from './helpers/server.js';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('authorization planned before execution (filter mode, the default)', () => {
  let server: TestServer;
  const logs = logSink();
  let user: { id: string; token: string };
  let menuAdmin: { email: string; token: string };
  let admin: { token: string };

  beforeAll(async () => {
    server = await startTestServer({}, { app: { logger: logs.logger } });
    const plain = await server.createUser();
    user = { id: plain.user.id, token: plain.token };
    const menu = await server.createUser({ email: 'menu-admin@plan.test', roles: ['menu-admin'] });
    menuAdmin = { email: 'menu-admin@plan.test', token: menu.token };
    admin = { token: (await server.createUser({ roles: ['admin'] })).token };
  });
  afterAll(() => server?.close());

  const aMenuItem = () =>
    server.db.prisma.menuItem.create({ data: { name: 'Soup', price: 450, description: 'Hot', image: 'https://example.com/soup.png' } });

  it('answers what the viewer may see and nulls only the denied field, with one error at its path', async () => {
    const response = await server.graphql('{ publicMessage { text } protectedMessage { text } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ publicMessage: { text: 'This is a public message.' }, protectedMessage: null });
    expect(response.body.errors).toEqual([
      {
        message: 'Requires authentication',
        locations: [{ line: 1, column: 26 }],
        path: ['protectedMessage'],
        extensions: { code: 'UNAUTHENTICATED', authorization: { coordinate: 'Query.protectedMessage', rule: 'auth', required: [] } },
      },
    ]);
  });

  it('explains a forbidden field: coordinate, rule, required and missing permissions', async () => {
    const response = await server.graphql(`{ adminMessage { text } protectedMessage { text } }`, { token: user.token });
    expect(response.body.data).toEqual({ adminMessage: null, protectedMessage: { text: 'This is a protected message.' } });
    expect(response.body.errors).toMatchObject([
      {
        message: 'Missing permission: read:admin-messages',
        path: ['adminMessage'],
        extensions: {
          code: 'FORBIDDEN',
          authorization: { coordinate: 'Query.adminMessage', rule: 'hasPermission', required: ['read:admin-messages'], missing: ['read:admin-messages'] },
        },
      },
    ]);
  });

  it('keeps the order of the response keys as the query asked for them', async () => {
    const response = await server.graphql('{ a: publicMessage { text } b: adminMessage { text } c: publicMessage { text } }', { token: user.token });
    expect(Object.keys(response.body.data!)).toEqual(['a', 'b', 'c']);
  });

  it('runs none of the root fields of a mutation when one is denied, and writes nothing', async () => {
    const menuItem = await aMenuItem();
    const tasksBefore = await server.db.prisma.task.count();
    const response = await server.graphql(
      `mutation ($id: ID!) { createTask(input: { title: "Should never exist" }) { id } deleteMenuItem(id: $id) { id } }`,
      { token: user.token, variables: { id: menuItem.id } },
    );
    expect(response.status).toBe(200);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toMatchObject([
      { path: ['deleteMenuItem'], extensions: { code: 'FORBIDDEN', authorization: { coordinate: 'Mutation.deleteMenuItem', missing: ['delete:items'] } } },
    ]);
    expect(await server.db.prisma.task.count()).toBe(tasksBefore);
    expect(await server.db.prisma.menuItem.findUnique({ where: { id: menuItem.id } })).not.toBeNull();
  });

  it('answers 401 or 403 to a blocked operation when the client asks for application/graphql-response+json', async () => {
    const mutation = `mutation { createTask(input: { title: "never" }) { id } deleteMenuItem(id: "${MISSING_ID}") { id } }`;
    const anonymous = await server.graphql(mutation, { headers: { accept: 'application/graphql-response+json' } });
    expect(anonymous.status).toBe(401);
    const signedIn = await server.graphql(mutation, { token: user.token, headers: { accept: 'application/graphql-response+json' } });
    expect(signedIn.status).toBe(403);
    expect(signedIn.body.errors?.[0]?.extensions).not.toHaveProperty('http');
  });

  it('guards an input field: using it without the permission denies the field that carries it, literal or variable', async () => {
    const before = await server.db.prisma.task.count();
    const literal = await server.graphql(`mutation { createTask(input: { title: "For someone else", ownerId: "${user.id}" }) { id } }`, { token: menuAdmin.token });
    expect(literal.body.data).toBeUndefined();
    expect(literal.body.errors).toMatchObject([
      { path: ['createTask'], extensions: { code: 'FORBIDDEN', authorization: { coordinate: 'CreateTaskInput.ownerId', rule: 'hasPermission', required: ['assign:tasks'], missing: ['assign:tasks'] } } },
    ]);
    const viaVariable = await server.graphql('mutation ($input: CreateTaskInput!) { createTask(input: $input) { id } }', {
      token: menuAdmin.token,
      variables: { input: { title: 'For someone else', ownerId: user.id } },
    });
    expect(viaVariable.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', authorization: { coordinate: 'CreateTaskInput.ownerId' } });
    expect(await server.db.prisma.task.count()).toBe(before);

    // The same document without the guarded field runs: the decision follows the variables' values.
    const own = await server.graphql('mutation ($input: CreateTaskInput!) { createTask(input: $input) { title } }', {
      token: menuAdmin.token,
      variables: { input: { title: 'My own' } },
    });
    expect(own.body).toEqual({ data: { createTask: { title: 'My own' } } });
  });

  it('lets a viewer holding assign:tasks create a task that its owner then sees', async () => {
    const response = await server.graphql(`mutation { createTask(input: { title: "Assigned by the admin", ownerId: "${user.id}" }) { title } }`, { token: admin.token });
    expect(response.body).toEqual({ data: { createTask: { title: 'Assigned by the admin' } } });
    const mine = await server.graphql<{ myTasks: { edges: { node: { title: string } }[] } }>('{ myTasks { edges { node { title } } } }', { token: user.token });
    expect(mine.body.data!.myTasks.edges.map(({ node }) => node.title)).toContain('Assigned by the admin');
    const unknownOwner = await server.graphql(`mutation { createTask(input: { title: "Nobody's", ownerId: "${MISSING_ID}" }) { id } }`, { token: admin.token });
    expect(unknownOwner.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('logs one line per operation with denials, naming coordinates and rules, and counts them', async () => {
    const before = server.server.authorization.denials.entries().find((entry) => entry.coordinate === 'Query.adminMessage')?.count ?? 0;
    logs.lines.length = 0;
    await server.graphql('query Secrets { adminMessage { text } again: adminMessage { text } }', { token: user.token });
    const denied = logs.lines.filter((line) => line.msg === 'authorization denied');
    expect(denied).toEqual([
      expect.objectContaining({
        operationName: 'Secrets',
        viewerId: user.id,
        denials: [
          { coordinate: 'Query.adminMessage', rule: 'hasPermission', path: 'adminMessage' },
          { coordinate: 'Query.adminMessage', rule: 'hasPermission', path: 'again' },
        ],
      }),
    ]);
    expect(server.server.authorization.denials.entries().find((entry) => entry.coordinate === 'Query.adminMessage')?.count).toBe(before + 2);
  });

  it('plans once per document and permission set: viewers with the same permissions share the plan', async () => {
    const { planner } = server.server.authorization;
    const query = '{ protectedMessage { text } adminMessage { text } menuItems { edges { node { name } } } }';
    const before = planner.stats.plansComputed;
    const first = await server.createUser();
    const second = await server.createUser();
    await server.graphql(query, { token: first.token });
    await server.graphql(query, { token: second.token });
    expect(planner.stats.plansComputed).toBe(before + 1);
    await server.graphql(query, { token: admin.token });
    expect(planner.stats.plansComputed).toBe(before + 2);
  });

  it('costs no per-item check for a guarded field in a page of 100 records', async () => {
    await server.db.prisma.user.createMany({
      data: Array.from({ length: 1000 }, (_, index) => ({ email: `bulk-${index}@plan.test`, fullName: `Bulk ${index}` })),
    });
    const { planner } = server.server.authorization;
    const guards = planner.guards;
    const evaluationsBefore = planner.stats.guardEvaluations;
    const recordChecksBefore = guards.stats.recordChecks;
    const response = await server.graphql<{ users: { edges: { node: { email: string } }[] } }>('{ users(first: 100) { edges { node { id email roles createdAt } } } }', {
      token: admin.token,
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.users.edges).toHaveLength(100);
    // Query.users, then User.email, User.roles and User.createdAt: once each, whatever the list's length.
    expect(planner.stats.guardEvaluations - evaluationsBefore).toBe(4);
    expect(guards.stats.recordChecks - recordChecksBefore).toBe(0);
  });

  it("checks ownership per record only where the data decides: a viewer's own record", async () => {
    const recordChecksBefore = server.server.authorization.planner.guards.stats.recordChecks;
    const response = await server.graphql<{ me: { email: string } }>('{ me { email roles } }', { token: user.token });
    expect(response.body.errors).toBeUndefined();
    expect(server.server.authorization.planner.guards.stats.recordChecks - recordChecksBefore).toBe(2);
  });

  it('keeps the viewer of the request for the whole operation: signing in mid-operation grants nothing', async () => {
    const menuItem = await aMenuItem();
    const response = await server.graphql(
      `mutation ($id: ID!, $email: String!, $password: String!) {
         login(input: { email: $email, password: $password }) { user { email } }
         deleteMenuItem(id: $id) { id }
       }`,
      { variables: { id: menuItem.id, email: menuAdmin.email, password: TEST_PASSWORD } },
    );
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toMatchObject([{ path: ['deleteMenuItem'], extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(await server.db.prisma.menuItem.findUnique({ where: { id: menuItem.id } })).not.toBeNull();
  });

  it("lets an anonymous login read its own user's private fields, and nothing else", async () => {
    const response = await server.graphql<{ login: { user: { email: string; roles: string[] } } }>(
      'mutation ($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { user { email roles } } }',
      { variables: { email: menuAdmin.email, password: TEST_PASSWORD } },
    );
    expect(response.body).toEqual({ data: { login: { user: { email: menuAdmin.email, roles: ['menu-admin'] } } } });
  });
});

describe('authorization in reject mode', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ AUTHZ_UNAUTHORIZED: 'reject' });
    token = (await server.createUser()).token;
  });
  afterAll(() => server?.close());

  it('executes nothing when the plan denies anything, and answers only the denials', async () => {
    const tasksBefore = await server.db.prisma.task.count();
    const response = await server.graphql('{ publicMessage { text } protectedMessage { text } }');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      errors: [expect.objectContaining({ path: ['protectedMessage'], extensions: { code: 'UNAUTHENTICATED', authorization: { coordinate: 'Query.protectedMessage', rule: 'auth', required: [] } } })],
    });
    const mixed = await server.graphql('mutation { createTask(input: { title: "never" }) { id } } ', { token });
    expect(mixed.body.errors).toBeUndefined();
    expect(await server.db.prisma.task.count()).toBe(tasksBefore + 1);
  });

  it('runs an operation the plan allows in full', async () => {
    const response = await server.graphql('{ publicMessage { text } protectedMessage { text } }', { token });
    expect(response.body).toEqual({ data: { publicMessage: { text: 'This is a public message.' }, protectedMessage: { text: 'This is a protected message.' } } });
  });
});
