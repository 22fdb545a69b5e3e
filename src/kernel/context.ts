/**
 * The per-request context every resolver receives: who is asking (established once, from the
 * Bearer token) and where from. Services are not in it: each module's resolvers are built over
 * the services they need (`menuResolvers(menu)`), once per process.
 */
import type { Viewer } from './viewer.js';

export interface Context {
  /** Null for anonymous requests. Fixed for the whole operation: signing in within it does not change it. */
  viewer: Viewer | null;
  requestId: string;
  /** The client's address as Express sees it (TRUST_PROXY decides which forwarding headers count); throttling keys on it. */
  clientIp: string;
  /** Set by the authorization plan before execution: the data-dependent rules it could not settle from the viewer alone. */
  dataChecks?: ReadonlySet<string>;
  /** Set by the subscription transport: counts an event a subscriber's per-event check dropped. */
  onEventFiltered?: () => void;
}

/** A context as the server builds it, for resolver tests and scripts that run operations without HTTP. */
export function createContext(viewer: Viewer | null = null, { requestId = 'local', clientIp = '127.0.0.1' }: { requestId?: string; clientIp?: string } = {}): Context {
  return { viewer, requestId, clientIp };
}
