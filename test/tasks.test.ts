import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('tasks (the task manager): each viewer sees only their own', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let aliceTaskId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = (await server.createUser({ fullName: 'Alice' })).token;
    bob = (await server.createUser({ fullName: 'Bob' })).token;
    const created = await server.graphql<{ createTask: { id: string } }>('mutation { createTask(input: { title: "Alice\'s secret plan" }) { id title done createdAt } }', { token: alice });
    expect(created.body.data?.createTask).toMatchObject({ title: "Alice's secret plan", done: false });
    aliceTaskId = created.body.data!.createTask.id;
  });
  afterAll(() => server?.close());

  it('lists the viewer\'s tasks, newest first', async () => {
    await server.graphql('mutation { createTask(input: { title: "Second" }) { id } }', { token: alice });
    const response = await server.graphql<{ myTasks: { edges: { node: { title: string } }[] } }>('{ myTasks { edges { node { title } } } }', { token: alice });
    expect(response.body.data!.myTasks.edges.map(({ node }) => node.title)).toEqual(['Second', "Alice's secret plan"]);
    const bobs = await server.graphql('{ myTasks { edges { node { title } } totalCount } }', { token: bob });
    expect(bobs.body.data).toEqual({ myTasks: { edges: [], totalCount: 0 } });
  });

  it("answers NOT_FOUND, never FORBIDDEN, for another user's task, through every path that reaches it", async () => {
    const variables = { id: aliceTaskId };
    const read = await server.graphql('query ($id: ID!) { task(id: $id) { id title } }', { token: bob, variables });
    expect(read.body).toEqual({ data: { task: null } });
    for (const mutation of [
      'mutation ($id: ID!) { updateTask(id: $id, input: { done: true }) { id } }',
      'mutation ($id: ID!) { deleteTask(id: $id) { id } }',
    ]) {
      const response = await server.graphql(mutation, { token: bob, variables });
      expect(response.body.errors?.[0]).toMatchObject({ message: 'Task not found', extensions: { code: 'NOT_FOUND' } });
    }
    expect(await server.db.prisma.task.findUnique({ where: { id: aliceTaskId } })).toMatchObject({ done: false });
  });

  it('lets the owner update and delete a task', async () => {
    const updated = await server.graphql('mutation ($id: ID!) { updateTask(id: $id, input: { done: true }) { id done title } }', { token: alice, variables: { id: aliceTaskId } });
    expect(updated.body.data).toEqual({ updateTask: { id: aliceTaskId, done: true, title: "Alice's secret plan" } });
    const deleted = await server.graphql('mutation ($id: ID!) { deleteTask(id: $id) { id } }', { token: alice, variables: { id: aliceTaskId } });
    expect(deleted.body.data).toEqual({ deleteTask: { id: aliceTaskId } });
    const again = await server.graphql('mutation ($id: ID!) { deleteTask(id: $id) { id } }', { token: alice, variables: { id: aliceTaskId } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses an empty or over-long title', async () => {
    for (const title of ['   ', 'x'.repeat(201)]) {
      const response = await server.graphql('mutation ($title: String!) { createTask(input: { title: $title }) { id } }', { token: alice, variables: { title } });
      expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
    }
  });
});
