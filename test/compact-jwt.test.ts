/**
 * The access-token verifier on node:crypto (src/auth/compact-jwt.ts): tokens signed by
 * jsonwebtoken with real keys verify, and every way of bending a token is refused. The HTTP-level
 * behaviour (401, "Token expired") is covered by test/security/access-tokens.test.ts.
 */
import { createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError, LocalTokens } from '../src/auth/access-tokens.js';
import { claimProblem, hasValidSignature, parseJwt, type ParsedJwt } from '../src/auth/compact-jwt.js';
import { loadTokenKeys } from '../src/auth/token-keys.js';
import { loadConfig } from '../src/config.js';

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const rules = { issuer: 'https://issuer.example/', audience: 'api', clockToleranceSeconds: 5, required: ['sub', 'exp'] };
const claims = (overrides: Record<string, unknown> = {}) => ({ sub: 'user-1', iss: rules.issuer, aud: rules.audience, iat: now(), exp: now() + 60, ...overrides });

/** The same signature bytes in another base64url spelling: the lowest bit of the last character is padding (32, 64 and 256 bytes all leave some). */
function respell(signature: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1]!;
}

const parsed = (token: string): ParsedJwt => {
  const result = parseJwt(token);
  expect(result).toBeDefined();
  return result!;
};

describe('signatures', () => {
  const secret = createSecretKey(randomBytes(32));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cases = [
    { algorithm: 'HS256', signWith: secret, verifyWith: secret, otherKey: createSecretKey(randomBytes(32)) },
    { algorithm: 'RS256', signWith: rsa.privateKey, verifyWith: rsa.publicKey, otherKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey },
    { algorithm: 'ES256', signWith: ec.privateKey, verifyWith: ec.publicKey, otherKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey },
  ] as const;

  for (const { algorithm, signWith, verifyWith, otherKey } of cases) {
    it(`${algorithm}: accepts jsonwebtoken's signature, refuses another key, an edited payload and a re-spelled signature`, () => {
      const token = jwt.sign(claims(), signWith, { algorithm });
      expect(hasValidSignature(parsed(token), algorithm, verifyWith)).toBe(true);
      expect(hasValidSignature(parsed(token), algorithm, otherKey)).toBe(false);

      const [header, , signature] = token.split('.');
      expect(hasValidSignature(parsed(`${header}.${encode(claims({ sub: 'admin' }))}.${signature}`), algorithm, verifyWith)).toBe(false);
      const respelled = respell(signature!);
      expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(signature!, 'base64url'));
      expect(hasValidSignature(parsed(`${header}.${token.split('.')[1]}.${respelled}`), algorithm, verifyWith)).toBe(false);
    });
  }

  it('refuses a secret where a public key is expected and the other way round', () => {
    const hs = jwt.sign(claims(), secret, { algorithm: 'HS256' });
    expect(hasValidSignature(parsed(hs), 'HS256', rsa.publicKey)).toBe(false);
    const rs = jwt.sign(claims(), rsa.privateKey, { algorithm: 'RS256' });
    expect(hasValidSignature(parsed(rs), 'RS256', secret)).toBe(false);
  });
});

describe('parsing', () => {
  const good = `${encode({ alg: 'HS256' })}.${encode(claims())}.c2ln`;

  it('parses three base64url segments holding JSON objects', () => {
    expect(parseJwt(good)).toMatchObject({ header: { alg: 'HS256' }, payload: { sub: 'user-1' }, signature: 'c2ln' });
  });

  it('refuses anything else', () => {
    const [header, payload] = good.split('.');
    for (const token of [
      `${header}.${payload}`,
      `${header}.${payload}.`,
      `${header}.${payload}.c2ln.c2ln`,
      `${header}.${payload}.c2+ln`,
      `${header}.${encode([1, 2])}.c2ln`,
      `${header}.${Buffer.from('not json').toString('base64url')}.c2ln`,
      `${encode({ alg: 'HS256' }).slice(0, -2)}.${payload}.c2ln`,
      '',
    ]) {
      expect(parseJwt(token), token).toBeUndefined();
    }
  });

  it('decodes each token with its own header when tokens with different headers alternate', () => {
    const other = `${encode({ alg: 'RS256', kid: 'k1' })}.${encode(claims({ sub: 'user-2' }))}.c2ln`;
    for (let round = 0; round < 3; round++) {
      expect(parseJwt(good)).toMatchObject({ header: { alg: 'HS256' }, payload: { sub: 'user-1' } });
      expect(parseJwt(other)).toMatchObject({ header: { alg: 'RS256', kid: 'k1' }, payload: { sub: 'user-2' } });
    }
    expect(Object.isFrozen(parseJwt(good)!.header)).toBe(true);
  });
});

