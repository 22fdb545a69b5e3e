/** What the server puts in the page's JSON data block (src/server/explorer/explorer.ts), read by the page script. */

/** A demo user the page offers to fill in (development only); the password only while it is the published default. */
export interface ExplorerDemoUser {
  email: string;
  role: string;
  password?: string;
}

/** The operations the sign-in panel sends; client/operations has each under this name. */
export const SESSION_OPERATIONS = ['Login', 'RefreshToken', 'Logout', 'Me'] as const;
export type SessionOperation = (typeof SESSION_OPERATIONS)[number];

export interface ExplorerPageSettings {
  /** Where operations go: HTTP POST, and graphql-ws on the same path. */
  graphqlPath: string;
  demoUsers: readonly ExplorerDemoUser[];
  /**
   * The trusted-documents ids ("sha256:<hex>") of the sign-in panel's operations, so that signing in
   * works where only trusted documents run (TRUSTED_DOCUMENTS=enforce); the panel sends its own text
   * for any missing here.
   */
  sessionDocuments: Partial<Record<SessionOperation, string>>;
}
