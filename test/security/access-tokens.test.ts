/**
 * Attacks on this server's own access tokens (RFC 8725): every forged, confused, stale or
 * oversized credential answers 401 "Bad credentials", and nothing named by a token is fetched.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_DEFAULTS, loadConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { encodeSegment as encode, expectBadCredentials, LOGIN, nowSeconds as now, rawRequest, startRequestRecorder, type AuthPayload } from './helpers.js';

const { issuer, audience } = loadConfig({ NODE_ENV: 'test' }).tokens;
const secret = DEVELOPMENT_DEFAULTS.jwtSecret;

describe('forged and confused access tokens (HS256, the default)', () => {
  let server: TestServer;
  let userId: string;
  let email: string;
  let validToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    const created = await server.createUser();
    userId = created.user.id;
    email = created.user.email;
    validToken = created.token;
  });
  afterAll(() => server?.close());

  const claims = (overrides: Record<string, unknown> = {}) => {
    const all: Record<string, unknown> = { sub: userId, iss: issuer, aud: audience, iat: now(), exp: now() + 300, jti: 'j1', permissions: [], ...overrides };
    return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  };
  const sign = (overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key: string = secret) =>
    jwt.sign(claims(overrides), key, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt', ...header } as jwt.JwtHeader });
  const expectAccepted = async (token: string) => {
    const response = await server.graphql('{ me { id } }', { token });
    expect(response.body).toEqual({ data: { me: { id: userId } } });
  };

  it('accepts a valid token, and treats a request without Authorization as anonymous', async () => {
    await expectAccepted(validToken);
    await expectAccepted(sign());
    expect((await server.graphql('{ publicMessage { text } }')).status).toBe(200);
  });

  it('refuses alg "none" in every casing → 401', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      await expectBadCredentials(server, `Bearer ${encode({ alg, typ: 'at+jwt' })}.${encode(claims())}.`);
      await expectBadCredentials(server, `Bearer ${encode({ alg, typ: 'at+jwt' })}.${encode(claims())}.${validToken.split('.')[2]}`);
    }
  });

  it('refuses an algorithm that is not configured (HS384, HS512, RS256 on an HS256 server) → 401', async () => {
    for (const algorithm of ['HS384', 'HS512'] as const) {
      await expectBadCredentials(server, `Bearer ${jwt.sign(claims(), secret, { algorithm, header: { alg: algorithm, typ: 'at+jwt' } })}`);
    }
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expectBadCredentials(server, `Bearer ${jwt.sign(claims(), privateKey, { algorithm: 'RS256', header: { alg: 'RS256', typ: 'at+jwt' } })}`);
  });

  it('refuses an edited payload (permissions added to a genuine token) → 401', async () => {
    const [header, , signature] = validToken.split('.');
    await expectBadCredentials(server, `Bearer ${header}.${encode(claims({ permissions: ['read:users', 'manage:users'] }))}.${signature}`);
  });

  it('refuses a token signed with a foreign key (another secret) → 401', async () => {
    await expectBadCredentials(server, `Bearer ${sign({}, {}, 'another-secret-that-is-at-least-32-bytes-long')}`);
  });

  it('refuses jku, x5u, jwk and x5c headers without fetching anything they name → 401, zero requests', async () => {
    const recorder = await startRequestRecorder();
    try {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = publicKey.export({ format: 'jwk' });
      for (const header of [{ jku: `${recorder.url}/jwks.json` }, { x5u: `${recorder.url}/cert.pem` }, { jwk }, { jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url') } }, { x5c: ['MIIB'] }]) {
        await expectBadCredentials(server, `Bearer ${sign({}, header)}`);
      }
      expect(recorder.paths).toEqual([]);
    } finally {
      await recorder.close();
    }
  });

  it('refuses a token without exp → 401 (it would never expire)', async () => {
    await expectBadCredentials(server, `Bearer ${sign({ exp: undefined })}`);
  });

  it('refuses a wrong aud or iss → 401', async () => {
    await expectBadCredentials(server, `Bearer ${sign({ aud: 'some-other-api' })}`);
    await expectBadCredentials(server, `Bearer ${sign({ aud: `${audience}#refresh` })}`);
    await expectBadCredentials(server, `Bearer ${sign({ iss: 'https://evil.example/' })}`);
  });

  it('refuses an ID token (typ JWT) and a refresh token presented as an access token → 401', async () => {
    await expectBadCredentials(server, `Bearer ${sign({}, { typ: 'JWT' })}`);
    await expectBadCredentials(server, `Bearer ${sign({}, { typ: undefined })}`);
    const login = await server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email, password: 'correct horse battery staple' } } });
    await expectBadCredentials(server, `Bearer ${login.body.data!.login.refreshToken}`);
  });

  it('honours the clock leeway (JWT_CLOCK_TOLERANCE = 5 s) on exp: 2 s late is accepted, 8 s late says "Token expired"', async () => {
    await expectAccepted(sign({ iat: now() - 300, exp: now() - 2 }));
    await expectBadCredentials(server, `Bearer ${sign({ iat: now() - 300, exp: now() - 8 })}`, 'Token expired');
  });

  it('honours the clock leeway on nbf: 2 s early is accepted, 8 s early → 401', async () => {
    await expectAccepted(sign({ nbf: now() + 2 }));
    await expectBadCredentials(server, `Bearer ${sign({ nbf: now() + 8 })}`);
  });

  it('refuses a genuine signature re-spelled in base64url (same bytes, other text) → 401', async () => {
    const [header, payload, signature] = validToken.split('.');
    // The last character's lowest bit is padding for a 32-byte HMAC, so flipping it keeps the bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = signature!.slice(0, -1) + alphabet[alphabet.indexOf(signature!.at(-1)!) ^ 1]!;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(signature!, 'base64url'));
    await expectBadCredentials(server, `Bearer ${header}.${payload}.${respelled}`);
  });

  it('refuses a critical header it does not understand, and permissions that are not a list of names → 401', async () => {
    await expectBadCredentials(server, `Bearer ${sign({}, { crit: ['exp'] })}`);
    await expectBadCredentials(server, `Bearer ${sign({ permissions: 'manage:users' })}`);
    await expectBadCredentials(server, `Bearer ${sign({ permissions: [1] })}`);
  });

  it('refuses ill-typed or empty registered claims → 401, and accepts an audience list that names this API', async () => {
    // Signed by hand: jsonwebtoken itself refuses to sign most of these.
    const signRaw = (overrides: Record<string, unknown>) => {
      const unsigned = `${encode({ alg: 'HS256', typ: 'at+jwt' })}.${encode(claims(overrides))}`;
      return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
    };
    await expectAccepted(signRaw({}));
    for (const overrides of [{ exp: String(now() + 60) }, { nbf: 'tomorrow' }, { iat: 'yesterday' }, { iat: undefined }, { jti: undefined }, { sub: 42 }, { sub: '' }, { aud: ['other-api'] }]) {
      await expectBadCredentials(server, `Bearer ${signRaw(overrides)}`);
    }
    await expectAccepted(sign({ aud: ['other-api', audience] }));
  });

  it('checks the signature before the claims: a forged expired token is "Bad credentials" without "Token expired"', async () => {
    const forged = `Bearer ${sign({ iat: now() - 900, exp: now() - 600 }, {}, 'another-secret-that-is-at-least-32-bytes-long')}`;
    await expectBadCredentials(server, forged);
    expect((await server.graphql('{ me { id } }', { headers: { authorization: forged } })).body.errors![0]!.extensions!.reason).toBeUndefined();
    await expectBadCredentials(server, `Bearer ${sign({ iat: now() - 900, exp: now() - 600 })}`, 'Token expired');
  });

  it('refuses malformed Authorization headers → 401', async () => {
    for (const header of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', `Bearer ${validToken} extra`, `Token ${validToken}`, `Bearer ${validToken}.${validToken}`]) {
      await expectBadCredentials(server, header);
    }
    const [header, payload, signature] = validToken.split('.');
    for (const token of [
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.${signature}`,
      `${header}.${payload}.${signature!.slice(0, 4)}+${signature!.slice(4)}`,
      `${header}.${encode([1, 2])}.${signature}`,
      `${header}.${Buffer.from('not json').toString('base64url')}.${signature}`,
      `${encode({ alg: 'HS256', typ: 'JWT' })}.${Buffer.from('not json').toString('base64url')}.${signature}`,
      `${encode([1])}.${payload}.${signature}`,
      `${header!.slice(0, -2)}.${payload}.${signature}`,
    ]) {
      await expectBadCredentials(server, `Bearer ${token}`);
    }
  });

  it('refuses a 9 KB token before parsing it (401), and a 64 KB Authorization header at the HTTP layer (431), and keeps serving', async () => {
    await expectBadCredentials(server, `Bearer ${sign({ padding: 'x'.repeat(9 * 1024) })}`);
    const huge = await rawRequest(server, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(64 * 1024)}` },
      body: JSON.stringify({ query: '{ publicMessage { text } }' }),
    });
    expect(huge.status).toBe(431);
    expect(huge.text).toBe('');
    await expectAccepted(validToken);
  });
});

describe('the clock leeway is a setting', () => {
  it('with JWT_CLOCK_TOLERANCE=0, a token 2 s past exp is expired', async () => {
    const server = await startTestServer({ JWT_CLOCK_TOLERANCE: '0' });
    try {
      const { user } = await server.createUser();
      const token = jwt.sign({ sub: user.id, iss: issuer, aud: audience, iat: now() - 300, exp: now() - 2, jti: 'j', permissions: [] }, secret, { header: { alg: 'HS256', typ: 'at+jwt' } });
      await expectBadCredentials(server, `Bearer ${token}`, 'Token expired');
    } finally {
      await server.close();
    }
  });
});

describe('a token that verified once', () => {
  it('is refused once it expires, although the server has just accepted it', async () => {
    const server = await startTestServer({ JWT_CLOCK_TOLERANCE: '0' });
    try {
      const { user } = await server.createUser();
      const expiresAt = now() + 2;
      const token = jwt.sign({ sub: user.id, iss: issuer, aud: audience, iat: now(), exp: expiresAt, jti: 'j', permissions: [] }, secret, { header: { alg: 'HS256', typ: 'at+jwt' } });
      expect((await server.graphql('{ me { id } }', { token })).body.data).toEqual({ me: { id: user.id } });
      expect((await server.graphql('{ me { id } }', { token })).body.data).toEqual({ me: { id: user.id } });
      await new Promise((resolve) => setTimeout(resolve, (expiresAt - Date.now() / 1000) * 1000 + 100));
      await expectBadCredentials(server, `Bearer ${token}`, 'Token expired');
    } finally {
      await server.close();
    }
  });
});

describe('algorithm confusion on RS256 and ES256 servers', () => {
  for (const algorithm of ['RS256', 'ES256'] as const) {
    it(`refuses HS256 signed with the ${algorithm} server's public key → 401`, async () => {
      const { privateKey, publicKey } = algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const server = await startTestServer({ JWT_ALGORITHM: algorithm, JWT_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string });
      try {
        const { token, user } = await server.createUser();
        expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: algorithm, typ: 'at+jwt', kid: expect.any(String) });
        expect((await server.graphql('{ me { id } }', { token })).body.data).toEqual({ me: { id: user.id } });

        const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; alg: string; d?: string }[] };
        expect(jwks.keys).toHaveLength(1);
        expect(jwks.keys[0]).toMatchObject({ alg: algorithm, use: 'sig' });
        expect(jwks.keys[0]!.d).toBeUndefined();

        const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
        // Built by hand: jsonwebtoken itself refuses to HMAC with a public key.
        for (const key of [publicKey.export({ format: 'pem', type: 'spki' }) as string, JSON.stringify(jwks.keys[0])]) {
          const unsigned = `${encode({ alg: 'HS256', typ: 'at+jwt', kid: jwks.keys[0]!.kid })}.${encode(payload)}`;
          await expectBadCredentials(server, `Bearer ${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`);
        }
      } finally {
        await server.close();
      }
    });
  }
});
