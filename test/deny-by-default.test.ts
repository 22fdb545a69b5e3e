import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { assertAuthorizationComplete, auditAuthorization, AuthorizationAuditError } from '../src/authz/audit.js';
import { authDirectives } from '../src/authz/directives/index.js';
import { buildSchema } from '../src/graphql/schema.js';

const schemaOf = (sdl: string) =>
  makeExecutableSchema({ typeDefs: [...authDirectives().map((directive) => directive.typeDefs), sdl] });

describe('deny by default', () => {
  it('finds no problem in the real schema', () => {
    expect(auditAuthorization(buildSchema())).toEqual([]);
  });

  it('refuses a root field without an auth decision, naming it', () => {
    const schema = schemaOf('type Query { open: String @public  forgotten: String }  type Mutation { wipe: Boolean }');
    expect(auditAuthorization(schema)).toEqual([
      'Query.forgotten has no auth decision: add @public, @auth or @hasPermission',
      'Mutation.wipe has no auth decision: add @public, @auth or @hasPermission',
    ]);
    expect(() => assertAuthorizationComplete(schema)).toThrow(AuthorizationAuditError);
    expect(() => assertAuthorizationComplete(schema)).toThrow(/Query\.forgotten/);
  });

  it('refuses a root field with two decisions', () => {
    const schema = schemaOf('type Query { both: String @public @auth }');
    expect(auditAuthorization(schema)).toEqual(['Query.both states 2 auth decisions (@public, @auth); keep one']);
  });

  it('refuses a permission that is not in the catalog, on fields and on types', () => {
    const schema = schemaOf(`
      type Query { launch: String @hasPermission(permissions: ["launch:rockets"]) secret: Secret @auth }
      type Secret @hasPermission(permissions: ["read:secrets"]) { value: String }
    `);
    expect(auditAuthorization(schema)).toEqual([
      'Query.launch: permission "launch:rockets" is not in the permissions catalog',
      'Secret: permission "read:secrets" is not in the permissions catalog',
    ]);
  });

  it("reports a User field beyond the public profile that another viewer could read", () => {
    const schema = schemaOf(`
      type Query { me: User @auth }
      type User { id: ID! fullName: String! email: String! @public phone: String createdAt: String @ownerOrPermission(permissions: ["read:users"]) }
    `);
    expect(auditAuthorization(schema)).toEqual([
      'User.email is readable by every viewer, but only id, fullName of a User are public',
      'User.phone is readable by every viewer, but only id, fullName of a User are public',
    ]);
  });

  it('reports sensitive-looking fields of any type that state no decision', () => {
    const schema = schemaOf(`
      type Query { account: Account @auth }
      type Account { name: String apiToken: String passwordHash: String  label: String @public }
    `);
    expect(auditAuthorization(schema)).toEqual([
      'Account.apiToken looks sensitive and states no auth decision (add one, or @public if it is meant to be open)',
      'Account.passwordHash looks sensitive and states no auth decision (add one, or @public if it is meant to be open)',
    ]);
  });

  it('lets a type-level directive cover the fields that state none', () => {
    const schema = schemaOf(`
      type Query { vault: Vault @auth }
      type Vault @hasPermission(permissions: ["read:users"]) { token: String  note: String @public }
    `);
    expect(auditAuthorization(schema)).toEqual([]);
  });
});