describe('claims', () => {
  it('accepts current claims, an audience list that names us, and lateness within the tolerance', () => {
    expect(claimProblem(claims(), rules)).toBeUndefined();
    expect(claimProblem(claims({ aud: ['other', 'api'] }), rules)).toBeUndefined();
    expect(claimProblem(claims({ exp: now() - 3, nbf: now() + 3 }), rules)).toBeUndefined();
  });

  it('says "expired" only for a late exp, and "invalid" for everything else', () => {
    expect(claimProblem(claims({ exp: now() - 10 }), rules)).toMatchObject({ reason: 'expired' });
    for (const bad of [
      claims({ exp: undefined }),
      claims({ exp: String(now() + 60) }),
      claims({ nbf: now() + 60 }),
      claims({ iat: 'yesterday' }),
      claims({ aud: 'other' }),
      claims({ aud: ['other'] }),
      claims({ aud: undefined }),
      claims({ iss: 'https://evil.example/' }),
      claims({ sub: 42 }),
      claims({ sub: '' }),
    ]) {
      expect(claimProblem(bad, rules), JSON.stringify(bad)).toMatchObject({ reason: 'invalid' });
    }
  });
});

describe("this server's access tokens", () => {
  const config = loadConfig({ NODE_ENV: 'test' });
  const keys = loadTokenKeys(config.tokens);
  const tokens = new LocalTokens(keys, config.tokens);
  const signed = (payload: object, header: object = {}) =>
    jwt.sign(payload, keys.signingKey, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt', ...header } as jwt.JwtHeader });
  const base = () => ({ sub: 'user-1', jti: 'j1', iss: config.tokens.issuer, aud: config.tokens.audience, iat: now(), exp: now() + 60 });

  it('verifies the tokens it issues, parsed or not', () => {
    const token = tokens.issueAccessToken('user-1', ['read:users']);
    expect(tokens.verifyAccessToken(token)).toMatchObject({ sub: 'user-1', permissions: ['read:users'] });
    expect(tokens.verifyAccessToken(parsed(token)).sub).toBe('user-1');
  });

  it('refuses a critical header it does not understand, permissions that are not a list of names, and a refresh token', () => {
    expect(() => tokens.verifyAccessToken(signed({ ...base(), permissions: [] }, { crit: ['exp'] }))).toThrow(InvalidTokenError);
    expect(() => tokens.verifyAccessToken(signed({ ...base(), permissions: 'read:users' }))).toThrow(InvalidTokenError);
    expect(() => tokens.verifyAccessToken(signed({ ...base(), permissions: [1] }))).toThrow(InvalidTokenError);
    const refresh = tokens.issueRefreshToken('user-1', 'row-1', new Date(Date.now() + 60_000));
    expect(() => tokens.verifyAccessToken(refresh)).toThrow(InvalidTokenError);
  });

  it('checks the signature before the claims, so a forged expired token is "invalid", not "expired"', () => {
    const forged = jwt.sign({ ...base(), exp: now() - 600 }, 'a-different-secret-of-at-least-32-bytes!', { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt' } });
    expect(() => tokens.verifyAccessToken(forged)).toThrow(expect.objectContaining({ reason: 'invalid' }));
    expect(() => tokens.verifyAccessToken(signed({ ...base(), exp: now() - 600 }))).toThrow(expect.objectContaining({ reason: 'expired' }));
  });
});
