/**
 * Every root field × every kind of viewer, over real HTTP with real signed tokens. The
 * expectations are computed from the schema's own directives, so a new field is covered
 * the moment it is added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingPermissions } from '../src/authz/checks.js';
import { effectiveDecision } from '../src/authz/directives/index.js';
import { ROLES, type RoleName } from '../src/authz/permissions.js';
import { buildSchema } from '../src/graphql/schema.js';
import { operationFor } from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const schema = buildSchema();
const rootFields = (['query', 'mutation'] as const).flatMap((kind) => {
  const type = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  return Object.values(type.getFields()).map((field) => {
    const decision = effectiveDecision(schema, field, type.name)!;
    return { kind, field, decision };
  });
});

type ViewerName = 'anonymous' | 'no role' | RoleName;
const viewers: ViewerName[] = ['anonymous', 'no role', ...(Object.keys(ROLES) as RoleName[])];

function expectedOutcome(viewer: ViewerName, decision: (typeof rootFields)[number]['decision']): 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN' {
  if (decision.directive === 'public') return 'allowed';
  if (viewer === 'anonymous') return 'UNAUTHENTICATED';
  if (decision.directive === 'auth') return 'allowed';
  const held = new Set<string>(viewer === 'no role' ? [] : ROLES[viewer].permissions);
  const missing = missingPermissions(
    { userId: 'x', issuer: 'local', permissions: held },
    decision.args.permissions as string[],
    decision.args.mode as 'ALL' | 'ANY',
  );
  return missing.length === 0 ? 'allowed' : 'FORBIDDEN';
}

/** What the directive decided, read from the response: denial errors carry fixed messages. */
function observedOutcome(errors: { message: string; extensions?: { code?: string } }[] | undefined) {
  const denial = errors?.find(
    (error) =>
      (error.extensions?.code === 'UNAUTHENTICATED' && error.message === 'Requires authentication') ||
      error.extensions?.code === 'FORBIDDEN',
  );
  return denial ? (denial.extensions!.code as 'UNAUTHENTICATED' | 'FORBIDDEN') : 'allowed';
}

describe('authorization matrix: every root field for every role', () => {
  let server: TestServer;
  const tokens = new Map<ViewerName, string | undefined>();

  beforeAll(async () => {
    server = await startTestServer();
    tokens.set('anonymous', undefined);
    tokens.set('no role', (await server.createUser()).token);
    for (const role of Object.keys(ROLES) as RoleName[]) tokens.set(role, (await server.createUser({ roles: [role] })).token);
  });
  afterAll(() => server?.close());

  it('covers every Query and Mutation field', () => {
    expect(rootFields.length).toBeGreaterThanOrEqual(25);
    expect(rootFields.every(({ decision }) => decision?.on === 'field')).toBe(true);
  });

  for (const { kind, field, decision } of rootFields) {
    it(`${kind === 'query' ? 'Query' : 'Mutation'}.${field.name} (@${decision.directive}${decision.args.permissions ? ` ${String(decision.args.permissions)}` : ''})`, async () => {
      const { query, variables } = operationFor(kind, field);
      for (const viewer of viewers) {
        const response = await server.graphql(query, { variables, token: tokens.get(viewer) });
        expect(response.status, `${viewer}: HTTP status`).toBe(200);
        expect(observedOutcome(response.body.errors), `${viewer} → ${JSON.stringify(response.body.errors)}`).toBe(expectedOutcome(viewer, decision));
      }
    });
  }

  it('names the missing permission when it forbids', async () => {
    const response = await server.graphql('mutation { deleteMenuItem(id: "00000000-0000-4000-8000-000000000000") { id } }', {
      token: tokens.get('book-admin'),
    });
    expect(response.body.errors?.[0]).toMatchObject({
      message: 'Missing permission: delete:items',
      extensions: { code: 'FORBIDDEN', missingPermissions: ['delete:items'] },
    });
  });

  it('still resolves the other fields of a partly denied operation (HTTP 200, partial data)', async () => {
    const response = await server.graphql('{ publicMessage { text } task(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ publicMessage: { text: 'This is a public message.' }, task: null });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ message: 'Requires authentication', path: ['task'], extensions: { code: 'UNAUTHENTICATED', authorization: { coordinate: 'Query.task', rule: 'auth' } } }),
    ]);
  });
});
