/**
 * Rotating this server's signing key (README, "Rotating the signing key"): restarted with a new key
 * and the old one listed as previous, the server still accepts the old access and refresh tokens,
 * signs everything new with the new key only, and once the old key is dropped the old tokens get 401.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidTokenError, LocalTokens } from '../../src/auth/access-tokens.js';
import { loadTokenKeys } from '../../src/auth/token-keys.js';
import { ConfigError, DEVELOPMENT_DEFAULTS, loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { expectBadCredentials, LOGIN, REFRESH, type AuthPayload } from './helpers.js';

type Algorithm = 'HS256' | 'RS256' | 'ES256';

const newKey = (algorithm: Exclude<Algorithm, 'HS256'>) =>
  algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privatePem = (pair: ReturnType<typeof newKey>) => pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const publicPem = (pair: ReturnType<typeof newKey>) => pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;
/** Key material is checked when the keys are loaded, as src/main.ts does at start-up. */
const loadKeys = (env: Record<string, string>) => loadTokenKeys(loadConfig(env).tokens);
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid?: string };

/** One database; servers are started on it one after another, as an operator restarts instances. */
function rotation() {
  let db: Database;
  let running: TestServer | undefined;
  const restart = async (env: Record<string, string>) => {
    await running?.server.stop();
    running = await startTestServer(env, { db });
    return running;
  };
  return {
    restart,
    async open() {
      db = await createTestDatabase();
    },
    async close() {
      await running?.server.stop();
      await db?.close();
    },
  };
}

async function signIn(server: TestServer, email: string) {
  const response = await server.graphql<{ login: AuthPayload }>(LOGIN, { variables: { input: { email, password: TEST_PASSWORD } } });
  return response.body.data!.login;
}
const refresh = (server: TestServer, token: string) => server.graphql<{ refreshToken: AuthPayload }>(REFRESH, { variables: { token } });
const me = (server: TestServer, token: string) => server.graphql<{ me: { id: string } }>('{ me { id } }', { token });

describe('rotating JWT_SECRET (HS256) with JWT_PREVIOUS_SECRETS', () => {
  const steps = rotation();
  beforeAll(() => steps.open());
  afterAll(() => steps.close());

  it('keeps every session through the rotation, signs only with the new secret, and refuses old tokens once the old secret is dropped', async () => {
    const oldSecret = randomBytes(32).toString('base64');
    const newSecret = randomBytes(32).toString('base64');

    // Step 1 with several instances: the new secret is accepted everywhere before anyone signs with it.
    const before = await steps.restart({ JWT_SECRET: oldSecret, JWT_PREVIOUS_SECRETS: newSecret });
    const { user } = await before.createUser();
    const active = await signIn(before, user.email);
    const idle = await signIn(before, user.email);
    const { issuer, audience } = before.config.tokens;
    const signedByNewInstance = jwt.sign({ permissions: [] }, newSecret, { algorithm: 'HS256', expiresIn: 60, issuer, audience, subject: user.id, jwtid: 'j', header: { alg: 'HS256', typ: 'at+jwt' } });
    expect((await me(before, signedByNewInstance)).body.data).toEqual({ me: { id: user.id } });
    expect(() => jwt.verify(active.accessToken, oldSecret, { algorithms: ['HS256'] })).not.toThrow();

    const during = await steps.restart({ JWT_SECRET: newSecret, JWT_PREVIOUS_SECRETS: oldSecret });
    expect((await me(during, active.accessToken)).body.data).toEqual({ me: { id: user.id } });
    const rotated = (await refresh(during, active.refreshToken)).body.data!.refreshToken;
    expect(rotated.user.id).toBe(user.id);
    expect(() => jwt.verify(rotated.accessToken, newSecret, { algorithms: ['HS256'] })).not.toThrow();
    expect(() => jwt.verify(rotated.accessToken, oldSecret, { algorithms: ['HS256'] })).toThrow('invalid signature');

    const after = await steps.restart({ JWT_SECRET: newSecret });
    await expectBadCredentials(after, `Bearer ${active.accessToken}`);
    expect((await refresh(after, idle.refreshToken)).body.errors?.[0]).toMatchObject({ message: 'Invalid refresh token', extensions: { code: 'UNAUTHENTICATED' } });
    expect((await me(after, rotated.accessToken)).body.data).toEqual({ me: { id: user.id } });
    expect((await refresh(after, rotated.refreshToken)).body.data?.refreshToken.user.id).toBe(user.id);
  });

  it('refuses a previous secret under 32 bytes, and the development secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_PREVIOUS_SECRETS: `${'x'.repeat(40)}, too-short` })).toThrow(
      new ConfigError('Invalid configuration: JWT_PREVIOUS_SECRETS: each secret must be at least 32 bytes long'),
    );
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(40), JWT_PREVIOUS_SECRETS: DEVELOPMENT_DEFAULTS.jwtSecret })).toThrow(
      /JWT_PREVIOUS_SECRETS holds the development default/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: privatePem(newKey('RS256')), JWT_PREVIOUS_SECRETS: 'x'.repeat(40) })).toThrow(
      /JWT_PREVIOUS_SECRETS applies to HS256 only/,
    );
  });
});

