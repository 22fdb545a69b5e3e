/**
 * Verifies access tokens from external OpenID Connect / Auth0 issuers through their JWKS.
 * The issuer is picked by the token's `iss` before anything is fetched; each issuer pins
 * its own algorithms and audience. jwks-rsa caches keys and rate-limits refetches, so a
 * flood of unknown `kid`s costs at most a few JWKS requests a minute. A key is trusted only as
 * long as jwks-rsa's cache holds it: once the cache max age has passed the JWKS is read again,
 * and a key the issuer removed is refused.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { JwksClient, SigningKey } from 'jwks-rsa';
import type { ExternalIssuerConfig } from '../config.js';
import { jwksClient } from '../kernel/optional-packages.js';
import { InvalidTokenError, requireClaims } from './access-tokens.js';

export interface ExternalClaims {
  issuer: string;
  subject: string;
  permissions: string[];
  email: string | undefined;
  name: string | undefined;
  /** `exp` in epoch milliseconds. */
  expiresAt: number;
}

export interface JwksCacheSettings {
  /** How long a fetched key is trusted before the JWKS is read again (OIDC_JWKS_CACHE_MAX_AGE). */
  maxAgeSeconds: number;
  /** How much longer cached keys keep working while the JWKS endpoint cannot be reached. */
  outageGraceSeconds?: number;
}

const MAX_KID_LENGTH = 256;
const MAX_CACHED_KEYS = 64;
const OUTAGE_GRACE_SECONDS = 60 * 60;

/**
 * Parsed public keys, keyed by the signing-key object jwks-rsa's cache hands out: parsing a PEM
 * per request would dominate verification time, and a refetch yields new objects, so a parsed
 * key never outlives the cache entry it came from.
 */
const parsedKeys = new WeakMap<SigningKey, KeyObject>();

class TrustedIssuer {
  private readonly jwks: JwksClient;
  /** Config validation keeps these to catalog permissions. */
  private readonly grants: ReadonlySet<string>;

  constructor(
    readonly settings: ExternalIssuerConfig,
    private readonly clockToleranceSeconds: number,
    cache: JwksCacheSettings,
  ) {
    this.grants = new Set(settings.grants);
    this.jwks = jwksClient({
      jwksUri: settings.jwksUri,
      cache: true,
      cacheMaxEntries: MAX_CACHED_KEYS,
      cacheMaxAge: cache.maxAgeSeconds * 1000,
      // Only when a refetch fails to reach the endpoint (network error, 5xx, timeout) does jwks-rsa
      // serve a key past its max age, for this long at most; a JWKS that no longer lists the key wins.
      cacheMaxAgeFallback: (cache.outageGraceSeconds ?? OUTAGE_GRACE_SECONDS) * 1000,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: 5_000,
    });
  }

  /**
   * The key for `kid`. Without a kid, jwks-rsa answers only while the JWKS holds exactly one
   * signing key, and caches that answer (under the undefined kid) for the same max age.
   */
  private async key(kid: string | undefined): Promise<KeyObject> {
    let signingKey: SigningKey;
    try {
      signingKey = await this.jwks.getSigningKey(kid);
    } catch {
      throw new InvalidTokenError('invalid', kid === undefined ? 'no kid, and the JWKS does not hold exactly one signing key' : 'no usable signing key for this kid');
    }
    let key = parsedKeys.get(signingKey);
    if (!key) {
      key = createPublicKey(signingKey.getPublicKey());
      parsedKeys.set(signingKey, key);
    }
    return key;
  }

  /**
   * Only the configured claim counts (a client that may ask for any scope must not grant itself
   * permissions through `scope` unless the issuer is set up for that), and only catalog
   * permissions this issuer is allowed to grant.
   */
  private permissionsIn(claims: jwt.JwtPayload): string[] {
    const raw: unknown = claims[this.settings.permissionsClaim];
    const values = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw : [];
    return [...new Set(values.filter((value): value is string => typeof value === 'string' && this.grants.has(value)))];
  }

  async verify(token: string, header: jwt.JwtHeader): Promise<ExternalClaims> {
    if (!this.settings.algorithms.includes(header.alg as never)) {
      throw new InvalidTokenError('invalid', `algorithm ${header.alg} is not accepted for this issuer`);
    }
    const key = await this.key(header.kid);
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: this.settings.algorithms,
        issuer: this.settings.issuer,
        audience: this.settings.audience as string | [string, ...string[]],
        clockTolerance: this.clockToleranceSeconds,
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new InvalidTokenError('expired');
      throw new InvalidTokenError('invalid', error instanceof Error ? error.message : undefined);
    }
    const claims = requireClaims(payload, ['sub', 'exp']);
    return {
      issuer: this.settings.issuer,
      subject: claims.sub!,
      permissions: this.permissionsIn(claims),
      email: typeof claims.email === 'string' ? claims.email : undefined,
      name: typeof claims.name === 'string' ? claims.name : undefined,
      expiresAt: Number(claims.exp) * 1000,
    };
  }
}

export class ExternalIssuers {
  private readonly byIssuer: Map<string, TrustedIssuer>;

  constructor(issuers: readonly ExternalIssuerConfig[], clockToleranceSeconds: number, cache: JwksCacheSettings) {
    this.byIssuer = new Map(issuers.map((issuer) => [issuer.issuer, new TrustedIssuer(issuer, clockToleranceSeconds, cache)]));
  }

  has(issuer: string): boolean {
    return this.byIssuer.has(issuer);
  }

  async verify(token: string, header: jwt.JwtHeader, issuer: string): Promise<ExternalClaims> {
    const trusted = this.byIssuer.get(issuer);
    if (!trusted) throw new InvalidTokenError('invalid', 'unknown issuer');
    if (header.kid !== undefined && (typeof header.kid !== 'string' || header.kid.length > MAX_KID_LENGTH || /[^\x21-\x7e]/.test(header.kid))) {
      throw new InvalidTokenError('invalid', 'malformed kid');
    }
    return trusted.verify(token, header);
  }
}
