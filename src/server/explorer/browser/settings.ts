/** What the server puts in the page's JSON data block (src/server/explorer/explorer.ts), read by the page script. */

/** A demo user the page offers to fill in (development only); the password only while it is the published default. */
export interface ExplorerDemoUser {
  email: string;
  role: string;
  password?: string;
}

export interface ExplorerPageSettings {
  /** Where operations go: HTTP POST, and graphql-ws on the same path. */
  graphqlPath: string;
  demoUsers: readonly ExplorerDemoUser[];
}
