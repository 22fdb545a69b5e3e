/**
 * A field selected on an interface resolves on each record's concrete type, so the planner
 * decides it per possible type: the guard of that type's own field (or the interface's, when the
 * type states none). On a small schema with an interface and a union, executed by both engines.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authorizationDirectives } from '../src/authz/directives/index.js';
import { denialErrors, nullDeniedFields, Planner } from '../src/authz/planner/planner.js';
import { SchemaGuards } from '../src/authz/schema-guards.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { executionEngine, type ExecutorKind } from '../src/server/execution-engine.js';

const TYPE_DEFS = /* GraphQL */ `
  type Query {
    accounts: [Account!]! @public
    anyone: [Anyone!]! @public
  }
  interface Account {
    id: ID!
    secret: String
    audit: String @hasPermission(permissions: ["read:audit"])
  }
  type Member implements Account {
    id: ID!
    secret: String @public
    audit: String
  }
  type Staff implements Account {
    id: ID!
    secret: String @hasPermission(permissions: ["read:staff"])
    audit: String
  }
  type Guest {
    id: ID!
  }
  union Anyone = Member | Staff | Guest
`;

const RECORDS = [
  { __typename: 'Member', id: 'm1', secret: 'member secret', audit: 'm1 audit' },
  { __typename: 'Staff', id: 's1', secret: 'staff secret', audit: 's1 audit' },
  { __typename: 'Member', id: 'm2', secret: 'other member secret', audit: 'm2 audit' },
];

const directives = authorizationDirectives();
const schema = makeExecutableSchema({
  typeDefs: [...directives.map((directive) => directive.typeDefs), TYPE_DEFS],
  resolvers: {
    Query: { accounts: () => RECORDS, anyone: () => [...RECORDS, { __typename: 'Guest', id: 'g1' }] },
    Account: { __resolveType: (record: { __typename: string }) => record.__typename },
    Anyone: { __resolveType: (record: { __typename: string }) => record.__typename },
  },
});
const guards = new SchemaGuards(schema, directives);
const viewer = (...permissions: string[]): Viewer => ({ userId: 'u1', issuer: 'local', permissions: new Set(permissions) });

async function run(executor: ExecutorKind, query: string, as: Viewer) {
  const planner = new Planner(guards, { mode: 'filter' });
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const plan = planner.plan({ document, operationName: undefined, documentKey: query, viewer: as });
  const result = await executionEngine(schema, executor)({ document: plan.document, operationName: undefined, contextValue: { viewer: as }, variableValues: {} });
  expect(result.errors).toBeUndefined();
  const data = result.data as Record<string, unknown>;
  nullDeniedFields(data, plan.denials);
  return { data, errors: denialErrors(plan, as).map((error) => ({ path: error.path, coordinate: (error.extensions.authorization as { coordinate: string }).coordinate })) };
}

describe.each(['jit', 'graphql-js'] as const)('a field selected on an interface or a union, with %s', (executor) => {
  it("nulls the field only on records of a type whose own guard denies it, and keeps the others' values", async () => {
    const { data, errors } = await run(executor, '{ accounts { id secret } }', viewer());
    expect(data).toEqual({
      accounts: [
        { id: 'm1', secret: 'member secret' },
        { id: 's1', secret: null },
        { id: 'm2', secret: 'other member secret' },
      ],
    });
    expect(errors).toEqual([{ path: ['accounts', '@', 'secret'], coordinate: 'Staff.secret' }]);
  });

  it('lets a viewer holding the concrete type’s permission read every record', async () => {
    const { data, errors } = await run(executor, '{ accounts { id secret } }', viewer('read:staff'));
    expect(data.accounts).toEqual(RECORDS.map(({ id, secret }) => ({ id, secret })));
    expect(errors).toEqual([]);
  });

  it('decides the same through a union, an interface fragment inside it, and a concrete fragment', async () => {
    const { data, errors } = await run(executor, '{ anyone { __typename ... on Account { secret } ... on Staff { id } } }', viewer());
    expect(data.anyone).toEqual([
      { __typename: 'Member', secret: 'member secret' },
      { __typename: 'Staff', secret: null, id: 's1' },
      { __typename: 'Member', secret: 'other member secret' },
      { __typename: 'Guest' },
    ]);
    expect(errors).toEqual([{ path: ['anyone', '@', 'secret'], coordinate: 'Staff.secret' }]);
    const direct = await run(executor, '{ anyone { ... on Staff { secret } ... on Member { secret } } }', viewer());
    expect(direct.data.anyone).toEqual([{ secret: 'member secret' }, { secret: null }, { secret: 'other member secret' }, {}]);
  });

  it("keeps the interface's guard for types that state none, and denies the field wholly when every type denies it", async () => {
    const { data, errors } = await run(executor, '{ accounts { id audit } }', viewer('read:staff'));
    expect(data.accounts).toEqual(RECORDS.map(({ id }) => ({ id, audit: null })));
    expect(errors).toEqual([{ path: ['accounts', '@', 'audit'], coordinate: 'Account.audit' }]);
  });
});
