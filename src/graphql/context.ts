/** The per-request context: who is asking (established once, from the Bearer token) and the services. */
import type { Viewer } from '../auth/viewer.js';
import type { Services } from '../services.js';

export interface Context {
  /** Null for anonymous requests. Signup, login and refresh set it for the rest of their operation. */
  viewer: Viewer | null;
  services: Services;
  requestId: string;
  /** The client's address as Express sees it (TRUST_PROXY decides which forwarding headers count); throttling keys on it. */
  clientIp: string;
}

/** For resolver tests and scripts: a context as the server would build it, without HTTP. */
export function createContext(services: Services, viewer: Viewer | null = null, requestId = 'local', clientIp = '127.0.0.1'): Context {
  return { viewer, services, requestId, clientIp };
}
