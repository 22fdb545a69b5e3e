/**
 * Subscriptions over graphql-ws on /graphql, against the real server: who may subscribe to what,
 * per-event filtering on the subscriber's identity, the same document checks as HTTP, and metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestKit, type TestUser } from './kit/index.js';
import { listening, openSocket, type TestSocket } from './helpers/subscriptions.js';

const MENU_CHANGES = 'subscription { menuItemChanged { kind item { id name price } } }';
const TASK_CHANGES = 'subscription { taskChanged { kind task { id title done } } }';
const CREATE_ITEM = 'mutation ($input: CreateMenuItemInput!) { createMenuItem(input: $input) { id } }';
const CREATE_TASK = 'mutation ($title: String!) { createTask(input: { title: $title }) { id } }';
const UPDATE_TASK = 'mutation ($id: ID!) { updateTask(id: $id, input: { done: true }) { id } }';

describe('subscriptions over graphql-ws', () => {
  let kit: TestKit;
  let menuAdmin: TestUser;
  const sockets: TestSocket[] = [];
  const open = async (token?: string) => {
    const socket = await openSocket(kit.url);
    sockets.push(socket);
    await socket.init(token ? { authorization: `Bearer ${token}` } : undefined);
    return socket;
  };

  beforeAll(async () => {
    kit = await startTestServer();
    menuAdmin = await kit.user({ roles: ['menu-admin'] });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await kit?.close();
  });

  it('sends every menu change to an anonymous subscriber, as the menu mutations commit it', async () => {
    const socket = await open();
    socket.subscribe('menu', MENU_CHANGES);
    await listening(kit.server, 1);
    const created = await kit.http<{ createMenuItem: { id: string } }>(CREATE_ITEM, {
      as: menuAdmin,
      variables: { input: { name: 'Lemonade', price: 249, description: 'Fresh', image: 'https://example.com/l.png' } },
    });
    const id = created.body.data!.createMenuItem.id;
    await kit.http('mutation ($id: ID!) { updateMenuItem(id: $id, input: { price: 299 }) { id } }', { as: menuAdmin, variables: { id } });
    await kit.http('mutation ($id: ID!) { deleteMenuItem(id: $id) { id } }', { as: menuAdmin, variables: { id } });
    const events = await socket.next('menu', 3);
    expect(events.map((event) => event.data)).toEqual([
      { menuItemChanged: { kind: 'CREATED', item: { id, name: 'Lemonade', price: 249 } } },
      { menuItemChanged: { kind: 'UPDATED', item: { id, name: 'Lemonade', price: 299 } } },
      { menuItemChanged: { kind: 'DELETED', item: { id, name: 'Lemonade', price: 299 } } },
    ]);
  });

  it('refuses an @auth subscription to an anonymous socket with the denial a query gets, and starts nothing', async () => {
    const socket = await open();
    socket.subscribe('tasks', TASK_CHANGES);
    socket.subscribe('books', 'subscription { bookAdded { id } }');
    expect(await socket.error('tasks')).toEqual([
      expect.objectContaining({ path: ['taskChanged'], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', authorization: expect.objectContaining({ coordinate: 'Subscription.taskChanged', rule: 'auth' }) }) }),
    ]);
    expect((await socket.error('books'))[0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', authorization: { coordinate: 'Subscription.bookAdded' } });
  });

  it('sends each subscriber the events of its own tasks only, whoever holds which permissions', async () => {
    const [alice, bob, admin] = await Promise.all([kit.user(), kit.user(), kit.user({ roles: ['admin'] })]);
    const before = kit.server.subscriptions.listening;
    const [aliceSocket, bobSocket, adminSocket] = await Promise.all([open(alice.token), open(bob.token), open(admin.token)]);
    for (const socket of [aliceSocket, bobSocket, adminSocket]) socket.subscribe('tasks', TASK_CHANGES);
    await listening(kit.server, before + 3);

    const aliceTask = (await kit.http<{ createTask: { id: string } }>(CREATE_TASK, { as: alice, variables: { title: 'Alice only' } })).body.data!.createTask.id;
    const bobTask = (await kit.http<{ createTask: { id: string } }>(CREATE_TASK, { as: bob, variables: { title: 'Bob only' } })).body.data!.createTask.id;
    await kit.http(UPDATE_TASK, { as: alice, variables: { id: aliceTask } });
    // An admin assigning a task to Bob: the event goes to Bob (the owner), not to the admin who wrote it.
    await kit.http('mutation ($owner: ID!) { createTask(input: { title: "Assigned", ownerId: $owner }) { id } }', { as: admin, variables: { owner: bob.user.id } });

    expect((await aliceSocket.next('tasks', 2)).map((event) => event.data)).toEqual([
      { taskChanged: { kind: 'CREATED', task: { id: aliceTask, title: 'Alice only', done: false } } },
      { taskChanged: { kind: 'UPDATED', task: { id: aliceTask, title: 'Alice only', done: true } } },
    ]);
    expect((await bobSocket.next('tasks', 2)).map((event) => event.data)).toEqual([
      { taskChanged: { kind: 'CREATED', task: { id: bobTask, title: 'Bob only', done: false } } },
      { taskChanged: { kind: 'CREATED', task: { id: expect.any(String), title: 'Assigned', done: false } } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(aliceSocket.messages.filter((message) => message.type === 'next')).toHaveLength(2);
    expect(bobSocket.messages.filter((message) => message.type === 'next')).toHaveLength(2);
    expect(adminSocket.messages.filter((message) => message.type === 'next')).toHaveLength(0);

    const metrics = await kit.server.metrics.registry.metrics();
    // Four events, three subscribers: each event reached its owner and was dropped for the other two.
    expect(metrics).toMatch(/graphql_ws_events_filtered_total\{field="taskChanged"\} 8/);
    expect(metrics).toMatch(/graphql_ws_events_delivered_total\{field="taskChanged"\} 4/);
    expect(metrics).toMatch(/graphql_ws_subscriptions_active\{field="taskChanged"\} 3\n/);
    expect(metrics).toMatch(/graphql_ws_subscriptions_active\{field="menuItemChanged"\} 1\n/);
    // The menu socket, the anonymous one refused its subscriptions, and these three.
    expect(metrics).toMatch(/graphql_ws_sockets_open 5\n/);
  });

  it('answers a subscription sent over HTTP with 400 BAD_REQUEST naming graphql-ws, after the same authorization', async () => {
    const anonymous = await kit.http(TASK_CHANGES);
    expect(anonymous.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', authorization: { coordinate: 'Subscription.taskChanged' } });
    const signedIn = await kit.http(TASK_CHANGES, { as: await kit.user() });
    expect(signedIn.status).toBe(400);
    expect(signedIn.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/graphql-ws/), extensions: { code: 'BAD_REQUEST' } });
  });

  it('applies the field guards inside an event for each subscriber, as a query does: partial data and the same denial', async () => {
    const [stranger, reader] = await Promise.all([kit.user(), kit.user({ roles: ['admin'] })]);
    const query = 'subscription { menuItemChanged { kind changedBy { fullName email } } }';
    const before = kit.server.subscriptions.listening;
    const subscribers = { anonymous: await open(), stranger: await open(stranger.token), author: await open(menuAdmin.token), reader: await open(reader.token) };
    for (const socket of Object.values(subscribers)) socket.subscribe('who', query);
    await listening(kit.server, before + 4);
    await kit.http(CREATE_ITEM, { as: menuAdmin, variables: { input: { name: 'Tea', price: 150, description: 'Hot', image: 'https://example.com/t.png' } } });

    const [anonymous, strangers, author, reader_] = await Promise.all(Object.values(subscribers).map(async (socket) => (await socket.next('who'))[0]!));
    const email = menuAdmin.user.email;
    expect(author).toEqual({ data: { menuItemChanged: { kind: 'CREATED', changedBy: { fullName: menuAdmin.user.fullName, email } } } });
    expect(reader_).toEqual({ data: { menuItemChanged: { kind: 'CREATED', changedBy: { fullName: menuAdmin.user.fullName, email } } } });
    for (const [event, code] of [[anonymous!, 'UNAUTHENTICATED'], [strangers!, 'FORBIDDEN']] as const) {
      expect(event.data).toEqual({ menuItemChanged: { kind: 'CREATED', changedBy: { fullName: menuAdmin.user.fullName, email: null } } });
      expect(event.errors).toEqual([
        expect.objectContaining({ path: ['menuItemChanged', 'changedBy', 'email'], extensions: expect.objectContaining({ code, authorization: expect.objectContaining({ coordinate: 'User.email', rule: 'ownerOrPermission' }) }) }),
      ]);
    }
  });
});
