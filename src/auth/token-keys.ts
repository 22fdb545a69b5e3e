/**
 * This server's signing keys, parsed once at start-up into KeyObjects (never per request):
 * the access-token key pair or secret, the public JWKS, and a separate HMAC key for refresh
 * tokens so that a refresh token can never verify as an access token.
 */
import { createHash, createPrivateKey, createPublicKey, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { type Config, ConfigError } from '../config.js';

export interface TokenKeys {
  algorithm: 'HS256' | 'RS256' | 'ES256';
  signingKey: KeyObject;
  verificationKey: KeyObject;
  keyId: string | undefined;
  refreshKey: KeyObject;
  /** Published at /.well-known/jwks.json; empty for HS256. */
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

export function loadTokenKeys(tokens: Config['tokens']): TokenKeys {
  if (tokens.algorithm === 'HS256') {
    const secret = Buffer.from(tokens.secret!);
    const key = createSecretKey(secret);
    return { algorithm: 'HS256', signingKey: key, verificationKey: key, keyId: undefined, refreshKey: deriveRefreshKey(secret), jwks: { keys: [] } };
  }

  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(tokens.privateKeyPem!);
  } catch {
    throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY is not a readable PEM private key');
  }
  const details = privateKey.asymmetricKeyDetails ?? {};
  if (tokens.algorithm === 'RS256') {
    if (privateKey.asymmetricKeyType !== 'rsa') throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY must be an RSA key for RS256');
    if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
      throw new ConfigError(`Invalid configuration: JWT_PRIVATE_KEY is a ${details.modulusLength}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`);
    }
  } else if (privateKey.asymmetricKeyType !== 'ec' || details.namedCurve !== 'prime256v1') {
    throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY must be a P-256 EC key for ES256');
  }
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const keyId = tokens.keyId ?? thumbprint(jwk);
  return {
    algorithm: tokens.algorithm,
    signingKey: privateKey,
    verificationKey: publicKey,
    keyId,
    refreshKey: deriveRefreshKey(privateKey.export({ format: 'der', type: 'pkcs8' })),
    jwks: { keys: [{ ...jwk, kid: keyId, alg: tokens.algorithm, use: 'sig' }] },
  };
}
