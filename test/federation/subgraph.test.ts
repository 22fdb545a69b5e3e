/**
 * SUBGRAPH=on without a gateway: the exported SDL (our guards in federation's words, the committed
 * subgraph.graphql), the audit of `_service` and `_entities`, and `_entities` itself over real HTTP:
 * batched loads, per-representation denials, and bad representations refused before any SQL runs.
 */
import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAuthorization } from '../../src/authz/audit.js';
import { authorizationDirectives } from '../../src/authz/directives/index.js';
import { EntityGuards } from '../../src/authz/entities.js';
import { federationFieldDirectives } from '../../src/authz/federation.js';
import { SchemaGuards } from '../../src/authz/schema-guards.js';
import { loadConfig } from '../../src/config.js';
import type { Services } from '../../src/server/services.js';
import { buildSchema } from '../../src/server/schema.js';
import { buildSubgraph, moduleReferences } from '../../src/server/subgraph.js';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer, TEST_ENV, type TestServer } from '../helpers/server.js';

const guardsOf = (sdl: string) => {
  const directives = authorizationDirectives();
  return new SchemaGuards(makeExecutableSchema({ typeDefs: [...directives.map((directive) => directive.typeDefs), sdl] }), directives);
};

const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Book { title } ... on User { fullName email } ... on Task { title } } }';

describe('the subgraph SDL', () => {
  it('translates each guard into the federation directive with the same meaning', () => {
    const directives = federationFieldDirectives(
      guardsOf(`
        type Query {
          signedIn: String @auth
          both: String @hasPermission(permissions: ["create:items", "update:items"])
          either: String @hasPermission(permissions: ["create:items", "update:items"], mode: ANY)
          open: Account @public
        }
        type Account @ownerOrPermission(permissions: ["read:users"]) { id: ID! @public  email: String }
      `),
    );
    expect(Object.fromEntries([...directives].map(([coordinate, directive]) => [coordinate, print(directive)]))).toEqual({
      'Query.signedIn': '@authenticated',
      'Query.both': '@requiresScopes(scopes: [["create:items", "update:items"]])',
      'Query.either': '@requiresScopes(scopes: [["create:items"], ["update:items"]])',
      // A type's decision reaches each of its fields, as the planner applies it; @public fields carry none.
      'Account.email': '@policy(policies: [["ownerOrPermission:read:users"]])',
    });
  });

  it('is not served without SUBGRAPH=on', () => {
    const fields = buildSchema().schema.getQueryType()!.getFields();
    expect(fields._service).toBeUndefined();
    expect(fields._entities).toBeUndefined();
  });
});

