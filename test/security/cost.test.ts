/**
 * The cost rule (src/server/cost.ts) on a schema with nested connections, which the API's own
 * schema does not have yet: page sizes multiply down, so 100 users × 100 items costs 100 × 100.
 */
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costLimit } from '../../src/server/cost.js';

const schema = buildSchema(/* GraphQL */ `
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Item { id: ID! name: String! }
  type ItemEdge { cursor: String! node: Item! }
  type ItemConnection { edges: [ItemEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type User { id: ID! name: String! items(first: Int, after: String): ItemConnection! }
  type UserEdge { cursor: String! node: User! }
  type UserConnection { edges: [UserEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type Query { users(first: Int, after: String, last: Int, before: String): UserConnection! }
`);

/** The cost the rule reports, read from its message with a limit of 0. */
function costOf(query: string, maxPageSize = 100): number {
  const errors = validate(schema, parse(query), [costLimit(maxPageSize)(0)]);
  const match = /found (\d+)\.$/.exec(errors[0]?.message ?? '');
  if (!match) throw new Error(`no cost reported: ${errors.map((error) => error.message).join('; ')}`);
  return Number(match[1]);
}

describe('cost of nested connections', () => {
  const NESTED = 'users(first: 100) { edges { node { id items(first: 100) { edges { node { id name } } } } } }';

  it('prices 100 users × 100 items as the 10,000 items they are', () => {
    // users 1 + 100 × (edges 1 + node 1 + id 1 + items (1 + 100 × (edges 1 + node 1 + id 1 + name 1))) = 40,401
    expect(costOf(`{ ${NESTED} }`)).toBe(1 + 100 * (3 + 1 + 100 * 4));
    expect(costOf(`{ ${NESTED.replace('items(first: 100)', 'items(first: 1)')} }`)).toBe(1 + 100 * (3 + 1 + 1 * 4));
  });

  it('counts a variable as the page-size limit, an absent size as 20, and a size over the limit as the limit', () => {
    expect(costOf('query ($n: Int) { users(first: $n) { edges { node { id } } } }')).toBe(1 + 100 * 3);
    expect(costOf('query ($n: Int) { users(last: $n) { edges { node { id } } } }', 10)).toBe(1 + 10 * 3);
    expect(costOf('{ users { edges { node { id } } } }')).toBe(1 + 20 * 3);
    expect(costOf('{ users(first: 100000) { edges { node { id } } } }')).toBe(1 + 100 * 3);
    expect(costOf('{ users { edges { node { id } } } }', 5)).toBe(1 + 5 * 3);
  });

  it('does not multiply pageInfo and totalCount, and multiplies edges reached through fragments', () => {
    expect(costOf('{ users(first: 50) { totalCount pageInfo { hasNextPage endCursor } } }')).toBe(1 + 1 + 3);
    expect(costOf('{ users(first: 50) { ...Page } } fragment Page on UserConnection { edges { ... on UserEdge { node { ...U } } } } fragment U on User { id name }')).toBe(
      1 + 50 * (1 + 1 + 2),
    );
  });

  it('lets an operation through at or under the limit, and refuses it above with GRAPHQL_VALIDATION_FAILED', () => {
    const query = parse('{ users(first: 10) { edges { node { id } } } }');
    expect(validate(schema, query, [costLimit(100)(31)])).toEqual([]);
    const [error] = validate(schema, query, [costLimit(100)(30)]);
    expect(error?.message).toBe('Query Cost limit of 30 exceeded, found 31.');
    expect(error?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
