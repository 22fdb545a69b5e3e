/**
 * What authentication needs from the user store for an external token: the local user behind an
 * issuer + subject, created on first sight, and whether that user is disabled. Implemented in
 * modules/users; the authenticator depends only on this.
 */

export interface ExternalIdentityClaims {
  issuer: string;
  subject: string;
  /** A display name for a user created on first sight. */
  name: string | undefined;
}

export interface ExternalIdentity {
  userId: string;
  disabled: boolean;
}

export interface ExternalIdentities {
  /** Finds or creates the local user for issuer + subject, and reports whether it is disabled. */
  resolve(claims: ExternalIdentityClaims): Promise<ExternalIdentity>;
}
