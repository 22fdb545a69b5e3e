/**
 * What sessions publish: each revocation (logout, logoutAll, a family revoked on reuse, a user
 * disabled), on every instance, so that subscription sockets holding that right close within a second.
 */
import type { PubSub } from '../../kernel/pubsub.js';

export const SESSION_REVOKED = 'session.revoked';

export type RevocationReason = 'logout' | 'logout-all' | 'refresh-reuse' | 'user-disabled';

export interface SessionRevokedEvent {
  userId: string;
  /** One session (refresh-token family); absent: every session of the user. */
  sessionId?: string;
  reason: RevocationReason;
}

export class SessionEvents {
  constructor(private readonly pubsub: PubSub) {}

  /** After the revocation committed. */
  revoked(event: SessionRevokedEvent): Promise<void> {
    return this.pubsub.publish(SESSION_REVOKED, event);
  }

  listen(listener: (event: SessionRevokedEvent) => void): () => void {
    return this.pubsub.listen(SESSION_REVOKED, (message) => listener(message as SessionRevokedEvent));
  }
}
