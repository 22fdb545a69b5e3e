/**
 * Turns an `Authorization` header into a Viewer, once per request: no header → anonymous;
 * a header that does not verify → InvalidTokenError (the request answers 401). Local tokens
 * and external issuers are told apart by `iss` before any key is looked up. A disabled user's
 * external tokens are refused; local access tokens stay stateless until they expire.
 */
import type jwt from 'jsonwebtoken';
import { InvalidTokenError, type LocalTokens } from './access-tokens.js';
import { parseJwt } from './compact-jwt.js';
import type { ExternalIdentities } from './external-identities.js';
import type { ExternalIssuers } from './external-issuers.js';
import type { Viewer } from './viewer.js';

/** Far above any real token; anything longer is refused before it is parsed. */
const MAX_TOKEN_LENGTH = 8192;
/** The token's own syntax (three base64url segments) is checked once, by parseJwt. */
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
    const decoded = parseJwt(token);
    if (!decoded) throw new InvalidTokenError('invalid', 'not a JWT');
    if (KEY_REFERENCE_HEADERS.some((name) => name in decoded.header)) {
      throw new InvalidTokenError('invalid', 'key-reference headers are not accepted');
    }
    const issuer = decoded.payload.iss;
    if (issuer === this.localTokens.issuer) {
      const claims = this.localTokens.verifyAccessToken(decoded);
      return { userId: claims.sub, permissions: new Set(claims.permissions ?? []), issuer: 'local', tokenId: claims.jti };
    }
    if (typeof issuer === 'string' && this.externalIssuers.has(issuer)) {
      // Unchecked, as jwt.decode's was: the issuer's verify checks alg and kid itself.
      const claims = await this.externalIssuers.verify(token, decoded.header as unknown as jwt.JwtHeader, issuer);
      const identity = await this.identities.resolve(claims);
      // Answered like any bad credential; the reason reaches only the log.
      if (identity.disabled) throw new InvalidTokenError('invalid', 'the user is disabled');
      return { userId: identity.userId, permissions: new Set(claims.permissions), issuer };
    }
    throw new InvalidTokenError('invalid', 'unknown issuer');
  }
}
