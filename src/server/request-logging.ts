/**
 * One structured log line per GraphQL operation: request id, viewer id, operation name,
 * duration, error codes and, when traced, the trace id. Never the query text's variables, tokens or passwords.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../logger.js';
import { activeTraceId } from '../observability/spans.js';
import type { Context } from '../kernel/context.js';

export function requestLoggingPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      // The request's span is active here (the HTTP server span); undefined, and left out of the line, without tracing.
      const traceId = activeTraceId();
      logger.debug({ requestId: contextValue.requestId }, 'graphql operation started');
      return {
        async willSendResponse({ contextValue: context, operationName, errors, response }) {
          const codes = errors?.map((error) => error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
          logOperation(logger, {
            requestId: context.requestId,
            traceId,
            viewerId: context.viewer?.userId ?? null,
            operationName: operationName ?? null,
            started,
            status: response.http.status ?? 200,
            ...(codes?.length && { errorCodes: codes }),
          });
          response.http.headers.set('x-request-id', context.requestId);
        },
      };
    },
  };
}

export interface OperationLogLine {
  requestId: string;
  traceId: string | undefined;
  viewerId: string | null;
  operationName: string | null;
  /** performance.now() when the operation began. */
  started: number;
  status: number;
  [detail: string]: unknown;
}

/** The one line per operation, whichever path answered it (Apollo, a response-cache hit, the fast path). */
export function logOperation(logger: Logger, line: OperationLogLine): void {
  // Building the line costs as much as a cached answer's other bookkeeping: not when nobody writes it.
  if (!logger.isLevelEnabled('info')) return;
  const { started, ...fields } = line;
  logger.info({ ...fields, durationMs: Math.round((performance.now() - started) * 10) / 10 }, 'graphql operation');
}
