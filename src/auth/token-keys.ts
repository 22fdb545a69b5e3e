/**
 * This server's signing keys, parsed once at start-up into KeyObjects (never per request):
 * the access-token key pair or secret, the keys of previous rotations (verification only), the
 * public JWKS, and separate HMAC keys for refresh tokens so that a refresh token can never
 * verify as an access token.
 */
import { createHash, createPrivateKey, createPublicKey, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { type Config, ConfigError } from '../config.js';

export interface VerificationKey {
  /** The `kid` tokens signed by this key carry; undefined for HS256. */
  keyId: string | undefined;
  key: KeyObject;
}

export interface TokenKeys {
  algorithm: 'HS256' | 'RS256' | 'ES256';
  signingKey: KeyObject;
  keyId: string | undefined;
  /** The current key first, then those of previous rotations. */
  verificationKeys: VerificationKey[];
  /** Signs new refresh tokens. */
  refreshKey: KeyObject;
  /** The current refresh key first, then those derived from previous secrets or private keys. */
  refreshVerificationKeys: KeyObject[];
  /** Published at /.well-known/jwks.json, current key first; empty for HS256. */
  jwks: { keys: Record<string, unknown>[] };
}

const MIN_RSA_BITS = 2048;

function deriveRefreshKey(material: Buffer): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', material, 'secure-graphql-api', 'refresh-token-v1', 32)));
}

/** RFC 7638 thumbprint, the default `kid`. */
function thumbprint(jwk: Record<string, unknown>): string {
  const members = jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : ['crv', 'kty', 'x', 'y'];
  const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, jwk[name]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Refuses a key too weak for, or of another type than, the algorithm. */
function checkKeyType(key: KeyObject, algorithm: 'RS256' | 'ES256', variable: string): void {
  const details = key.asymmetricKeyDetails ?? {};
  if (algorithm === 'RS256') {
    if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(`Invalid configuration: ${variable} must be an RSA key for RS256`);
    if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
      throw new ConfigError(`Invalid configuration: ${variable} is a ${details.modulusLength}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`);
    }
  } else if (key.asymmetricKeyType !== 'ec' || details.namedCurve !== 'prime256v1') {
    throw new ConfigError(`Invalid configuration: ${variable} must be a P-256 EC key for ES256`);
  }
}

interface AsymmetricKey {
  privateKey: KeyObject | undefined;
  publicKey: KeyObject;
  jwk: Record<string, unknown>;
  /** Only when the private key is known: refresh tokens are signed with a key derived from it. */
  refreshKey: KeyObject | undefined;
}

function asymmetricKey(pem: string, algorithm: 'RS256' | 'ES256', variable: string): AsymmetricKey {
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject;
  try {
    privateKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) ? createPrivateKey(pem) : undefined;
    publicKey = createPublicKey(privateKey ?? pem);
  } catch {
    throw new ConfigError(`Invalid configuration: ${variable} is not a readable PEM ${variable === 'JWT_PRIVATE_KEY' ? 'private key' : 'key'}`);
  }
  checkKeyType(publicKey, algorithm, variable);
  return {
    privateKey,
    publicKey,
    jwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
    refreshKey: privateKey && deriveRefreshKey(privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}

export function loadTokenKeys(tokens: Config['tokens']): TokenKeys {
  if (tokens.algorithm === 'HS256') {
    const secrets = [tokens.secret!, ...tokens.previousSecrets.filter((secret) => secret !== tokens.secret)].map((secret) => Buffer.from(secret));
    const key = createSecretKey(secrets[0]!);
    const refreshKeys = secrets.map(deriveRefreshKey);
    return {
      algorithm: 'HS256',
      signingKey: key,
      keyId: undefined,
      verificationKeys: secrets.map((secret) => ({ keyId: undefined, key: createSecretKey(secret) })),
      refreshKey: refreshKeys[0]!,
      refreshVerificationKeys: refreshKeys,
      jwks: { keys: [] },
    };
  }

  const current = asymmetricKey(tokens.privateKeyPem!, tokens.algorithm, 'JWT_PRIVATE_KEY');
  if (!current.privateKey) throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY is not a readable PEM private key');
  const keyId = tokens.keyId ?? thumbprint(current.jwk);
  const keys = [{ ...current, keyId }];
  for (const pem of tokens.previousKeyPems) {
    const previous = asymmetricKey(pem, tokens.algorithm, 'JWT_PREVIOUS_PUBLIC_KEYS');
    const previousId = thumbprint(previous.jwk);
    if (!keys.some((known) => known.keyId === previousId || known.publicKey.equals(previous.publicKey))) keys.push({ ...previous, keyId: previousId });
  }
  return {
    algorithm: tokens.algorithm,
    signingKey: current.privateKey,
    keyId,
    verificationKeys: keys.map(({ keyId: id, publicKey }) => ({ keyId: id, key: publicKey })),
    refreshKey: current.refreshKey!,
    refreshVerificationKeys: keys.flatMap(({ refreshKey }) => (refreshKey ? [refreshKey] : [])),
    jwks: { keys: keys.map(({ jwk, keyId: id }) => ({ ...jwk, kid: id, alg: tokens.algorithm, use: 'sig' })) },
  };
}