for (const algorithm of ['RS256', 'ES256'] as const) {
  describe(`rotating JWT_PRIVATE_KEY (${algorithm}) with JWT_PREVIOUS_PUBLIC_KEYS`, () => {
    const steps = rotation();
    beforeAll(() => steps.open());
    afterAll(() => steps.close());

    it('with the old private key listed: the JWKS publishes both keys, every session survives, and dropping the old key refuses its tokens', async () => {
      const oldPair = newKey(algorithm);
      const newPair = newKey(algorithm);
      const base = { JWT_ALGORITHM: algorithm };

      const before = await steps.restart({ ...base, JWT_PRIVATE_KEY: privatePem(oldPair) });
      const { user } = await before.createUser();
      const active = await signIn(before, user.email);
      const idle = await signIn(before, user.email);
      const oldKid = headerOf(active.accessToken).kid!;

      // Several previous keys, one of them public only, separated as the README says.
      const unrelated = publicPem(newKey(algorithm));
      const during = await steps.restart({ ...base, JWT_PRIVATE_KEY: privatePem(newPair), JWT_PREVIOUS_PUBLIC_KEYS: `${privatePem(oldPair)}\n${unrelated}` });
      const jwks = (await (await fetch(`${during.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
      expect(jwks.keys).toHaveLength(3);
      expect(jwks.keys.map((key) => key.kid)).toContain(oldKid);
      expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);

      expect((await me(during, active.accessToken)).body.data).toEqual({ me: { id: user.id } });
      const rotated = (await refresh(during, active.refreshToken)).body.data!.refreshToken;
      const newKid = headerOf(rotated.accessToken).kid;
      expect(newKid).not.toBe(oldKid);
      expect(jwks.keys[0]!.kid).toBe(newKid);
      expect(() => jwt.verify(rotated.accessToken, newPair.publicKey, { algorithms: [algorithm] })).not.toThrow();

      const after = await steps.restart({ ...base, JWT_PRIVATE_KEY: privatePem(newPair) });
      await expectBadCredentials(after, `Bearer ${active.accessToken}`);
      expect((await refresh(after, idle.refreshToken)).body.errors?.[0]).toMatchObject({ message: 'Invalid refresh token', extensions: { code: 'UNAUTHENTICATED' } });
      expect((await me(after, rotated.accessToken)).body.data).toEqual({ me: { id: user.id } });
      expect((await refresh(after, rotated.refreshToken)).body.data?.refreshToken.user.id).toBe(user.id);
    });

    it('with only the old public key listed: old access tokens still verify, old refresh tokens do not (sessions sign in again)', async () => {
      const oldPair = newKey(algorithm);
      const newPair = newKey(algorithm);
      const base = { JWT_ALGORITHM: algorithm };

      const before = await steps.restart({ ...base, JWT_PRIVATE_KEY: privatePem(oldPair) });
      const { user } = await before.createUser();
      const session = await signIn(before, user.email);

      const during = await steps.restart({ ...base, JWT_PRIVATE_KEY: privatePem(newPair), JWT_PREVIOUS_PUBLIC_KEYS: publicPem(oldPair) });
      expect((await me(during, session.accessToken)).body.data).toEqual({ me: { id: user.id } });
      expect((await refresh(during, session.refreshToken)).body.errors?.[0]).toMatchObject({ message: 'Invalid refresh token', extensions: { code: 'UNAUTHENTICATED' } });
    });

    it('matches previous keys by thumbprint only: tokens signed under a custom JWT_KEY_ID are refused after the rotation', () => {
      const oldPair = newKey(algorithm);
      const oldConfig = loadConfig({ NODE_ENV: 'test', JWT_ALGORITHM: algorithm, JWT_PRIVATE_KEY: privatePem(oldPair), JWT_KEY_ID: 'key-2026' });
      const token = new LocalTokens(loadTokenKeys(oldConfig.tokens), oldConfig.tokens).issueAccessToken('user-1', []);
      const newConfig = loadConfig({ NODE_ENV: 'test', JWT_ALGORITHM: algorithm, JWT_PRIVATE_KEY: privatePem(newKey(algorithm)), JWT_PREVIOUS_PUBLIC_KEYS: privatePem(oldPair) });
      expect(() => new LocalTokens(loadTokenKeys(newConfig.tokens), newConfig.tokens).verifyAccessToken(token)).toThrow(InvalidTokenError);
    });

    it('refuses a previous key of the wrong type, and one that is not PEM', () => {
      const other = algorithm === 'RS256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
      const env = { JWT_ALGORITHM: algorithm, JWT_PRIVATE_KEY: privatePem(newKey(algorithm)) };
      expect(() => loadConfig({ NODE_ENV: 'test', ...env, JWT_PREVIOUS_PUBLIC_KEYS: publicPem(other) })).not.toThrow();
      expect(() => loadKeys({ ...env, JWT_PREVIOUS_PUBLIC_KEYS: publicPem(other) })).toThrow(/JWT_PREVIOUS_PUBLIC_KEYS/);
      expect(() => loadConfig({ NODE_ENV: 'test', ...env, JWT_PREVIOUS_PUBLIC_KEYS: 'not a key' })).toThrow(/JWT_PREVIOUS_PUBLIC_KEYS must hold one or more PEM keys/);
    });
  });
}
