/**
 * Verifies access tokens from external OpenID Connect / Auth0 issuers through their JWKS.
 * The issuer is picked by the token's `iss` before anything is fetched; each issuer pins
 * its own algorithms and audience. jwks-rsa caches keys and rate-limits refetches, so a
 * flood of unknown `kid`s costs at most a few JWKS requests a minute.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import jwksClient, { type JwksClient } from 'jwks-rsa';
import type { ExternalIssuerConfig } from '../config.js';
import { InvalidTokenError, requireClaims } from './access-tokens.js';

export interface ExternalClaims {
  issuer: string;
  subject: string;
  permissions: string[];
  email: string | undefined;
  name: string | undefined;
}

const MAX_KID_LENGTH = 256;
const MAX_CACHED_KEYS = 64;

class TrustedIssuer {
  private readonly jwks: JwksClient;
  /** Parsed public keys by kid: parsing a PEM per request would dominate verification time. */
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    readonly settings: ExternalIssuerConfig,
    private readonly clockToleranceSeconds: number,
  ) {
    this.jwks = jwksClient({
      jwksUri: settings.jwksUri,
      cache: true,
      cacheMaxEntries: MAX_CACHED_KEYS,
      cacheMaxAge: 10 * 60_000,
      // While the JWKS endpoint is down, keys fetched within the last hour keep working.
      cacheMaxAgeFallback: 60 * 60_000,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: 5_000,
    });
  }

  private async key(kid: string | undefined): Promise<KeyObject> {
    const cacheKey = kid ?? '';
    const cached = this.keys.get(cacheKey);
    if (cached) return cached;
    let signingKey;
    try {
      signingKey = await this.jwks.getSigningKey(kid);
    } catch {
      throw new InvalidTokenError('invalid', 'no usable signing key for this kid');
    }
    const key = createPublicKey(signingKey.getPublicKey());
    if (this.keys.size >= MAX_CACHED_KEYS) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(cacheKey, key);
    return key;
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
    const permissions = Array.isArray(claims.permissions) ? claims.permissions.filter((p): p is string => typeof p === 'string') : [];
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    return {
      issuer: this.settings.issuer,
      subject: claims.sub!,
      permissions: [...new Set([...permissions, ...scopes])],
      email: typeof claims.email === 'string' ? claims.email : undefined,
      name: typeof claims.name === 'string' ? claims.name : undefined,
    };
  }
}

export class ExternalIssuers {
  private readonly byIssuer: Map<string, TrustedIssuer>;

  constructor(issuers: readonly ExternalIssuerConfig[], clockToleranceSeconds: number) {
    this.byIssuer = new Map(issuers.map((issuer) => [issuer.issuer, new TrustedIssuer(issuer, clockToleranceSeconds)]));
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
