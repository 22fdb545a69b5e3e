/**
 * Issues and verifies this server's tokens: short-lived access JWTs (`typ: at+jwt`) and
 * refresh JWTs (`typ: rt+jwt`, a different key and audience). A refresh JWT only proves
 * where it came from; whether it is still current is decided by the refresh-token store.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config.js';
import { claimProblem, hasValidSignature, parseJwt, type ClaimRules, type ParsedJwt } from './compact-jwt.js';
import type { TokenKeys } from './token-keys.js';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
const REFRESH_TOKEN_TYPE = 'rt+jwt';

export interface AccessClaims {
  sub: string;
  jti: string;
  permissions: string[];
  iat: number;
  exp: number;
}

export interface RefreshClaims {
  sub: string;
  jti: string;
  exp: number;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly reason: 'expired' | 'invalid', detail?: string) {
    super(detail ?? (reason === 'expired' ? 'Token expired' : 'Bad credentials'));
  }
}

function toInvalidToken(error: unknown): InvalidTokenError {
  if (error instanceof InvalidTokenError) return error;
  if (error instanceof jwt.TokenExpiredError) return new InvalidTokenError('expired');
  return new InvalidTokenError('invalid', error instanceof Error ? error.message : undefined);
}

export class LocalTokens {
  private readonly refreshAudience: string;
  private readonly accessClaimRules: ClaimRules;

  constructor(
    private readonly keys: TokenKeys,
    private readonly settings: Config['tokens'],
  ) {
    this.refreshAudience = `${settings.audience}#refresh`;
    this.accessClaimRules = {
      issuer: settings.issuer,
      audience: settings.audience,
      clockToleranceSeconds: settings.clockToleranceSeconds,
      required: ['sub', 'jti', 'exp', 'iat'],
    };
  }

  get issuer(): string {
    return this.settings.issuer;
  }

  get accessTokenTtlSeconds(): number {
    return this.settings.accessTokenTtlSeconds;
  }

  issueAccessToken(userId: string, permissions: readonly string[]): string {
    return jwt.sign({ permissions }, this.keys.signingKey, {
      algorithm: this.keys.algorithm,
      expiresIn: this.settings.accessTokenTtlSeconds,
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      subject: userId,
      jwtid: randomUUID(),
      header: { alg: this.keys.algorithm, typ: ACCESS_TOKEN_TYPE, ...(this.keys.keyId && { kid: this.keys.keyId }) },
    });
  }

  /** `tokenId` is the refresh-token row's id, so the stored hash can be found again. */
  issueRefreshToken(userId: string, tokenId: string, expiresAt: Date): string {
    return jwt.sign({ exp: Math.floor(expiresAt.getTime() / 1000) }, this.keys.refreshKey, {
      algorithm: 'HS256',
      issuer: this.settings.issuer,
      audience: this.refreshAudience,
      subject: userId,
      jwtid: tokenId,
      header: { alg: 'HS256', typ: REFRESH_TOKEN_TYPE },
    });
  }

  /**
   * Verifies on every call (signature, then type and claims); the request path's hot spot, so it
   * runs on node:crypto directly and accepts a token the caller has already parsed.
   */
  verifyAccessToken(token: string | ParsedJwt): AccessClaims {
    const parsed = typeof token === 'string' ? parseJwt(token) : token;
    if (!parsed) throw new InvalidTokenError('invalid', 'not a JWT');
    const { header, payload } = parsed;
    if (header.alg !== this.keys.algorithm) throw new InvalidTokenError('invalid', 'algorithm not accepted');
    if (!hasValidSignature(parsed, this.keys.algorithm, this.keys.verificationKey)) throw new InvalidTokenError('invalid', 'invalid signature');
    if (header.typ !== ACCESS_TOKEN_TYPE) throw new InvalidTokenError('invalid', 'not an access token');
    // RFC 7515: a critical extension we do not understand makes the token unacceptable.
    if (header.crit !== undefined) throw new InvalidTokenError('invalid', 'unsupported critical header');
    const problem = claimProblem(payload, this.accessClaimRules);
    if (problem) throw new InvalidTokenError(problem.reason, problem.detail);
    if (payload.permissions !== undefined && !(Array.isArray(payload.permissions) && payload.permissions.every((name) => typeof name === 'string'))) {
      throw new InvalidTokenError('invalid', 'permissions must be a list of names');
    }
    return payload as unknown as AccessClaims;
  }

  verifyRefreshToken(token: string): RefreshClaims {
    try {
      const { header, payload } = jwt.verify(token, this.keys.refreshKey, {
        algorithms: ['HS256'],
        issuer: this.settings.issuer,
        audience: this.refreshAudience,
        clockTolerance: this.settings.clockToleranceSeconds,
        complete: true,
      });
      if (header.typ !== REFRESH_TOKEN_TYPE) throw new InvalidTokenError('invalid', 'not a refresh token');
      return requireClaims(payload, ['sub', 'jti', 'exp']) as unknown as RefreshClaims;
    } catch (error) {
      throw toInvalidToken(error);
    }
  }
}

/** jsonwebtoken checks `exp` only when present; a token without one must not live forever. */
export function requireClaims(payload: string | jwt.JwtPayload, names: readonly string[]): jwt.JwtPayload {
  if (typeof payload === 'string') throw new InvalidTokenError('invalid', 'payload is not a JSON object');
  for (const name of names) {
    if (payload[name] === undefined || payload[name] === null || payload[name] === '') {
      throw new InvalidTokenError('invalid', `missing ${name} claim`);
    }
  }
  if (typeof payload.sub !== 'string') throw new InvalidTokenError('invalid', 'sub must be a string');
  return payload;
}
