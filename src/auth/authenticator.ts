/**
 * Turns an `Authorization` header into a Viewer, once per request: no header → anonymous;
 * a header that does not verify → InvalidTokenError (the request answers 401). Local tokens
 * and external issuers are told apart by `iss` before any key is looked up. A disabled user's
 * external tokens are refused; local access tokens stay stateless until they expire.
 */
import jwt from 'jsonwebtoken';
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

export class Authenticator {
  constructor(
    private readonly localTokens: LocalTokens,
    private readonly externalIssuers: ExternalIssuers,
    private readonly identities: ExternalIdentities,
  ) {}

  async viewerFrom(authorization: string | undefined): Promise<Viewer | null> {
    if (authorization === undefined) return null;
    const token = authorization.length <= MAX_TOKEN_LENGTH + 16 ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token || token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('invalid', 'malformed Authorization header');

    // Parsed once, unverified, only to route it: every branch below verifies the signature.
    const decoded = decodeJwt(token);
    if (!decoded) throw new InvalidTokenError('invalid', 'not a JWT');
    if (KEY_REFERENCE_HEADERS.some((name) => name in decoded.header)) {
      throw new InvalidTokenError('invalid', 'key-reference headers are not accepted');
    }
    const issuer = decoded.payload.iss;
    if (issuer === this.localTokens.issuer) {
      const claims = this.localTokens.verifyAccessToken(token, decoded.header);
      return { userId: claims.sub, permissions: new Set(claims.permissions ?? []), issuer: 'local', tokenId: claims.jti };
    }
    if (typeof issuer === 'string' && this.externalIssuers.has(issuer)) {
      // The issuer's verify checks alg and kid itself.
      const claims = await this.externalIssuers.verify(token, decoded.header, issuer);
      const identity = await this.identities.resolve(claims);
      // Answered like any bad credential; the reason reaches only the log.
      if (identity.disabled) throw new InvalidTokenError('invalid', 'the user is disabled');
      return { userId: identity.userId, permissions: new Set(claims.permissions), issuer };
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
