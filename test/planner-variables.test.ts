/**
 * The planner on a small schema with what the product schema lacks today: guarded values inside
 * lists, a recursive input type, a guarded input field with a default, and a guarded argument
 * with one. The same generated spellings as test/security/guarded-values.test.ts, decided by
 * the planner directly, plus the cases a list of spellings cannot show.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authorizationDirectives } from '../src/authz/directives/index.js';
import { Planner } from '../src/authz/planner/planner.js';
import { SchemaGuards } from '../src/authz/schema-guards.js';
import type { Viewer } from '../src/kernel/viewer.js';
import { guardedPositions, guardedValueCoordinates, spellingsOf } from './helpers/guarded-spellings.js';

const TYPE_DEFS = /* GraphQL */ `
  type Query {
    search(filter: Filter, filters: [Filter!], flag: Boolean = false @hasPermission(permissions: ["use:flags"])): [String] @public
  }
  type Mutation {
    tag(input: [TagInput!]!): Boolean @public
  }
  input Filter {
    name: String
    secret: String @hasPermission(permissions: ["read:secrets"])
    limit: Int = 10 @hasPermission(permissions: ["raise:limits"])
    and: [Filter!]
  }
  input TagInput {
    label: String!
    owner: ID @hasPermission(permissions: ["assign:tags"])
  }
`;

const directives = authorizationDirectives();
const schema = makeExecutableSchema({ typeDefs: [...directives.map((directive) => directive.typeDefs), TYPE_DEFS] });
const guards = new SchemaGuards(schema, directives);
const EVERY_PERMISSION = ['use:flags', 'read:secrets', 'raise:limits', 'assign:tags'];
const viewerWithout = (permissions: readonly string[]): Viewer => ({ userId: 'u1', issuer: 'local', permissions: new Set(EVERY_PERMISSION.filter((permission) => !permissions.includes(permission))) });

function deniedCoordinates(planner: Planner, query: string, viewer: Viewer, variables?: Record<string, unknown>): string[] {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const plan = planner.plan({ document, operationName: undefined, documentKey: query, viewer, variables });
  expect(plan.variableErrors).toBeUndefined();
  return plan.denials.map((denial) => denial.guard.coordinate);
}

describe('the planner decides guarded values as the executor coerces them', () => {
  const positions = guardedPositions(guards);

  it('generates a position for every guarded argument and input field', () => {
    expect([...new Set(positions.map(({ guard }) => guard.coordinate))].sort()).toEqual(guardedValueCoordinates(guards).sort());
    expect(positions.some(({ steps }) => steps.includes('@'))).toBe(true);
  });

  for (const position of positions) {
    describe(`${position.guard.coordinate} at ${position.rootField.name}(${position.argument.name}: ${position.steps.join('.')})`, () => {
      it.each(spellingsOf(position).map((spelling) => [spelling.name, spelling] as const))('%s', (_, spelling) => {
        const planner = new Planner(guards, { mode: 'filter' });
        const viewer = viewerWithout(position.guard.permissions);
        if (spelling.without) expect(deniedCoordinates(planner, spelling.query, viewer, spelling.without)).not.toContain(position.guard.coordinate);
        expect(deniedCoordinates(planner, spelling.query, viewer, spelling.variables)).toContain(position.guard.coordinate);
        expect(deniedCoordinates(planner, spelling.query, viewerWithout([]), spelling.variables)).toEqual([]);
      });
    });
  }

  it('finds a guarded input field at any depth of a recursive input type given by a variable', () => {
    const planner = new Planner(guards, { mode: 'filter' });
    const query = 'query ($f: Filter) { search(filter: $f) }';
    const viewer = viewerWithout(['read:secrets']);
    expect(deniedCoordinates(planner, query, viewer, { f: { and: [{ name: 'a' }, { and: [{ name: 'b' }] }] } })).toEqual([]);
    expect(deniedCoordinates(planner, query, viewer, { f: { and: [{ name: 'a' }, { and: [{ secret: 's' }] }] } })).toEqual(['Filter.secret']);
  });

  it('counts neither null nor a default as using a guarded value, and does count a different value', () => {
    const planner = new Planner(guards, { mode: 'filter' });
    const viewer = viewerWithout(['raise:limits', 'use:flags']);
    expect(deniedCoordinates(planner, 'query ($f: Filter = { limit: 10 }) { search(filter: $f, flag: false) }', viewer)).toEqual([]);
    expect(deniedCoordinates(planner, 'query ($f: Filter) { search(filter: $f) }', viewer, { f: { limit: null, name: 'x' } })).toEqual([]);
    expect(deniedCoordinates(planner, 'query ($f: Filter = { limit: 11 }) { search(filter: $f) }', viewer)).toEqual(['Filter.limit']);
    expect(deniedCoordinates(planner, 'query ($flag: Boolean = true) { search(flag: $flag) }', viewer)).toEqual(['Query.search(flag:)']);
    expect(deniedCoordinates(planner, 'query ($flag: Boolean = true) { search(flag: $flag) }', viewer, { flag: false })).toEqual([]);
  });

  it('takes a single input where a list is expected as a list of one, literal or variable', () => {
    const planner = new Planner(guards, { mode: 'filter' });
    const viewer = viewerWithout(['assign:tags']);
    expect(deniedCoordinates(planner, 'mutation { tag(input: { label: "a", owner: "u2" }) }', viewer)).toEqual(['TagInput.owner']);
    expect(deniedCoordinates(planner, 'mutation ($t: [TagInput!]!) { tag(input: $t) }', viewer, { t: { label: 'a', owner: 'u2' } })).toEqual(['TagInput.owner']);
  });

  it('shares a plan between variables that use the same guards, and never between ones that do not', () => {
    const planner = new Planner(guards, { mode: 'filter' });
    const query = 'query ($f: Filter = { secret: "s" }) { search(filter: $f) }';
    const viewer = viewerWithout(['read:secrets']);
    expect(deniedCoordinates(planner, query, viewer, { f: { name: 'a' } })).toEqual([]);
    expect(deniedCoordinates(planner, query, viewer, { f: { name: 'b' } })).toEqual([]);
    expect(planner.stats.plansComputed).toBe(1);
    expect(deniedCoordinates(planner, query, viewer)).toEqual(['Filter.secret']);
    expect(deniedCoordinates(planner, query, viewer, { f: { secret: 'other' } })).toEqual(['Filter.secret']);
    expect(planner.stats.plansComputed).toBe(2);
  });
});
