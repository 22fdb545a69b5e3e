/**
 * Issues and verifies this server's tokens: short-lived access JWTs (`typ: at+jwt`) and
 * refresh JWTs (`typ: rt+jwt`, a different key and audience). A refresh JWT only proves
 * where it came from; whether it is still current is decided by the refresh-token store.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config.js';
import type { TokenKeys } from './token-keys.js';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
const REFRESH_TOKEN_TYPE = 'rt+jwt';

export interface AccessClaims {
  sub: string;
  jti: string;
  permissions: string[];
  iat: number;
  exp: number;
  /** The session (refresh-token family) the token belongs to; absent in tokens issued outside a session. */
  sid?: string;
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
  private readonly accessOptions: jwt.VerifyOptions;

  constructor(
    private readonly keys: TokenKeys,
    private readonly settings: Config['tokens'],
  ) {
    this.refreshAudience = `${settings.audience}#refresh`;
    this.accessOptions = {
      algorithms: [keys.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: settings.clockToleranceSeconds,
    };
  }

  get issuer(): string {
    return this.settings.issuer;
  }

  get accessTokenTtlSeconds(): number {
    return this.settings.accessTokenTtlSeconds;
  }

  /** `sessionId`: the refresh-token family the token is issued for, as the `sid` claim (OpenID's name for it). */
  issueAccessToken(userId: string, permissions: readonly string[], sessionId?: string): string {
    return jwt.sign({ permissions, ...(sessionId && { sid: sessionId }) }, this.keys.signingKey, {
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
   * Verifies on every call: jsonwebtoken checks the pinned algorithm, the signature, `exp`/`nbf`,
   * issuer and audience; then the type, critical headers and claims. `header` is the token's
   * header when the caller has already decoded it (to route it), so it is not decoded twice.
   */
  verifyAccessToken(token: string, header?: jwt.JwtHeader): AccessClaims {
    try {
      const verified = verifyWithAny(token, this.accessKeysFor(header ?? jwt.decode(token, { complete: true })?.header), this.accessOptions);
      if (verified.header.typ !== ACCESS_TOKEN_TYPE) throw new InvalidTokenError('invalid', 'not an access token');
      // RFC 7515: a critical extension we do not understand makes the token unacceptable.
      if (verified.header.crit !== undefined) throw new InvalidTokenError('invalid', 'unsupported critical header');
      const payload = requireClaims(verified.payload, ['sub', 'jti', 'exp', 'iat']);
      if (typeof payload.iat !== 'number') throw new InvalidTokenError('invalid', 'iat must be a number');
      if (payload.permissions !== undefined && !(Array.isArray(payload.permissions) && payload.permissions.every((name) => typeof name === 'string'))) {
        throw new InvalidTokenError('invalid', 'permissions must be a list of names');
      }
      if (payload.sid !== undefined && typeof payload.sid !== 'string') throw new InvalidTokenError('invalid', 'sid must be a string');
      return payload as unknown as AccessClaims;
    } catch (error) {
      throw toInvalidToken(error);
    }
  }

  /** Every key for HS256 (its tokens name none); for RS256/ES256 the key the token's `kid` names. */
  private accessKeysFor(header: jwt.JwtHeader | undefined): KeyObject[] {
    const keys = this.keys.verificationKeys;
    if (this.keys.algorithm === 'HS256') return keys.map(({ key }) => key);
    if (header?.kid === undefined) return [keys[0]!.key];
    const named = keys.find(({ keyId }) => keyId === header.kid);
    if (!named) throw new InvalidTokenError('invalid', 'unknown key id');
    return [named.key];
  }

  verifyRefreshToken(token: string): RefreshClaims {
    try {
      const { header, payload } = verifyWithAny(token, this.keys.refreshVerificationKeys, {
        algorithms: ['HS256'],
        issuer: this.settings.issuer,
        audience: this.refreshAudience,
        clockTolerance: this.settings.clockToleranceSeconds,
      });
      if (header.typ !== REFRESH_TOKEN_TYPE) throw new InvalidTokenError('invalid', 'not a refresh token');
      return requireClaims(payload, ['sub', 'jti', 'exp']) as unknown as RefreshClaims;
    } catch (error) {
      throw toInvalidToken(error);
    }
  }
}

/**
 * jwt.verify against each key in turn, current key first, moving on only when the signature did
 * not match: a token signed before a key rotation is then checked against the key that signed it.
 */
function verifyWithAny(token: string, keys: readonly KeyObject[], options: jwt.VerifyOptions): jwt.Jwt {
  for (const [index, key] of keys.entries()) {
    try {
      return jwt.verify(token, key, { ...options, complete: true });
    } catch (error) {
      const wrongKey = error instanceof jwt.JsonWebTokenError && error.message === 'invalid signature';
      if (!wrongKey || index === keys.length - 1) throw error;
    }
  }
  throw new InvalidTokenError('invalid', 'no verification key');
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
