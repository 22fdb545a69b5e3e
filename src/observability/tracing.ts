/**
 * OpenTelemetry tracing, loaded only when configured (src/main.ts imports it before anything it
 * patches): the Node SDK with the http, express, graphql, pg and Prisma instrumentations,
 * exporting over OTLP as the standard OTEL_* variables say.
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import type { Span } from '@opentelemetry/api';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { authorizationDenials } from './denials.js';
import { setTracingShutdown } from './spans.js';

/** Query parameters of a GraphQL GET whose values (query text, variables) never go into a span. */
const REDACTED_QUERY_PARAMETERS = ['query', 'variables', 'extensions', 'access_token', 'token'];

/** The denials an operation's execution produced, as events on its span (coordinate and rule only). */
function recordDenials(span: Span, result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): void {
  for (const { coordinate, rule } of authorizationDenials(result.errors)) {
    span.addEvent('authorization.denied', { 'authz.coordinate': coordinate, 'authz.rule': rule });
  }
}

/**
 * Registers the module hooks, then starts the SDK. ESM imports are only patched when the loader
 * hook is in place before they are evaluated, so the caller imports the server afterwards.
 */
export async function startTracing(): Promise<NodeSDK> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const sdk = new NodeSDK({
    // Traces only: metrics are Prometheus' (METRICS_PORT) and logs pino's, so OTEL_METRICS_EXPORTER
    // and OTEL_LOGS_EXPORTER (otlp by default in the SDK) do not send a second copy.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ redactedQueryParamsServer: REDACTED_QUERY_PARAMETERS }),
      new ExpressInstrumentation(),
      // Literal values in the query text are masked (allowValues: false); resolver spans would outnumber everything else.
      new GraphQLInstrumentation({ allowValues: false, ignoreTrivialResolveSpans: true, depth: 1, responseHook: recordDenials }),
      // Statement text only, never its parameters (enhancedDatabaseReporting stays off).
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      new PrismaInstrumentation(),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  setTracingShutdown(() => sdk.shutdown());
  return sdk;
}
