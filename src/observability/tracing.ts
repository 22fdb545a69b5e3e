/**
 * OpenTelemetry tracing, loaded only when configured (src/main.ts imports it before anything it
 * patches): the Node SDK with the http, express, pg and Prisma instrumentations, exporting over
 * OTLP as the standard OTEL_* variables say. The GraphQL operation's span is the executor seam's
 * (src/server/executor.ts): it plans authorization and then executes, so graphql-js' own execute
 * is an inner step there, and instrumenting it would only add a second span of the same name.
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { setTracingShutdown } from './spans.js';

/** Query parameters of a GraphQL GET whose values (query text, variables) never go into a span. */
const REDACTED_QUERY_PARAMETERS = ['query', 'variables', 'extensions', 'access_token', 'token'];

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
