/**
 * graphql-jit and graphql-js behind the executor seam give the client the same response, errors
 * included: codes, messages, paths, locations, masking and the authorization details, on a small
 * schema that fails in every way a resolver can, served by a real Apollo Server with the product's
 * error formatter.
 */
import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../src/kernel/viewer.js';
import { authorizationDirectives } from '../src/authz/directives/index.js';
import { Planner } from '../src/authz/planner/planner.js';
import { SchemaGuards } from '../src/authz/schema-guards.js';
import { createContext, type Context } from '../src/kernel/context.js';
import { createErrorFormatter, notFound } from '../src/kernel/errors.js';
import { DenialCounter, executorGateway } from '../src/server/executor.js';
import type { ExecutorKind } from '../src/server/execution-engine.js';

const TYPE_DEFS = /* GraphQL */ `
  type Query {
    people(limit: Int): [Person!] @public
    broken: String @public
    missing: Person @public
    nonNull: String! @public
    secret: String @hasPermission(permissions: ["read:users"])
    nested: Holder @public
  }
  type Mutation {
    attempt(n: Int!): Holder! @public
  }
  type Holder @public {
    inner: String!
  }
  type Person @public {
    id: ID!
    name: String
    email: String @ownerOrPermission(permissions: ["read:users"])
  }
`;

const PEOPLE = ['ada', 'bob'].map((id) => ({ id, name: id.toUpperCase(), email: `${id}@example.com` }));

async function serverFor(executor: ExecutorKind) {
  const attempts: number[] = [];
  const directives = authorizationDirectives();
  const raw = makeExecutableSchema({
    typeDefs: [...directives.map((directive) => directive.typeDefs), TYPE_DEFS],
    resolvers: {
      Query: {
        people: (_source: unknown, { limit }: { limit?: number }) => PEOPLE.slice(0, limit ?? PEOPLE.length),
        broken: () => {
          throw new Error('connection string postgres://secret@db leaked');
        },
        missing: () => {
          throw notFound('Person');
        },
        nonNull: () => null,
        secret: () => 'classified',
        nested: () => ({ inner: null }),
      },
      Mutation: {
        attempt: (_source: unknown, { n }: { n: number }) => {
          attempts.push(n);
          throw notFound('Attempt');
        },
      },
    },
  });
  const guards = new SchemaGuards(raw, directives);
  const schema = directives.reduce((current, directive) => directive.transformer(current, guards), raw);
  const apollo = new ApolloServer<Context>({
    gateway: executorGateway({ schema, planner: new Planner(guards, { mode: 'filter' }), logger: pino({ level: 'silent' }), denials: new DenialCounter(), executor }),
    formatError: createErrorFormatter(() => {}, () => false),
  });
  await apollo.start();
  return Object.assign(apollo, { attempts });
}

const OPERATIONS: { query: string; variables?: Record<string, unknown>; viewer: Viewer | null }[] = [
  { query: '{ people { id name email } }', viewer: null },
  { query: '{ people { id name email } }', viewer: { userId: 'ada', permissions: new Set(), issuer: 'local' } },
  { query: '{ people { id email } secret }', viewer: { userId: 'x', permissions: new Set(['read:users']), issuer: 'local' } },
  { query: '{ broken missing people { name } }', viewer: null },
  { query: '{ nonNull }', viewer: null },
  { query: 'query People {\n  people {\n    name\n    email\n  }\n  nonNull\n}', viewer: null },
  { query: '{ nested { inner } people { name } }', viewer: null },
  { query: '{ secret people { name } }', viewer: null },
  { query: '{ secret }', viewer: { userId: 'x', permissions: new Set(), issuer: 'local' } },
  { query: 'query ($limit: Int) { people(limit: $limit) { name } }', variables: { limit: 'one' }, viewer: null },
  { query: 'query ($limit: Int!) { people(limit: $limit) { name } }', variables: {}, viewer: null },
  { query: 'query ($limit: Int) { people(limit: $limit) { name } }', variables: { limit: 1 }, viewer: null },
  { query: 'query ($skip: Boolean!) { people { name @skip(if: $skip) id } }', variables: { skip: true }, viewer: null },
];

describe('graphql-jit behind the executor seam', () => {
  it('answers every operation exactly as graphql-js does, errors included', async () => {
    const [jit, graphqlJs] = await Promise.all([serverFor('jit'), serverFor('graphql-js')]);
    for (const { query, variables, viewer } of OPERATIONS) {
      const [a, b] = await Promise.all(
        [jit, graphqlJs].map(async (apollo) => {
          // Twice: the second run takes the compiled query from the cache.
          await apollo.executeOperation({ query, variables }, { contextValue: createContext(viewer) });
          const response = await apollo.executeOperation({ query, variables }, { contextValue: createContext(viewer) });
          return { status: response.http.status, body: response.body };
        }),
      );
      expect(a, query).toEqual(b);
    }
    // Root fields of a mutation run in turn, and the first failure ends the operation (aliased logins rely on it).
    const mutation = 'mutation { a: attempt(n: 1) { inner } b: attempt(n: 2) { inner } }';
    const [jitMutation, graphqlJsMutation] = await Promise.all([jit, graphqlJs].map((apollo) => apollo.executeOperation({ query: mutation }, { contextValue: createContext(null) })));
    expect(jitMutation!.body).toEqual(graphqlJsMutation!.body);
    expect(jit.attempts).toEqual([1]);
    expect(graphqlJs.attempts).toEqual([1]);

    const masked = await jit.executeOperation({ query: '{ broken }' }, { contextValue: createContext(null) });
    expect(JSON.stringify(masked.body)).not.toContain('postgres://');
    expect(JSON.stringify(masked.body)).toContain('INTERNAL_SERVER_ERROR');
    await Promise.all([jit.stop(), graphqlJs.stop()]);
  });
});
