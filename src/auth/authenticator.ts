/**
 * Turns an `Authorization` header into a Viewer, once per request: no header → anonymous;
 * a header that does not verify → InvalidTokenError (the request answers 401). Local tokens
 * and external issuers are told apart by `iss` before any key is looked up. A disabled user's
 * external tokens are refused; local access tokens stay stateless until they expire.
 */
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { InvalidTokenError, type LocalTokens } from './access-tokens.js';
import type { ExternalIdentities } from './external-identities.js';
import type { ExternalIssuers } from './external-issuers.js';
import type { Viewer } from '../kernel/viewer.js';

/** Far above any real token; anything longer is refused before it is parsed. */
const MAX_TOKEN_LENGTH = 8192;
/** The token's own syntax (three base64url segments) is checked by jwt.decode. */
const BEARER = /^Bearer +([^ ]+) *$/i;
/** Headers that would make a verifier fetch or trust a key named by the token itself. */
const KEY_REFERENCE_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'];
/** Local access tokens verified recently; a client sends the same one with every request until it expires. */
const VERIFIED_LOCAL_TOKENS = 10_000;

interface VerifiedLocalToken {
  viewer: Viewer;
  /** The `exp` claim in milliseconds: past it, the token goes through jsonwebtoken again (and its clock tolerance). */
  expiresAt: number;
}

export class Authenticator {
  /**
   * A local access token that verified once is the same bytes under the same keys (they change only
   * with a restart) and stays valid until `exp`, so its viewer is kept until then. External tokens
   * are verified every time: their keys leave the JWKS and their users can be disabled.
   */
  private readonly verifiedLocalTokens = new LRUCache<string, VerifiedLocalToken>({ max: VERIFIED_LOCAL_TOKENS });

  constructor(
    private readonly localTokens: LocalTokens,
    private readonly externalIssuers: ExternalIssuers,
    private readonly identities: ExternalIdentities,
  ) {}

  async viewerFrom(authorization: string | undefined): Promise<Viewer | null> {
    if (authorization === undefined) return null;
    const token = authorization.length <= MAX_TOKEN_LENGTH + 16 ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token || token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('invalid', 'malformed Authorization header');
    const verified = this.verifiedLocalTokens.get(token);
    if (verified && Date.now() < verified.expiresAt) return verified.viewer;

    // Parsed once, unverified, only to route it: every branch below verifies the signature.
    const decoded = decodeJwt(token);
    if (!decoded) throw new InvalidTokenError('invalid', 'not a JWT');
    if (KEY_REFERENCE_HEADERS.some((name) => name in decoded.header)) {
      throw new InvalidTokenError('invalid', 'key-reference headers are not accepted');
    }
    const issuer = decoded.payload.iss;
    if (issuer === this.localTokens.issuer) {
      const claims = this.localTokens.verifyAccessToken(token, decoded.header);
      const viewer: Viewer = { userId: claims.sub, permissions: new Set(claims.permissions ?? []), issuer: 'local', tokenId: claims.jti, sessionId: claims.sid, expiresAt: claims.exp * 1000 };
      this.verifiedLocalTokens.set(token, { viewer, expiresAt: claims.exp * 1000 });
      return viewer;
    }
    if (typeof issuer === 'string' && this.externalIssuers.has(issuer)) {
      // The issuer's verify checks alg and kid itself.
      const claims = await this.externalIssuers.verify(token, decoded.header, issuer);
      const identity = await this.identities.resolve(claims);
      // Answered like any bad credential; the reason reaches only the log.
      if (identity.disabled) throw new InvalidTokenError('invalid', 'the user is disabled');
      return { userId: identity.userId, permissions: new Set(claims.permissions), issuer, expiresAt: claims.expiresAt };
    }
    throw new InvalidTokenError('invalid', 'unknown issuer');
  }
}

const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The token decoded, unverified; null unless it is a compact JWS whose header and payload are JSON objects. */
function decodeJwt(token: string): { header: jwt.JwtHeader; payload: Record<string, unknown> } | null {
  let decoded: jwt.Jwt | null;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    // jws parses the payload itself when the header says `typ: JWT`, and throws on bad JSON.
    return null;
  }
  if (!decoded || !isJsonObject(decoded.header) || !isJsonObject(decoded.payload)) return null;
  return { header: decoded.header, payload: decoded.payload };
}
