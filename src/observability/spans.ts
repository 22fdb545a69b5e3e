/**
 * What the application adds to traces, through the OpenTelemetry API only: without a started SDK
 * every call here finds no span and does nothing.
 */
import { trace } from '@opentelemetry/api';

/** A rejected bearer token, on the request's active span: the bounded reason only, never the token. */
export function recordTokenFailure(reason: string): void {
  trace.getActiveSpan()?.addEvent('auth.token_rejected', { 'auth.reason': reason });
}

/** The trace id of the active span, for log lines; undefined when nothing is traced. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}

let flush: (() => Promise<void>) | undefined;

/** Set by the tracing set-up: how to send the spans still buffered. */
export function setTracingShutdown(shutdown: () => Promise<void>): void {
  flush = shutdown;
}

/** Sends buffered spans before the process exits (a no-op when tracing is off). */
export async function shutdownTracing(): Promise<void> {
  await flush?.().catch(() => {});
}
