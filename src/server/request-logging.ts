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
          logger.info(
            {
              requestId: context.requestId,
              traceId,
              viewerId: context.viewer?.userId ?? null,
              operationName: operationName ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              status: response.http.status ?? 200,
              ...(codes?.length && { errorCodes: codes }),
            },
            'graphql operation',
          );
          response.http.headers.set('x-request-id', context.requestId);
        },
      };
    },
  };
}
