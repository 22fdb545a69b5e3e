/**
 * Broken object-level authorization: another user's task, reached by id through every path
 * the schema offers (found from the schema itself, so a new path is covered or flagged),
 * by a local or an external identity, is never shown, changed or deleted.
 */
import { getNamedType, type GraphQLField } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/server/schema.js';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { operationFor } from '../helpers/operations.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawRequest } from './helpers.js';

const SECRET_TITLE = "Alice's secret plan";
const { schema } = buildSchema();
const taskPaths = (['query', 'mutation'] as const).flatMap((kind) => {
  const type = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  return Object.values(type.getFields())
    .filter((field) => ['Task', 'TaskConnection'].includes(getNamedType(field.type).name))
    .map((field) => ({ kind, field }));
});

/** An operation that aims `field` at the task `$id`, with placeholder values for every other argument. */
function operationAt(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const takesId = field.args.some((arg) => arg.name === 'id');
  const connection = getNamedType(field.type).name === 'TaskConnection';
  const { query, variables } = operationFor(kind, field, { selection: connection ? '{ edges { cursor node { id title done } } }' : '{ id title done }', fillOptional: true });
  // A whole page, read from the start: placeholder cursors would only be refused as BAD_USER_INPUT.
  return { takesId, query, variables: connection ? { ...variables, first: 100, after: null, last: null, before: null } : variables };
}

describe("another user's task", () => {
  let server: TestServer;
  let issuer: TestIssuer;
  let aliceTaskId: string;
  let intruders: { name: string; token: string | undefined }[];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await startTestServer({ OIDC_ISSUERS: JSON.stringify([issuer.configEntry()]) });
    const alice = await server.createUser({ fullName: 'Alice' });
    const created = await server.graphql<{ createTask: { id: string } }>(`mutation { createTask(input: { title: "${SECRET_TITLE}" }) { id } }`, { token: alice.token });
    aliceTaskId = created.body.data!.createTask.id;
    intruders = [
      { name: 'another local user', token: (await server.createUser({ fullName: 'Bob' })).token },
      { name: 'an admin (tasks are private even to admins)', token: (await server.createUser({ roles: ['admin'] })).token },
      { name: 'an external identity', token: issuer.sign({ sub: 'auth0|mallory' }) },
      { name: 'an anonymous client', token: undefined },
    ];
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
  });

  const expectUntouched = async () => {
    expect(await server.db.prisma.task.findUnique({ where: { id: aliceTaskId } })).toMatchObject({ title: SECRET_TITLE, done: false });
  };

  it('is reachable only through the paths this test knows (a new one must be added here)', () => {
    expect(taskPaths.map(({ kind, field }) => `${kind}.${field.name}`).sort()).toEqual(['mutation.createTask', 'mutation.deleteTask', 'mutation.updateTask', 'query.myTasks', 'query.task']);
  });

  for (const { kind, field } of taskPaths) {
    it(`${kind}.${field.name}: never reveals, changes or deletes it, for any intruder`, async () => {
      const { takesId, query, variables } = operationAt(kind, field);
      for (const intruder of intruders) {
        const response = await server.graphql(query, { token: intruder.token, variables: { ...variables, ...(takesId && { id: aliceTaskId }) } });
        const text = JSON.stringify(response.body);
        expect(text, `${intruder.name}: ${text}`).not.toContain(SECRET_TITLE);
        expect(text, `${intruder.name}: ${text}`).not.toContain(aliceTaskId);
        if (takesId && intruder.token) {
          // NOT_FOUND (or null), never FORBIDDEN: the answer must not confirm that the id exists.
          expect(response.body.errors?.map((error) => error.extensions?.code) ?? [], intruder.name).not.toContain('FORBIDDEN');
          if (kind === 'mutation') expect(response.body.errors?.[0]?.extensions?.code, intruder.name).toBe('NOT_FOUND');
        }
      }
      await expectUntouched();
    });
  }

  it('gives the same answer for her task id as for an id that does not exist', async () => {
    const bob = intruders[0]!.token;
    for (const { kind, field } of taskPaths) {
      const { takesId, query, variables } = operationAt(kind, field);
      if (!takesId) continue;
      const hers = await server.graphql(query, { token: bob, variables: { ...variables, id: aliceTaskId } });
      const none = await server.graphql(query, { token: bob, variables: { ...variables, id: '00000000-0000-4000-8000-000000000000' } });
      expect(hers.body, field.name).toEqual(none.body);
    }
  });

  it('stays hidden through aliases, fragments, GET, and hostile id values', async () => {
    const bob = intruders[0]!.token!;
    const aliased = await server.graphql(`query ($id: ID!) { a: task(id: $id) { ...T } b: task(id: $id) { ... on Task { title } } mine: myTasks { edges { node { ...T } } } } fragment T on Task { id title }`, { token: bob, variables: { id: aliceTaskId } });
    expect(aliased.body).toEqual({ data: { a: null, b: null, mine: { edges: expect.any(Array) } } });
    expect(JSON.stringify(aliased.body)).not.toContain(SECRET_TITLE);
    const viaGet = await rawRequest(server, {
      method: 'GET',
      headers: { authorization: `Bearer ${bob}`, 'apollo-require-preflight': 'true' },
      search: `?query=${encodeURIComponent('query ($id: ID!) { task(id: $id) { title } }')}&variables=${encodeURIComponent(JSON.stringify({ id: aliceTaskId }))}`,
    });
    expect(viaGet.body).toEqual({ data: { task: null } });
    for (const id of ["' OR '1'='1", `${aliceTaskId}' --`, aliceTaskId.toUpperCase(), ` ${aliceTaskId}`, '*']) {
      const response = await server.graphql('query ($id: ID!) { task(id: $id) { title } }', { token: bob, variables: { id } });
      expect(JSON.stringify(response.body), id).not.toContain(SECRET_TITLE);
    }
    await expectUntouched();
  });
});
