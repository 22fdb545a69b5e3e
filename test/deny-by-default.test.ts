import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { assertAuthorizationComplete, auditAuthorization, AuthorizationAuditError } from '../src/authz/audit.js';
import { authorizationDirectives } from '../src/authz/directives/index.js';
import { SchemaGuards } from '../src/authz/schema-guards.js';
import { buildSchema } from '../src/server/schema.js';

const guardsOf = (sdl: string) => {
  const directives = authorizationDirectives();
  return new SchemaGuards(makeExecutableSchema({ typeDefs: [...directives.map((directive) => directive.typeDefs), sdl] }), directives);
};

describe('deny by default: the start-up audit', () => {
  it('finds no problem in the real schema', () => {
    expect(auditAuthorization(buildSchema().guards)).toEqual([]);
  });

  it('refuses a root field without an auth decision, naming it', () => {
    const guards = guardsOf('type Query { open: String @public  forgotten: String }  type Mutation { wipe: Boolean }');
    expect(auditAuthorization(guards)).toEqual([
      'Query.forgotten has no auth decision: add @public, @auth or @hasPermission',
      'Mutation.wipe has no auth decision: add @public, @auth or @hasPermission',
    ]);
    expect(() => assertAuthorizationComplete(guards)).toThrow(AuthorizationAuditError);
    expect(() => assertAuthorizationComplete(guards)).toThrow(/Query\.forgotten/);
  });

  it('refuses a root field with two decisions', () => {
    expect(auditAuthorization(guardsOf('type Query { both: String @public @auth }'))).toEqual(['Query.both states 2 auth decisions (@public, @auth); keep one']);
  });

  it('refuses a permission that is not in the catalog, on fields, types, arguments and input fields', () => {
    const guards = guardsOf(`
      type Query { launch(force: Boolean @hasPermission(permissions: ["force:launch"])): String @hasPermission(permissions: ["launch:rockets"]) secret: Secret @auth }
      type Mutation { plan(input: PlanInput!): String @auth }
      input PlanInput { target: String @hasPermission(permissions: ["pick:targets"]) }
      type Secret @hasPermission(permissions: ["read:secrets"]) { value: String }
    `);
    expect(auditAuthorization(guards)).toEqual([
      'Query.launch: permission "launch:rockets" is not in the permissions catalog',
      'Query.launch(force:): permission "force:launch" is not in the permissions catalog',
      'PlanInput.target: permission "pick:targets" is not in the permissions catalog',
      'Secret: permission "read:secrets" is not in the permissions catalog',
    ]);
  });

  it('refuses @hasPermission with an empty list, which would let every signed-in viewer through', () => {
    expect(auditAuthorization(guardsOf('type Query { anyone: String @hasPermission(permissions: []) }'))).toEqual([
      'Query.anyone: @hasPermission lists no permission, which would let every signed-in viewer through; name at least one',
    ]);
  });

  it('refuses a guarded non-null field and names the fix, wherever the guard comes from', () => {
    const guards = guardsOf(`
      type Query { me: Profile! @auth  open: Profile @public  search(all: Boolean @auth): [Profile!]! @public }
      type Profile @hasPermission(permissions: ["read:users"]) { id: ID! @public  email: String! }
    `);
    expect(auditAuthorization(guards)).toEqual([
      'Query.me is guarded but non-null (Profile!): a denied field answers null, so declare it as Profile',
      'Query.search is guarded but non-null ([Profile!]!): a denied field answers null, so declare it as [Profile!]',
      'Profile.email is guarded but non-null (String!): a denied field answers null, so declare it as String',
    ]);
  });

  it('lets a type-level directive cover the fields that state none, and @public open some of them', () => {
    const guards = guardsOf(`
      type Query { vault: Vault @auth }
      type Vault @hasPermission(permissions: ["read:users"]) { token: String  note: String! @public }
    `);
    expect(auditAuthorization(guards)).toEqual([]);
  });
});
