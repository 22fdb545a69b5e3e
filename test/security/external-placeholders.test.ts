/**
 * Users behind external identities get a placeholder email. Nobody may sign up with one (the
 * reserved `.invalid` domain is refused), and a taken address can never lock an identity out.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { SIGNUP } from './helpers.js';

describe('placeholder emails of external identities', () => {
  let issuer: TestIssuer;
  let server: TestServer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await startTestServer({ OIDC_ISSUERS: JSON.stringify([issuer.configEntry(['RS256'])]) });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
  });

  /** The placeholder as it was computed before issue 27: predictable from the issuer and the subject. */
  const predictable = (subject: string) => `${createHash('sha256').update(`${issuer.issuer}\n${subject}`).digest('hex').slice(0, 24)}@${new URL(issuer.issuer).hostname}.external.invalid`;

  it.each(['someone@external.invalid', 'a@b.EXAMPLE.INVALID'])('refuses a signup with an address in the reserved .invalid domain (%s)', async (email) => {
    const response = await server.graphql(SIGNUP, { variables: { input: { email, password: TEST_PASSWORD, fullName: 'Squatter' } } });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it("refuses the very placeholder an external identity would get, so that identity's tokens keep working", async () => {
    const subject = 'auth0|victim';
    const squat = await server.graphql(SIGNUP, { variables: { input: { email: predictable(subject), password: TEST_PASSWORD, fullName: 'Squatter' } } });
    expect(squat.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const me = await server.graphql<{ me: { id: string; email: string } }>('{ me { id email } }', { token: issuer.sign({ sub: subject }) });
    expect(me.status).toBe(200);
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data!.me.email).toMatch(/@external\.invalid$/);
  });

  it('signs an external identity in even when a user already holds the address it would once have had', async () => {
    const subject = 'auth0|squatted-before-the-fix';
    // A row a signup could create before issue 27 refused the domain.
    await server.db.prisma.user.create({ data: { email: predictable(subject), fullName: 'Old squatter', passwordHash: null } });
    const first = await server.graphql<{ me: { id: string } }>('{ me { id } }', { token: issuer.sign({ sub: subject }) });
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const again = await server.graphql<{ me: { id: string } }>('{ me { id } }', { token: issuer.sign({ sub: subject }) });
    expect(again.body.data!.me.id).toBe(first.body.data!.me.id);
  });
});
