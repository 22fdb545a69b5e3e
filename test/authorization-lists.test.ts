/**
 * Denials inside lists, on a small schema of its own run by a real Apollo Server through the
 * product's executor and planner: one error per denied selection, with `"@"` marking the list
 * position, whether the plan denied the field or the records did.
 */
import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../src/kernel/viewer.js';
import { assertAuthorizationComplete } from '../src/authz/audit.js';
import { authorizationDirectives } from '../src/authz/directives/index.js';
import { Planner, type UnauthorizedMode } from '../src/authz/planner/planner.js';
import { SchemaGuards } from '../src/authz/schema-guards.js';
import { createContext, type Context } from '../src/kernel/context.js';
import { DenialCounter, executorGateway } from '../src/server/executor.js';

const TYPE_DEFS = /* GraphQL */ `
  type Query {
    people: [Person!] @public
    team: Team @public
  }
  type Team @public {
    name: String
    rosters: [[Person!]!]
  }
  type Person @public {
    id: ID!
    name: String
    salary: Int @hasPermission(permissions: ["read:users"])
    email: String @ownerOrPermission(permissions: ["read:users"])
  }
`;

const PEOPLE = ['ada', 'bob', 'cy'].map((id) => ({ id, name: id.toUpperCase(), salary: 100, email: `${id}@example.com` }));

async function serverFor(mode: UnauthorizedMode) {
  const calls = { people: 0 };
  const directives = authorizationDirectives();
  const raw = makeExecutableSchema({
    typeDefs: [...directives.map((directive) => directive.typeDefs), TYPE_DEFS],
    resolvers: {
      Query: {
        people: () => {
          calls.people += 1;
          return PEOPLE;
        },
        team: () => ({ name: 'Core', rosters: [PEOPLE.slice(0, 2), PEOPLE.slice(2)] }),
      },
    },
  });
  const guards = new SchemaGuards(raw, directives);
  assertAuthorizationComplete(guards);
  const schema = directives.reduce((current, directive) => directive.transformer(current, guards), raw);
  const apollo = new ApolloServer<Context>({ gateway: executorGateway({ schema, planner: new Planner(guards, { mode }), logger: pino({ level: 'silent' }), denials: new DenialCounter() }) });
  await apollo.start();
  return { apollo, calls };
}

async function run(apollo: ApolloServer<Context>, query: string, viewer: Viewer | null) {
  const response = await apollo.executeOperation({ query }, { contextValue: createContext(viewer) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

const reader = (userId: string, permissions: string[] = []): Viewer => ({ userId, permissions: new Set(permissions), issuer: 'local' });

describe('denials inside lists', () => {
  it('gives one error for a field the plan denies in every item, and nulls it in each', async () => {
    const { apollo } = await serverFor('filter');
    const result = await run(apollo, '{ people { name salary } }', reader('ada'));
    expect(result.data).toEqual({ people: PEOPLE.map(({ name }) => ({ name, salary: null })) });
    expect(result.errors).toEqual([
      expect.objectContaining({ path: ['people', '@', 'salary'], extensions: expect.objectContaining({ code: 'FORBIDDEN', authorization: expect.objectContaining({ coordinate: 'Person.salary' }) }) }),
    ]);
    await apollo.stop();
  });

  it('marks each level of a list of lists', async () => {
    const { apollo } = await serverFor('filter');
    const result = await run(apollo, '{ team { name rosters { salary } } }', null);
    expect(result.data).toEqual({ team: { name: 'Core', rosters: [[{ salary: null }, { salary: null }], [{ salary: null }]] } });
    expect(result.errors?.map((error) => error.path)).toEqual([['team', 'rosters', '@', '@', 'salary']]);
    await apollo.stop();
  });

  it('collapses the per-record denials of an owner rule into one error, and shows the owner their own', async () => {
    const { apollo } = await serverFor('filter');
    const result = await run(apollo, '{ people { id email } }', reader('bob'));
    expect(result.data).toEqual({ people: [{ id: 'ada', email: null }, { id: 'bob', email: 'bob@example.com' }, { id: 'cy', email: null }] });
    expect(result.errors).toEqual([
      expect.objectContaining({ path: ['people', '@', 'email'], extensions: expect.objectContaining({ code: 'FORBIDDEN', authorization: expect.objectContaining({ rule: 'ownerOrPermission' }) }) }),
    ]);
    await apollo.stop();
  });

  it('in reject mode, resolves nothing at all when the plan denies a field deep in a list', async () => {
    const { apollo, calls } = await serverFor('reject');
    const result = await run(apollo, '{ people { name salary } }', reader('ada'));
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((error) => error.path)).toEqual([['people', '@', 'salary']]);
    expect(calls.people).toBe(0);
    await run(apollo, '{ people { name salary } }', reader('ada', ['read:users']));
    expect(calls.people).toBe(1);
    await apollo.stop();
  });
});
