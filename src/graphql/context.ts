/** The per-request context: who is asking (established once, from the Bearer token) and the services. */
import type { Viewer } from '../auth/viewer.js';
import type { Services } from '../services.js';

export interface Context {
  /** Null for anonymous requests. Fixed for the whole operation: signing in within it does not change it. */
  viewer: Viewer | null;
  services: Services;
  requestId: string;
  /** The client's address as Express sees it (TRUST_PROXY decides which forwarding headers count); throttling keys on it. */
  clientIp: string;
  /** Set by the authorization plan before execution: the data-dependent rules it could not settle from the viewer alone. */
  dataChecks?: ReadonlySet<string>;
}

/** For resolver tests and scripts: a context as the server would build it, without HTTP. */
export function createContext(services: Services, viewer: Viewer | null = null, requestId = 'local', clientIp = '127.0.0.1'): Context {
  return { viewer, services, requestId, clientIp };
}
