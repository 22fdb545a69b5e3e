import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('users, roles and the privacy of a User', () => {
  let server: TestServer;
  let admin: { token: string; id: string };
  let plain: { token: string; id: string; email: string };

  beforeAll(async () => {
    server = await startTestServer();
    const a = await server.createUser({ roles: ['admin'], fullName: 'Ada' });
    const p = await server.createUser({ fullName: 'Pat', email: 'Pat@Example.com' });
    admin = { token: a.token, id: a.user.id };
    plain = { token: p.token, id: p.user.id, email: p.user.email };
  });
  afterAll(() => server?.close());

  it('shows the viewer their own profile, roles and permissions, never a password hash', async () => {
    const response = await server.graphql('{ me { id fullName email roles permissions createdAt } }', { token: admin.token });
    expect(response.body.data?.me).toMatchObject({ id: admin.id, fullName: 'Ada', roles: ['admin'] });
    expect((response.body.data?.me as { permissions: string[] }).permissions).toContain('manage:users');
    const introspected = await server.graphql('{ __type(name: "User") { fields { name } } }');
    expect(JSON.stringify(introspected.body)).not.toMatch(/password/i);
  });

  it('lets read:users list every user with roles', async () => {
    const response = await server.graphql<{ users: { edges: { node: { id: string; email: string; roles: string[] } }[] } }>('{ users { edges { node { id email roles } } } }', {
      token: admin.token,
    });
    expect(response.body.data!.users.edges).toEqual(expect.arrayContaining([{ node: { id: plain.id, email: 'pat@example.com', roles: [] } }]));
  });

  it("hides another user's private fields from a viewer without read:users; the public profile stays readable", async () => {
    const { user: manager } = await server.createUser();
    const managerToken = server.server.services.tokens.issueAccessToken(manager.id, ['manage:users']);
    const variables = { id: plain.id };
    const profile = await server.graphql('mutation ($id: ID!) { assignRole(input: { userId: $id, role: "book-admin" }) { id fullName } }', { token: managerToken, variables });
    expect(profile.body).toEqual({ data: { assignRole: { id: plain.id, fullName: 'Pat' } } });

    const private_ = await server.graphql('mutation ($id: ID!) { assignRole(input: { userId: $id, role: "book-admin" }) { id email roles } }', { token: managerToken, variables });
    // Partial data: the public profile answers, each private field is null with its own error.
    expect(private_.body.data).toEqual({ assignRole: { id: plain.id, email: null, roles: null } });
    expect(private_.body.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.message])).toEqual([
      ['assignRole.email', 'FORBIDDEN', 'Readable by its owner, or with the permission: read:users'],
      ['assignRole.roles', 'FORBIDDEN', 'Readable by its owner, or with the permission: read:users'],
    ]);
  });

  it('assigns and revokes roles, and refuses unknown roles and users', async () => {
    const assign = await server.graphql('mutation ($id: ID!) { assignRole(input: { userId: $id, role: "menu-admin" }) { roles } }', { token: admin.token, variables: { id: plain.id } });
    expect(assign.body.data).toEqual({ assignRole: { roles: ['book-admin', 'menu-admin'] } });
    const revoke = await server.graphql('mutation ($id: ID!) { revokeRole(input: { userId: $id, role: "menu-admin" }) { roles } }', { token: admin.token, variables: { id: plain.id } });
    expect(revoke.body.data).toEqual({ revokeRole: { roles: ['book-admin'] } });
    const unknownRole = await server.graphql('mutation ($id: ID!) { assignRole(input: { userId: $id, role: "god" }) { id } }', { token: admin.token, variables: { id: plain.id } });
    expect(unknownRole.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
    const unknownUser = await server.graphql('mutation { assignRole(input: { userId: "00000000-0000-4000-8000-000000000000", role: "admin" }) { id } }', { token: admin.token });
    expect(unknownUser.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
