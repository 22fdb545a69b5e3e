/**
 * The explorer's sign-in: `login` gives an access and a refresh token, the access token goes into the
 * Authorization header of every request the explorer sends, `refreshToken` rotates the pair before the
 * access token expires, and `logout` revokes the session. Tokens live in memory only (a reload signs
 * out): nothing a script could read later is left in storage.
 */
import type { SessionOperation } from './settings.js';

export interface Viewer {
  id: string;
  fullName: string;
  email: string | null;
  roles: string[];
  permissions: string[];
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
}

export interface SessionState {
  viewer: Viewer | null;
  /** When the next refresh runs (ms since the epoch), while signed in. */
  refreshAt: number | null;
}

interface GraphQLAnswer<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

// The same names and variables as client/operations, whose trusted documents are sent instead when the server has them.
const SESSION_FIELDS = 'accessToken refreshToken expiresIn';
const DOCUMENTS: Record<SessionOperation, string> = {
  Login: `mutation Login($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`,
  RefreshToken: `mutation RefreshToken($refreshToken: String!) { refreshToken(input: { refreshToken: $refreshToken }) { ${SESSION_FIELDS} } }`,
  Logout: 'mutation Logout($refreshToken: String!) { logout(input: { refreshToken: $refreshToken }) }',
  Me: 'query Me { me { id fullName email roles permissions } }',
};

/** Refresh a minute before expiry, or at three quarters of a short lifetime. */
export function refreshDelayMs(expiresInSeconds: number): number {
  return Math.max(1, expiresInSeconds - Math.min(60, expiresInSeconds / 4)) * 1000;
}

export class SignInError extends Error {}

export class ExplorerSession {
  private tokens: Tokens | null = null;
  private viewer: Viewer | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | undefined;
  private readonly listeners = new Set<() => void>();
  private snapshot: SessionState = { viewer: null, refreshAt: null };

  constructor(
    private readonly graphqlUrl: string,
    private readonly trustedIds: Partial<Record<SessionOperation, string>> = {},
  ) {}

  /** For React's useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  state = (): SessionState => this.snapshot;

  /** The header value for the explorer's requests, or undefined when signed out. */
  authorization(): string | undefined {
    return this.tokens ? `Bearer ${this.tokens.accessToken}` : undefined;
  }

  async signIn(email: string, password: string): Promise<void> {
    const answer = await this.send<{ login: AuthPayload }>('Login', { input: { email, password } });
    if (!answer.data?.login) throw new SignInError(answer.errors?.[0]?.message ?? 'Sign-in failed');
    this.use(answer.data.login);
    await this.loadViewer();
  }

  /** Rotates the pair; false (and signed out) when the refresh token is no longer accepted. Concurrent calls share one rotation. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.rotate().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  async signOut(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken;
    this.clear();
    if (refreshToken) await this.send('Logout', { refreshToken }).catch(() => undefined);
  }

  private async rotate(): Promise<boolean> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) return false;
    const answer = await this.send<{ refreshToken: AuthPayload }>('RefreshToken', { refreshToken }).catch(() => undefined);
    if (!answer?.data?.refreshToken) {
      this.clear();
      return false;
    }
    this.use(answer.data.refreshToken);
    // Roles may have changed since sign-in; the new token carries the current permissions.
    await this.loadViewer();
    return true;
  }

  private use(payload: AuthPayload): void {
    const now = Date.now();
    this.tokens = { accessToken: payload.accessToken, refreshToken: payload.refreshToken, expiresAt: now + payload.expiresIn * 1000 };
    clearTimeout(this.refreshTimer);
    const delay = refreshDelayMs(payload.expiresIn);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
    this.publish({ refreshAt: now + delay });
  }

  private async loadViewer(): Promise<void> {
    const answer = await this.send<{ me: Viewer | null }>('Me', {});
    this.viewer = answer.data?.me ?? null;
    this.publish({});
  }

  private clear(): void {
    clearTimeout(this.refreshTimer);
    this.tokens = null;
    this.viewer = null;
    this.publish({ refreshAt: null });
  }

  private publish(change: Partial<SessionState>): void {
    this.snapshot = { ...this.snapshot, viewer: this.viewer, ...change };
    if (!this.tokens) this.snapshot = { viewer: null, refreshAt: null };
    for (const listener of this.listeners) listener();
  }

  private async send<Data>(operationName: SessionOperation, variables: Record<string, unknown>): Promise<GraphQLAnswer<Data>> {
    const authorization = this.authorization();
    const documentId = this.trustedIds[operationName];
    const response = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
      body: JSON.stringify(documentId ? { documentId, operationName, variables } : { query: DOCUMENTS[operationName], operationName, variables }),
    });
    return (await response.json()) as GraphQLAnswer<Data>;
  }
}
