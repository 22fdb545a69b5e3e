/**
 * Every error a client may see, each with a stable `extensions.code`. Anything else that
 * escapes a resolver is masked as INTERNAL_SERVER_ERROR by `formatError`.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error meant for the client: its message and extensions are shown as they are. */
export class ClientError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const unauthenticated = (message = 'Requires authentication', extensions?: Record<string, unknown>) =>
  new ClientError(ErrorCode.UNAUTHENTICATED, message, extensions);
export const forbidden = (message: string, extensions?: Record<string, unknown>) =>
  new ClientError(ErrorCode.FORBIDDEN, message, extensions);
export const badUserInput = (field: string, message: string) =>
  new ClientError(ErrorCode.BAD_USER_INPUT, message, { field });
export const notFound = (what: string) => new ClientError(ErrorCode.NOT_FOUND, `${what} not found`);
/** For a Prisma write's `.catch`: a row that vanished between check and write (P2025) is NOT_FOUND. */
export function notFoundIfMissing(what: string) {
  return (error: unknown): never => {
    if ((error as { code?: string }).code === 'P2025') throw notFound(what);
    throw error;
  };
}
export const conflict = (message: string) => new ClientError(ErrorCode.CONFLICT, message);
/** `retryAfter`: whole seconds until the next attempt may succeed. */
export const rateLimited = (message: string, retryAfter: number) => new ClientError(ErrorCode.RATE_LIMITED, message, { retryAfter });

/** Apollo's own validation/parse codes, and ours: safe to show as they are. */
export const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'TRUSTED_DOCUMENT_REQUIRED',
  'SUBSCRIPTION_LIMIT',
]);

/**
 * Apollo's `formatError`: client errors pass through, an error `isUnavailable` recognizes (a lost
 * database) becomes SERVICE_UNAVAILABLE, and everything else becomes a bare INTERNAL_SERVER_ERROR —
 * no message, stack, SQL or Prisma detail reaches the client. `report` sees the original.
 */
export function createErrorFormatter(report: (error: unknown) => void, isUnavailable: (error: unknown) => boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
    if (original instanceof ClientError || (typeof code === 'string' && PUBLIC_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR')) {
      return { ...formatted, extensions };
    }
    const location = { ...(formatted.locations && { locations: formatted.locations }), ...(formatted.path && { path: formatted.path }) };
    if (isUnavailable(original)) {
      return { message: 'Service temporarily unavailable, try again shortly', ...location, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
    }
    report(original);
    return { message: 'Internal server error', ...location, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
