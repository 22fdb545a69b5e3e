import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTaskDocument, MyTasksDocument } from '../client/generated/graphql.js';
import { startTestServer, type TestKit, type TestUser } from './kit/index.js';

describe('tasks (the task manager): each viewer sees only their own', () => {
  let api: TestKit;
  let alice: TestUser;
  let bob: TestUser;
  let aliceTaskId: string;

  beforeAll(async () => {
    api = await startTestServer();
    alice = await api.user({ fullName: 'Alice' });
    bob = await api.user({ fullName: 'Bob' });
    const created = await api.http(CreateTaskDocument, { as: alice, variables: { title: "Alice's secret plan" } });
    expect(created.body.data?.createTask).toMatchObject({ title: "Alice's secret plan", done: false });
    aliceTaskId = created.body.data!.createTask!.id;
  });
  afterAll(() => api?.close());

  it('lists the viewer\'s tasks, newest first', async () => {
    await api.http(CreateTaskDocument, { as: alice, variables: { title: 'Second' } });
    const response = await api.http(MyTasksDocument, { as: alice });
    expect(response.body.data!.myTasks!.edges.map(({ node }) => node.title)).toEqual(['Second', "Alice's secret plan"]);
    const bobs = await api.http(MyTasksDocument, { as: bob });
    expect(bobs.body.data?.myTasks).toMatchObject({ edges: [], totalCount: 0 });
  });

  it("answers NOT_FOUND, never FORBIDDEN, for another user's task, through every path that reaches it", async () => {
    const variables = { id: aliceTaskId };
    const read = await api.http('query ($id: ID!) { task(id: $id) { id title } }', { as: bob, variables });
    expect(read.body).toEqual({ data: { task: null } });
    for (const mutation of [
      'mutation ($id: ID!) { updateTask(id: $id, input: { done: true }) { id } }',
      'mutation ($id: ID!) { deleteTask(id: $id) { id } }',
    ]) {
      const response = await api.http(mutation, { as: bob, variables });
      expect(response.body.errors?.[0]).toMatchObject({ message: 'Task not found', extensions: { code: 'NOT_FOUND' } });
    }
    expect(await api.db.prisma.task.findUnique({ where: { id: aliceTaskId } })).toMatchObject({ done: false });
  });

  it('lets the owner update and delete a task', async () => {
    const { id } = await api.seed.task(alice, { title: 'Chores' });
    const updated = await api.http('mutation ($id: ID!) { updateTask(id: $id, input: { done: true }) { id done title } }', { as: alice, variables: { id } });
    expect(updated.body.data).toEqual({ updateTask: { id, done: true, title: 'Chores' } });
    const deleted = await api.http('mutation ($id: ID!) { deleteTask(id: $id) { id } }', { as: alice, variables: { id } });
    expect(deleted.body.data).toEqual({ deleteTask: { id } });
    const again = await api.http('mutation ($id: ID!) { deleteTask(id: $id) { id } }', { as: alice, variables: { id } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses an empty or over-long title', async () => {
    for (const title of ['   ', 'x'.repeat(201)]) {
      const response = await api.http(CreateTaskDocument, { as: alice, variables: { title } });
      expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
    }
  });
});
