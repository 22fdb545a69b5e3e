/**
 * Whether an error means the database cannot be reached right now (the client may retry), told by
 * error codes: Prisma's, its driver adapter's error kinds, PostgreSQL's SQLSTATE and Node's socket
 * codes. The data layer owns this knowledge, so the error formatter stays generic.
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
/** admin_shutdown, crash_shutdown, cannot_connect_now; class 08 is every connection exception. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03']);
/**
 * `pg` and `pg-pool` raise these without any code (pg/lib/client.js, pg-pool/index.js); their
 * exact messages are the only mark they carry.
 */
const CODELESS_PG_MESSAGES = new Set([
  'Connection terminated',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
]);

interface ErrorLike {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  originalCode?: unknown;
  errorCode?: unknown;
}

function marksUnavailable(error: ErrorLike): boolean {
  const code = typeof error.code === 'string' ? error.code : typeof error.originalCode === 'string' ? error.originalCode : undefined;
  if (code && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof error.errorCode === 'string' && PRISMA_CODES.has(error.errorCode)) return true;
  if (typeof error.kind === 'string' && ADAPTER_KINDS.has(error.kind)) return true;
  return typeof error.message === 'string' && CODELESS_PG_MESSAGES.has(error.message);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    if (marksUnavailable(current as ErrorLike)) return true;
    current = (current as ErrorLike).cause;
  }
  return false;
}
