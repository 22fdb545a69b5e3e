/** The permissions manifest of the client operations, and the README's permissions table: both derived from the schema's directives. */
import { readdirSync, readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { permissionsManifest, type PermissionsManifest } from '../scripts/codegen/permissions-manifest.js';
import { withPermissionsTable } from '../scripts/permissions-table.js';
import { authorizationDirectives } from '../src/authz/directives/index.js';

const OPERATIONS = new URL('../client/operations/', import.meta.url);
const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
const committed = JSON.parse(readFileSync(new URL('../client/generated/permissions.json', import.meta.url), 'utf8')) as PermissionsManifest;

const manifestOf = (...sources: string[]) => permissionsManifest(schema, sources.map((source) => parse(source)));

describe('permissions manifest', () => {
  it('states what each example operation needs, from the directives of the fields it selects', () => {
    expect(committed.CreateMenuItem).toEqual({ auth: true, permissions: ['create:items'] });
    expect(committed.MenuItems).toEqual({ auth: false, permissions: [] });
    expect(committed.Me).toEqual({ auth: true, permissions: [], unlessOwner: ['read:users'] });
    expect(committed.Books).toEqual({ auth: true, permissions: [] });
    expect(committed.AdminMessage).toEqual({ auth: true, permissions: ['read:admin-messages'] });
    expect(committed.Login).toEqual({ auth: false, permissions: [] });
    expect(committed.RefreshToken).toEqual({ auth: false, permissions: [] });
    expect(committed.MyTasks).toEqual({ auth: true, permissions: [] });
    expect(committed.CreateTask).toEqual({ auth: true, permissions: [] });
  });

  it('is the one the example operations and the schema produce today, with sorted keys', () => {
    const sources = readdirSync(OPERATIONS)
      .filter((file) => file.endsWith('.graphql'))
      .map((file) => readFileSync(new URL(file, OPERATIONS), 'utf8'));
    const current = manifestOf(...sources);
    expect(committed).toEqual(current);
    expect(Object.keys(committed)).toEqual(Object.keys(current).sort());
  });

  it('follows named fragments (nested, and defined in another document) and inline fragments', () => {
    const manifest = manifestOf(
      `query Profile { me { ...Person } }
       fragment Person on User { id ...Contact }`,
      'fragment Contact on User { email }',
      `mutation SignIn($input: LoginInput!) { login(input: $input) { ... on AuthPayload { user { ...Contact } } } }
       query Staff { users { edges { node { ...Person } } } }`,
    );
    expect(manifest).toEqual({
      Profile: { auth: true, permissions: [], unlessOwner: ['read:users'] },
      // The user a login returns is readable by its subject: no sign-in needed, the owner rule decides.
      SignIn: { auth: false, permissions: [], unlessOwner: ['read:users'] },
      // read:users is required anyway, so the owner restriction adds nothing.
      Staff: { auth: true, permissions: ['read:users'] },
    });
  });

  it("lets a field's own decision win over its type's, and records mode ANY as a group of alternatives", () => {
    const local = makeExecutableSchema({
      typeDefs: [
        ...authorizationDirectives().map((directive) => directive.typeDefs),
        `type Query {
           report: Report @public
           audit: Report @hasPermission(permissions: ["read:users", "manage:users"], mode: ANY)
           single: Report @hasPermission(permissions: ["manage:users"], mode: ANY)
         }
         type Report @hasPermission(permissions: ["read:admin-messages"]) { title: String @public body: String }`,
      ],
    });
    const manifest = permissionsManifest(local, [
      parse(`query Title { report { title } }
             query Body { report { body } }
             query Audit { audit { title } }
             query Single { single { __typename } }`),
    ]);
    expect(manifest).toEqual({
      Audit: { auth: true, permissions: [], anyOf: [['manage:users', 'read:users']] },
      Body: { auth: true, permissions: ['read:admin-messages'] },
      Single: { auth: true, permissions: ['manage:users'] },
      Title: { auth: false, permissions: [] },
    });
  });

  it('lists arguments and input fields that need a permission only when the variables use them', () => {
    const manifest = manifestOf(
      'mutation Assign { createTask(input: { title: "t", ownerId: "00000000-0000-4000-8000-000000000000" }) { id } }',
      'mutation Create($input: CreateTaskInput!) { createTask(input: $input) { id } }',
    );
    expect(manifest).toEqual({
      Assign: { auth: true, permissions: ['assign:tasks'] },
      Create: { auth: true, permissions: [], whenUsed: { 'CreateTaskInput.ownerId': ['assign:tasks'] } },
    });
  });

  it('refuses anonymous and duplicate operation names, since the manifest is keyed by name', () => {
    expect(() => manifestOf('{ menuItems { edges { node { id } } } }')).toThrow(/needs a name/);
    expect(() => manifestOf('query A { menuItems { totalCount } }', 'query A { books { totalCount } }')).toThrow(/Two client operations are named "A"/);
  });
});

describe('README permissions table', () => {
  it('is the table generated from the catalog and the schema (npm run codegen rewrites it)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('| `create:items` | Create menu items | admin, menu-admin | `Mutation.createMenuItem` |');
    expect(withPermissionsTable(readme)).toBe(readme);
  });
});
