/**
 * Every root field, guarded argument and guarded input field × every kind of viewer, over real
 * HTTP with real signed tokens, in both modes. The expected outcomes are an independent table
 * written by hand; the schema only says which fields exist, so a new one fails until it has a row.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type RoleName } from '../src/kernel/permissions.js';
import { buildSchema } from '../src/server/schema.js';
import { operationFor } from './helpers/operations.js';
import { startTestServer, type GraphQLResponse, type TestServer } from './helpers/server.js';

type ViewerName = 'anonymous' | 'no role' | 'menu-admin' | 'book-admin' | 'admin';
const VIEWERS: ViewerName[] = ['anonymous', 'no role', 'menu-admin', 'book-admin', 'admin'];

/** One letter per viewer, in the order above: A allowed, U UNAUTHENTICATED, F FORBIDDEN. */
const PUBLIC = 'A A A A A';
const SIGNED_IN = 'U A A A A';
const MENU = 'U F A F A';
const BOOKS = 'U F F A A';
const ADMIN = 'U F F F A';

const EXPECTED: Record<string, string> = {
  'Query.menuItems': PUBLIC,
  'Query.menuItem': PUBLIC,
  'Query.books': SIGNED_IN,
  'Query.book': PUBLIC,
  'Query.publicMessage': PUBLIC,
  'Query.protectedMessage': SIGNED_IN,
  'Query.adminMessage': ADMIN,
  'Query.myTasks': SIGNED_IN,
  'Query.task': SIGNED_IN,
  'Query.me': SIGNED_IN,
  'Query.users': ADMIN,
  'Mutation.createMenuItem': MENU,
  'Mutation.updateMenuItem': MENU,
  'Mutation.deleteMenuItem': MENU,
  'Mutation.createBook': BOOKS,
  'Mutation.updateBook': BOOKS,
  'Mutation.deleteBook': BOOKS,
  'Mutation.createTask': SIGNED_IN,
  'Mutation.updateTask': SIGNED_IN,
  'Mutation.deleteTask': SIGNED_IN,
  'Mutation.signup': PUBLIC,
  'Mutation.login': PUBLIC,
  'Mutation.refreshToken': PUBLIC,
  'Mutation.logout': PUBLIC,
  'Mutation.logoutAll': SIGNED_IN,
  'Mutation.assignRole': ADMIN,
  'Mutation.revokeRole': ADMIN,
  'Mutation.setUserDisabled': ADMIN,
};

/** Guarded arguments and input fields: the operation that uses one, and who may. */
const GUARDED_INPUTS: Record<string, { query: string; expected: string }> = {
  'Query.users(includeDisabled:)': { query: '{ users(includeDisabled: true) { totalCount } }', expected: ADMIN },
  'CreateTaskInput.ownerId': {
    query: 'mutation ($owner: ID!) { createTask(input: { title: "Assigned", ownerId: $owner }) { id } }',
    expected: ADMIN,
  },
};

type Outcome = 'A' | 'U' | 'F';

/** What the planner decided, read from the response; an internal error fails the test outright. */
function observedOutcome(response: GraphQLResponse, label: string): Outcome {
  expect(response.status, `${label}: HTTP status`).toBe(200);
  const codes = response.body.errors?.map((error) => error.extensions?.code) ?? [];
  expect(codes, `${label}: ${JSON.stringify(response.body.errors)}`).not.toContain('INTERNAL_SERVER_ERROR');
  const denial = response.body.errors?.find((error) => error.extensions?.authorization);
  if (!denial) return 'A';
  return denial.extensions!.code === 'UNAUTHENTICATED' ? 'U' : 'F';
}

const { schema } = buildSchema();
const rootFields = (['query', 'mutation'] as const).flatMap((kind) => {
  const type = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  return Object.values(type.getFields()).map((field) => ({ kind, field, coordinate: `${type.name}.${field.name}` }));
});

for (const mode of ['filter', 'reject'] as const) {
  describe(`authorization matrix (${mode} mode): every root field and guarded input for every role`, () => {
    let server: TestServer;
    const tokens = new Map<ViewerName, string | undefined>();
    let ownerId: string;

    beforeAll(async () => {
      server = await startTestServer({ AUTHZ_UNAUTHORIZED: mode });
      tokens.set('anonymous', undefined);
      const plain = await server.createUser();
      ownerId = plain.user.id;
      tokens.set('no role', plain.token);
      for (const role of Object.keys(ROLES) as RoleName[]) tokens.set(role, (await server.createUser({ roles: [role] })).token);
    });
    afterAll(() => server?.close());

    it('has an expectation for every root field, and no stale one', () => {
      expect(Object.keys(EXPECTED).sort()).toEqual(rootFields.map(({ coordinate }) => coordinate).sort());
    });

    for (const { kind, field, coordinate } of rootFields) {
      it(`${coordinate}: ${EXPECTED[coordinate] ?? 'no expectation'}`, async () => {
        const { query, variables } = operationFor(kind, field);
        const expected = EXPECTED[coordinate]!.split(' ');
        for (const [index, viewer] of VIEWERS.entries()) {
          const response = await server.graphql(query, { variables, token: tokens.get(viewer) });
          expect(observedOutcome(response, viewer), `${viewer} → ${JSON.stringify(response.body.errors)}`).toBe(expected[index]);
          if (expected[index] !== 'A') {
            expect(response.body.errors?.find((error) => error.extensions?.authorization)?.path).toEqual([field.name]);
            // A denied root field never answers data in reject mode, nor in a mutation.
            if (mode === 'reject' || kind === 'mutation') expect(response.body.data).toBeUndefined();
            else expect(response.body.data).toEqual({ [field.name]: null });
          }
        }
      });
    }

    for (const [coordinate, { query, expected }] of Object.entries(GUARDED_INPUTS)) {
      it(`${coordinate}: ${expected}`, async () => {
        for (const [index, viewer] of VIEWERS.entries()) {
          const response = await server.graphql(query, { variables: { owner: ownerId }, token: tokens.get(viewer) });
          expect(observedOutcome(response, viewer), `${viewer} → ${JSON.stringify(response.body.errors)}`).toBe(expected.split(' ')[index]);
        }
      });
    }

    it('puts the denial of a field in a partly allowed query at its path, and answers the rest', async () => {
      const response = await server.graphql(`{ publicMessage { text } task(id: "${randomUUID()}") { id } }`);
      const denial = { message: 'Requires authentication', path: ['task'], extensions: { code: 'UNAUTHENTICATED', authorization: { coordinate: 'Query.task', rule: 'auth', required: [] } } };
      if (mode === 'filter') {
        expect(response.body.data).toEqual({ publicMessage: { text: 'This is a public message.' }, task: null });
      } else {
        expect(response.body.data).toBeUndefined();
      }
      expect(response.body.errors).toEqual([expect.objectContaining(denial)]);
    });
  });
}
