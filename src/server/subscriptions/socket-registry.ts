/**
 * Every open subscription socket of this instance, by viewer and by address: the counts the limits
 * read, and the index revocations close sockets through. A socket holds its viewer's right for as
 * long as that right lasts: its token's expiry (a timer), its session (logout, logoutAll, a family
 * revoked on refresh-token reuse) and its user (disabled). Revocations arrive over the pub/sub from
 * every instance; a periodic check of the database catches any a lost message missed.
 */
import type { Viewer } from '../../kernel/viewer.js';
import type { SocketCloseReason } from '../../observability/metrics.js';
import type { SessionRevokedEvent } from '../../modules/session/session.events.js';

/** 4403 is graphql-ws's Forbidden: the client must reconnect with a fresh token. */
export const FORBIDDEN = 4403;
/** setTimeout's longest delay; a later expiry is re-armed when it fires. */
const LONGEST_TIMER = 2 ** 31 - 1;

export interface TrackedSocket {
  address: string;
  viewer: Viewer | null;
  /** Closes the socket with a code and reason, recording why. */
  close(code: number, reason: string, why: SocketCloseReason): void;
}

interface Entry {
  socket: TrackedSocket;
  expiry?: NodeJS.Timeout;
}

export class SocketRegistry {
  private readonly entries = new Map<TrackedSocket, Entry>();
  private readonly byAddress = new Map<string, number>();
  private readonly byUser = new Map<string, Set<TrackedSocket>>();

  get size(): number {
    return this.entries.size;
  }

  socketsFrom(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }

  socketsOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** A socket just upgraded: counted against its address. */
  opened(socket: TrackedSocket): void {
    this.entries.set(socket, { socket });
    this.byAddress.set(socket.address, this.socketsFrom(socket.address) + 1);
  }

  /** Its viewer is known (connection_init): counted against the user, and closed when the token expires. */
  authenticated(socket: TrackedSocket, viewer: Viewer | null): void {
    const entry = this.entries.get(socket);
    if (!entry) return;
    socket.viewer = viewer;
    if (!viewer) return;
    let sockets = this.byUser.get(viewer.userId);
    if (!sockets) this.byUser.set(viewer.userId, (sockets = new Set()));
    sockets.add(socket);
    if (viewer.expiresAt !== undefined) this.armExpiry(entry, viewer.expiresAt);
  }

  private armExpiry(entry: Entry, expiresAt: number): void {
    const delay = expiresAt - Date.now();
    if (delay <= 0) {
      entry.socket.close(FORBIDDEN, 'Token expired', 'token-expired');
      return;
    }
    entry.expiry = setTimeout(() => this.armExpiry(entry, expiresAt), Math.min(delay, LONGEST_TIMER));
    entry.expiry.unref();
  }

  closed(socket: TrackedSocket): void {
    const entry = this.entries.get(socket);
    if (!entry) return;
    this.entries.delete(socket);
    clearTimeout(entry.expiry);
    const count = this.socketsFrom(socket.address) - 1;
    if (count > 0) this.byAddress.set(socket.address, count);
    else this.byAddress.delete(socket.address);
    const userId = socket.viewer?.userId;
    if (userId === undefined) return;
    const sockets = this.byUser.get(userId);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.byUser.delete(userId);
  }

  /** A revocation from any instance: every socket of the user (or of that one session) closes with 4403. */
  revoke({ userId, sessionId, reason }: SessionRevokedEvent): void {
    const why: SocketCloseReason = reason === 'user-disabled' ? 'user-disabled' : 'session-revoked';
    for (const socket of [...(this.byUser.get(userId) ?? [])]) {
      if (sessionId === undefined || socket.viewer?.sessionId === sessionId) socket.close(FORBIDDEN, why === 'user-disabled' ? 'User disabled' : 'Session revoked', why);
    }
  }

  /** The users and sessions the open sockets hold, for the periodic check. */
  held(): { userIds: string[]; sessionIds: string[] } {
    const sessionIds = new Set<string>();
    for (const sockets of this.byUser.values()) {
      for (const socket of sockets) if (socket.viewer?.sessionId) sessionIds.add(socket.viewer.sessionId);
    }
    return { userIds: [...this.byUser.keys()], sessionIds: [...sessionIds] };
  }

  /** Closes the sockets of `disabled` users and of sessions not in `live` (those the check found ended). */
  enforce({ disabled, liveSessions }: { disabled: ReadonlySet<string>; liveSessions: ReadonlySet<string> }): void {
    for (const [userId, sockets] of [...this.byUser]) {
      for (const socket of [...sockets]) {
        if (disabled.has(userId)) socket.close(FORBIDDEN, 'User disabled', 'user-disabled');
        else if (socket.viewer?.sessionId && !liveSessions.has(socket.viewer.sessionId)) socket.close(FORBIDDEN, 'Session revoked', 'session-revoked');
      }
    }
  }

  all(): TrackedSocket[] {
    return [...this.entries.keys()];
  }
}