describe('the audit of the federation fields', () => {
  it("decides this API's entities by their lookup fields, and User by its type", () => {
    const { entities } = buildSubgraph({ references: moduleReferences({} as Services), maxRepresentations: 100, mode: 'filter' });
    expect(Object.fromEntries(['Book', 'MenuItem', 'Task', 'User'].map((type) => [type, entities.decision(type)]))).toEqual({
      Book: { from: 'Query.book', guard: null },
      MenuItem: { from: 'Query.menuItem', guard: null },
      Task: { from: 'Query.task', guard: expect.objectContaining({ rule: 'auth' }) },
      User: { from: 'User', guard: expect.objectContaining({ rule: 'ownerOrPermission', permissions: ['read:users'] }) },
    });
  });

  it('decides each entity by its lookup field, else by its type, and refuses one with neither', () => {
    const guards = guardsOf(`
      type Query { gadget(id: ID!): Gadget @auth  gizmos: [Gizmo] @public }
      type Gadget { id: ID! }
      type Widget @hasPermission(permissions: ["read:users"]) { id: ID! }
      type Gizmo { id: ID! }
    `);
    const entities = new EntityGuards(guards, ['Gadget', 'Widget', 'Gizmo'], 100);
    expect(entities.decision('Gadget')).toMatchObject({ from: 'Query.gadget', guard: { rule: 'auth' } });
    expect(entities.decision('Widget')).toMatchObject({ from: 'Widget', guard: { rule: 'hasPermission', permissions: ['read:users'] } });
    expect(entities.problems()).toEqual([
      'Gizmo is an entity (_entities reads it by id) with no decision: add a Query field that reads one Gizmo by id, or a decision on the type',
    ]);
    const audit = auditAuthorization(guardsOf('type Query { _entities: [String] }'), { decidedElsewhere: new Map([['Query._entities', entities.problems()]]) });
    expect(audit).toEqual(entities.problems());
  });

  it('refuses SUBGRAPH=on where trusted documents are enforced (a gateway query plan is no trusted document)', () => {
    expect(() => loadConfig({ ...TEST_ENV, SUBGRAPH: 'on', TRUSTED_DOCUMENTS: 'enforce' })).toThrow(/SUBGRAPH=on cannot enforce trusted documents/);
    expect(() => loadConfig({ JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!', SUBGRAPH: 'on', SEED_DEMO_DATA: 'false' })).toThrow(/TRUSTED_DOCUMENTS=off/);
    expect(loadConfig({ ...TEST_ENV, SUBGRAPH: 'on', TRUSTED_DOCUMENTS: 'log' }).subgraph.enabled).toBe(true);
  });
});

describe('_entities over HTTP', () => {
  const statements: string[] = [];
  let server: TestServer;
  let ada: { token: string; id: string };
  let bo: { token: string; id: string };
  let bookIds: string[];
  let adaTaskId: string;

  beforeAll(async () => {
    const db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
    // A gateway may need a bigger body than a browser; the representations limit still holds.
    server = await startTestServer({ SUBGRAPH: 'on', GRAPHQL_MAX_BODY_BYTES: String(2 * 1024 * 1024) }, { db });
    const first = await server.createUser({ fullName: 'Ada' });
    ada = { token: first.token, id: first.user.id };
    const second = await server.createUser({ fullName: 'Bo' });
    bo = { token: second.token, id: second.user.id };
    await db.prisma.book.createMany({ data: Array.from({ length: 30 }, (_, index) => ({ title: `Book ${index}`, author: 'Author', publishedYear: 2000 })) });
    bookIds = (await db.prisma.book.findMany({ select: { id: true } })).map((book) => book.id);
    adaTaskId = (await db.prisma.task.create({ data: { title: 'Ada only', ownerId: ada.id } })).id;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  async function counting<T>(run: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
    statements.length = 0;
    const result = await run();
    return { result, sql: [...statements] };
  }

  it('is what _service answers, committed as subgraph.graphql (npm run codegen)', async () => {
    const { body } = await server.graphql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const committed = readFileSync(new URL('../../subgraph.graphql', import.meta.url), 'utf8');
    expect(`${body.data!._service.sdl}\n`).toBe(committed);
    for (const entity of ['Book', 'MenuItem', 'Task', 'User']) expect(committed).toMatch(new RegExp(`type ${entity}\\b[^{]*@key\\(fields: "id"\\)`));
    expect(committed).toContain('books(');
    expect(committed).toMatch(/\): BookConnection @auth @authenticated/);
    expect(committed).toMatch(/email: String @policy\(policies: \[\["ownerOrPermission:read:users"\]\]\)/);
    // Federation has no directive for arguments: the guard stays ours, enforced by the subgraph alone.
    expect(committed).toMatch(/includeDisabled: Boolean = false @hasPermission\(permissions: \["manage:users"\]\)\n/);

    // Apollo's inline traces (resolver timings) are off, whoever asks for them.
    const traced = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-federation-include-trace': 'ftv1' },
      body: JSON.stringify({ query: '{ publicMessage { text } }' }),
    });
    expect(((await traced.json()) as { extensions?: Record<string, unknown> }).extensions?.ftv1).toBeUndefined();
  });

  it('loads 30 books with one SQL statement', async () => {
    const representations = bookIds.map((id) => ({ __typename: 'Book', id }));
    const { result, sql } = await counting(() => server.graphql<{ _entities: { title: string }[] }>(ENTITIES, { variables: { r: representations } }));
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!._entities).toHaveLength(30);
    expect(result.body.data!._entities.every((book) => book.title.startsWith('Book '))).toBe(true);
    expect(sql.filter((statement) => /\bbooks\b/i.test(statement))).toHaveLength(1);
  });

  it('reads 30 users with their roles in as many statements as 2', async () => {
    const ids = [ada.id, bo.id];
    for (let index = 0; index < 28; index += 1) ids.push((await server.createUser({ roles: ['book-admin'] })).user.id);
    const read = (count: number) => counting(() => server.graphql(ENTITIES.replace('fullName email', 'fullName email roles'), { variables: { r: ids.slice(0, count).map((id) => ({ __typename: 'User', id })) }, token: ada.token }));
    const two = await read(2);
    const thirty = await read(30);
    // Others' emails and roles are Ada's to be denied; nothing else goes wrong.
    expect((thirty.result.body.errors ?? []).filter((error) => error.extensions?.code !== 'FORBIDDEN')).toEqual([]);
    expect(thirty.result.body.data!._entities).toHaveLength(30);
    expect(thirty.sql.length).toBe(two.sql.length);
    expect(thirty.sql.length).toBeLessThanOrEqual(5);
  });

  it("gives a representation the viewer may not see the root field's denial, and still answers the rest", async () => {
    const r = [{ __typename: 'Book', id: bookIds[0] }, { __typename: 'Task', id: adaTaskId }, { __typename: 'User', id: ada.id }, { __typename: 'Book', id: 'no-such-book' }];
    const { body } = await server.graphql<{ _entities: unknown[] }>(ENTITIES, { variables: { r }, token: bo.token });
    expect(body.data!._entities).toEqual([
      { __typename: 'Book', title: 'Book 0' },
      null, // Ada's task: not found for Bo, as Query.task answers
      { __typename: 'User', fullName: 'Ada', email: null },
      null,
    ]);
    expect(body.errors).toEqual([expect.objectContaining({ path: ['_entities', '@', 'email'], extensions: expect.objectContaining({ code: 'FORBIDDEN', authorization: expect.objectContaining({ coordinate: 'User.email' }) }) })]);

    const anonymous = await server.graphql<{ _entities: unknown[] }>(ENTITIES, { variables: { r: r.slice(0, 2) } });
    expect(anonymous.body.data!._entities).toEqual([{ __typename: 'Book', title: 'Book 0' }, null]);
    expect(anonymous.body.errors).toEqual([expect.objectContaining({ message: 'Requires authentication', extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', authorization: expect.objectContaining({ coordinate: 'Query.task', rule: 'auth' }) }) })]);
  });

  it("never shares one viewer's entities with another of the same permissions (the response cache stores no _entities answer)", async () => {
    const r = [{ __typename: 'Task', id: adaTaskId }];
    expect((await server.graphql(ENTITIES, { variables: { r }, token: ada.token })).body).toEqual({ data: { _entities: [{ __typename: 'Task', title: 'Ada only' }] } });
    expect((await server.graphql(ENTITIES, { variables: { r }, token: ada.token })).body).toEqual({ data: { _entities: [{ __typename: 'Task', title: 'Ada only' }] } });
    expect((await server.graphql(ENTITIES, { variables: { r }, token: bo.token })).body).toEqual({ data: { _entities: [null] } });
  });

  it.each([
    ['an unknown __typename', [{ __typename: 'Invoice', id: '1' }], 'representations[0].__typename', /Unknown entity type "Invoice"; expected one of: Book, MenuItem, Task, User/],
    ['a type that is no entity', [{ __typename: 'Message', id: '1' }], 'representations[0].__typename', /Unknown entity type "Message"/],
    ['a number for the id', [{ __typename: 'Book', id: 7 }], 'representations[0].id', /Book.id must be a non-empty ID string/],
    ['an object for the id', [{ __typename: 'Book', id: { in: ['a', 'b'] } }], 'representations[0].id', /must be a non-empty ID string/],
    ['no id', [{ __typename: 'User' }], 'representations[0].id', /User.id must be/],
    ['no object', ['Book'], 'representations[0]', /A representation is an object/],
  ])('refuses %s with BAD_USER_INPUT, loading nothing', async (_case, r, field, message) => {
    const { result, sql } = await counting(() => server.graphql(ENTITIES, { variables: { r } }));
    expect(result.status).toBe(200);
    expect(result.body.data).toBeNull();
    expect(result.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', field } })]);
    expect(sql).toEqual([]);
  });

  it('refuses 10,000 representations (more than a page of a list) before any SQL runs', async () => {
    const r = Array.from({ length: 10_000 }, (_, index) => ({ __typename: 'Book', id: bookIds[index % bookIds.length] }));
    const { result, sql } = await counting(() => server.graphql(ENTITIES, { variables: { r } }));
    expect(result.status).toBe(200);
    expect(result.body.errors).toEqual([
      expect.objectContaining({ message: 'At most 100 representations per request (GRAPHQL_MAX_PAGE_SIZE), got 10000', extensions: { code: 'BAD_USER_INPUT', field: 'representations' } }),
    ]);
    expect(sql).toEqual([]);
  });

});

describe('with the default body limit, in reject mode', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ SUBGRAPH: 'on', AUTHZ_UNAUTHORIZED: 'reject' });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('refuses 10,000 representations as 413, never a 500', async () => {
    const r = Array.from({ length: 10_000 }, (_, index) => ({ __typename: 'Book', id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}` }));
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: ENTITIES, variables: { r } }) });
    expect(response.status).toBe(413);
  });

  it('refuses the whole _entities field when one representation is denied', async () => {
    const { user } = await server.createUser();
    const task = await server.db.prisma.task.create({ data: { title: 'hidden', ownerId: user.id } });
    const book = await server.db.prisma.book.create({ data: { title: 'Open', author: 'A', publishedYear: 2001 } });
    const { body } = await server.graphql(ENTITIES, { variables: { r: [{ __typename: 'Book', id: book.id }, { __typename: 'Task', id: task.id }] } });
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({ path: ['_entities'], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
  });
});
