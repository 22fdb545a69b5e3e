/**
 * One planner: the permissions manifest that codegen ships to frontends and the server's answers
 * come from the same analysis. Every operation in client/operations runs as each demo role over
 * real HTTP, and the server denies exactly what the manifest predicts.
 */
import { Kind, print, typeFromAST, type DocumentNode, type GraphQLInputType, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationRequirements, PermissionsManifest } from '../scripts/codegen/permissions-manifest.js';
import * as generated from '../client/generated/graphql.js';
import manifestJson from '../client/generated/permissions.json' with { type: 'json' };
import { ROLES, type RoleName } from '../src/kernel/permissions.js';
import { buildSchema } from '../src/server/schema.js';
import { placeholder } from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const manifest = manifestJson as PermissionsManifest;
const { schema } = buildSchema();
const viewers = ['anonymous', 'no role', ...(Object.keys(ROLES) as RoleName[])] as const;

const operations = Object.entries(generated)
  .filter(([name]) => name.endsWith('Document'))
  .map(([, document]) => {
    const definition = (document as DocumentNode).definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION)!;
    return { name: definition.name!.value, document: document as DocumentNode, definition };
  });

/** What the manifest says a viewer holding `held` (null: anonymous) may run without a denial. */
function predictedAllowed(requirements: OperationRequirements, held: ReadonlySet<string> | null): boolean {
  if (requirements.auth && !held) return false;
  if (requirements.permissions.some((permission) => !held?.has(permission))) return false;
  // `unlessOwner` is decided by the record: these operations only read the viewer's own.
  return (requirements.anyOf ?? []).every((group) => group.some((permission) => held?.has(permission)));
}

describe('the permissions manifest predicts what the server enforces', () => {
  let server: TestServer;
  const viewerTokens = new Map<string, { token: string | undefined; held: ReadonlySet<string> | null }>();

  beforeAll(async () => {
    server = await startTestServer();
    viewerTokens.set('anonymous', { token: undefined, held: null });
    viewerTokens.set('no role', { token: (await server.createUser()).token, held: new Set() });
    for (const role of Object.keys(ROLES) as RoleName[]) {
      viewerTokens.set(role, { token: (await server.createUser({ roles: [role] })).token, held: new Set<string>(ROLES[role].permissions) });
    }
  });
  afterAll(() => server?.close());

  it('has an entry for every client operation', () => {
    expect(operations.map(({ name }) => name).sort()).toEqual(Object.keys(manifest).sort());
  });

  for (const { name, document, definition } of operations) {
    it(`${name}: ${JSON.stringify(manifest[name])}`, async () => {
      const variables = Object.fromEntries(
        (definition.variableDefinitions ?? []).map((variable) => [variable.variable.name.value, placeholder(typeFromAST(schema, variable.type as never) as GraphQLInputType)]),
      );
      for (const viewer of viewers) {
        const { token, held } = viewerTokens.get(viewer)!;
        const response = await server.graphql(print(document), { token, variables });
        const denied = response.body.errors?.some((error) => error.extensions?.authorization) ?? false;
        expect(response.body.errors?.map((error) => error.extensions?.code) ?? [], viewer).not.toContain('INTERNAL_SERVER_ERROR');
        expect(!denied, `${viewer}: ${JSON.stringify(response.body.errors)}`).toBe(predictedAllowed(manifest[name]!, held));
      }
    });
  }
});
