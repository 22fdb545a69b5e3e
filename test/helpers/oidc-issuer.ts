/**
 * A real OpenID Connect issuer on loopback for tests: its own RSA and EC keys, a JWKS
 * endpoint that counts its requests, key rotation, outages, and token signing with any claims.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

interface IssuerKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

let keyCounter = 0;

export function generateIssuerKey(alg: 'RS256' | 'ES256' = 'RS256', modulusLength = 2048): IssuerKey {
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  keyCounter += 1;
  const kid = `${alg.toLowerCase()}-key-${keyCounter}`;
  return { kid, alg, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

export interface TestIssuer {
  issuer: string;
  jwksUri: string;
  audience: string;
  rsaKey: IssuerKey;
  ecKey: IssuerKey;
  /** How many times the JWKS was fetched. */
  jwksRequests: number;
  /** Signs a token; claims default to a valid access token for `audience`. A header value of undefined drops that header (`{ kid: undefined }`). */
  sign(claims?: Record<string, unknown>, options?: { key?: IssuerKey; header?: Record<string, unknown>; expiresIn?: number }): string;
  /** The keys the JWKS publishes now. */
  readonly keys: readonly IssuerKey[];
  /** Publishes a new key (rotation); the old ones stay unless `retire` is true. */
  rotate(alg?: 'RS256' | 'ES256', retire?: boolean): IssuerKey;
  /** Makes the JWKS endpoint answer 503 while down. */
  setDown(down: boolean): void;
  /** The OIDC_ISSUERS entry for this issuer; `extra` adds fields (permissionsClaim, grants). */
  configEntry(algorithms?: string[], extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

/** `algorithms`: the keys published at start, one per entry (an RSA and an EC key by default). */
export async function startTestIssuer(audience = 'https://api.test.example', { algorithms = ['RS256', 'ES256'] }: { algorithms?: ('RS256' | 'ES256')[] } = {}): Promise<TestIssuer> {
  const keys: IssuerKey[] = algorithms.map((alg) => generateIssuerKey(alg));
  let down = false;
  const server = http.createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      state.jwksRequests += 1;
      if (down) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/`;

  const state: TestIssuer = {
    issuer,
    jwksUri: `${issuer}.well-known/jwks.json`,
    audience,
    rsaKey: keys.find((key) => key.alg === 'RS256')!,
    ecKey: keys.find((key) => key.alg === 'ES256')!,
    keys,
    jwksRequests: 0,
    sign(claims = {}, { key = keys[0]!, header = {}, expiresIn = 300 } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: issuer, aud: audience, sub: 'auth0|test-user', iat: now, exp: now + expiresIn, ...claims };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete (payload as Record<string, unknown>)[name];
      const fullHeader: Record<string, unknown> = { alg: key.alg, typ: 'JWT', kid: key.kid, ...header };
      for (const [name, value] of Object.entries(fullHeader)) if (value === undefined) delete fullHeader[name];
      return jwt.sign(payload, key.privateKey, { algorithm: key.alg, header: fullHeader as unknown as jwt.JwtHeader });
    },
    rotate(alg = 'RS256', retire = false) {
      const key = generateIssuerKey(alg);
      if (retire) keys.splice(0, keys.length);
      keys.push(key);
      return key;
    },
    setDown(value) {
      down = value;
    },
    configEntry(algorithms = ['RS256', 'ES256'], extra = {}) {
      return { issuer, audience, jwksUri: state.jwksUri, algorithms, ...extra };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return state;
}
