/** The Authorization header: every way a presented access token can be wrong answers 401. */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_DEFAULTS, loadConfig } from '../src/config.js';
import { loadTokenKeys } from '../src/auth/token-keys.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');

describe('access tokens on HS256 (the default)', () => {
  let server: TestServer;
  let userId: string;
  let validToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    const created = await server.createUser();
    userId = created.user.id;
    validToken = created.token;
  });
  afterAll(() => server?.close());

  const { issuer, audience } = loadConfig({}).tokens;
  const secret = DEVELOPMENT_DEFAULTS.jwtSecret;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => {
    const all: Record<string, unknown> = { sub: userId, iss: issuer, aud: audience, iat: now(), exp: now() + 300, jti: 'j1', permissions: [], ...overrides };
    return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  };
  const sign = (overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    jwt.sign(claims(overrides), secret, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt', ...header } as jwt.JwtHeader });

  const expectBadCredentials = async (authorization: string, reason?: string) => {
    const response = await server.graphql('{ me { id } }', { headers: { authorization } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]).toMatchObject({ message: 'Bad credentials', extensions: { code: 'UNAUTHENTICATED', ...(reason && { reason }) } });
    expect(response.body.data).toBeUndefined();
  };

  it('accepts a valid token and treats a missing header as anonymous', async () => {
    expect((await server.graphql('{ me { id } }', { token: validToken })).body.data).toEqual({ me: { id: userId } });
    expect((await server.graphql('{ publicMessage { text } }')).status).toBe(200);
  });

  it('answers 401 for malformed headers', async () => {
    for (const header of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', `Bearer ${validToken} extra`, `Token ${validToken}`]) {
      await expectBadCredentials(header);
    }
  });

  it('says "Token expired" when that is the reason, so clients know to refresh', async () => {
    await expectBadCredentials(`Bearer ${sign({ iat: now() - 1000, exp: now() - 60 })}`, 'Token expired');
  });

  it('refuses a bad signature, an edited payload, a wrong audience or issuer, and a missing exp', async () => {
    const [header, , signature] = validToken.split('.');
    await expectBadCredentials(`Bearer ${header}.${encode(claims({ permissions: ['read:users'] }))}.${signature}`);
    await expectBadCredentials(`Bearer ${jwt.sign(claims(), 'another-secret-of-at-least-32-bytes!!', { header: { alg: 'HS256', typ: 'at+jwt' } })}`);
    await expectBadCredentials(`Bearer ${sign({ aud: 'someone-else' })}`);
    await expectBadCredentials(`Bearer ${sign({ iss: 'https://evil.example/' })}`);
    await expectBadCredentials(`Bearer ${sign({ exp: undefined })}`);
  });

  it('refuses alg "none" in any casing, and an unlisted algorithm', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      await expectBadCredentials(`Bearer ${encode({ alg, typ: 'at+jwt' })}.${encode(claims())}.`);
    }
    await expectBadCredentials(`Bearer ${jwt.sign(claims(), secret, { algorithm: 'HS512', header: { alg: 'HS512', typ: 'at+jwt' } })}`);
  });

  it('refuses a token whose typ is not at+jwt (e.g. an ID token)', async () => {
    await expectBadCredentials(`Bearer ${sign({}, { typ: 'JWT' })}`);
  });

  it('refuses key-reference headers without fetching anything', async () => {
    for (const header of [{ jku: 'http://127.0.0.1:9/jwks.json' }, { x5u: 'http://127.0.0.1:9/cert.pem' }, { jwk: { kty: 'oct', k: 'AAAA' } }]) {
      await expectBadCredentials(`Bearer ${sign({}, header)}`);
    }
  });
});

describe('access tokens on RS256 and ES256', () => {
  for (const algorithm of ['RS256', 'ES256'] as const) {
    it(`signs with ${algorithm}, publishes the key at /.well-known/jwks.json, and refuses HS256 signed with the public key`, async () => {
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

        const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
        const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
        // Built by hand: jsonwebtoken itself refuses to HMAC with a public key.
        const unsigned = `${encode({ alg: 'HS256', typ: 'at+jwt' })}.${encode(payload)}`;
        const confused = `${unsigned}.${createHmac('sha256', pem).update(unsigned).digest('base64url')}`;
        const response = await server.graphql('{ me { id } }', { token: confused });
        expect(response.status).toBe(401);
      } finally {
        await server.close();
      }
    });
  }

  it('refuses at start-up an RSA key shorter than 2048 bits', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const config = loadConfig({ JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string });
    expect(() => loadTokenKeys(config.tokens)).toThrow(ConfigError);
    expect(() => loadTokenKeys(config.tokens)).toThrow(/1024-bit RSA key; at least 2048/);
  });
});
