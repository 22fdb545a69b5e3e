/** Who is making a request, as established once per request from its Bearer token. */
import type { Permission } from './permissions.js';

export interface Viewer {
  /** The local user id (external identities are mapped to a local user on first sight). */
  userId: string;
  /** Held permissions; external tokens may carry names outside the catalog, which grant nothing. */
  permissions: ReadonlySet<Permission | string>;
  /** `local` for tokens this server issued, otherwise the external issuer's URL. */
  issuer: string;
  tokenId?: string;
  /** The session (refresh-token family) a local access token was issued for; logout ends it. */
  sessionId?: string;
  /** When the token stops being valid, in epoch milliseconds: a subscription socket closes then. */
  expiresAt?: number;
}
