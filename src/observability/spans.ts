/**
 * What the application adds to traces, through the OpenTelemetry API only: without a started SDK
 * every call here finds no span and does nothing.
 */
import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { stripSensitiveLiterals } from '@apollo/utils.stripsensitiveliterals';
import { print, type DocumentNode } from 'graphql';

const tracer = trace.getTracer('secure-graphql-api');

export interface OperationSpanDetails {
  type: string;
  name: string | null;
  document: DocumentNode;
}

/** How an operation's work is run inside its span: `inOperationSpan`, or an injected replacement. */
export type OperationSpanRunner = <T>(details: OperationSpanDetails, work: (span: Span) => Promise<T>) => Promise<T>;

/**
 * Runs one GraphQL operation (planning and execution) inside its span, named as the GraphQL
 * semantic conventions say (`query AdminMessage`). Literal values in the recorded source are
 * masked; variable values are never recorded. Without a started SDK the span records nothing.
 */
export function inOperationSpan<T>({ type, name, document }: OperationSpanDetails, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name ? `${type} ${name}` : type, async (span) => {
    if (span.isRecording()) {
      span.setAttributes({
        'graphql.operation.type': type,
        ...(name && { 'graphql.operation.name': name }),
        'graphql.source': print(stripSensitiveLiterals(document, { hideListAndObjectLiterals: true })).replace(/\s+/g, ' '),
      });
    }
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Names the route of the request being served, for its HTTP server span (`POST /graphql`, and
 * `http.route`), as Express's instrumentation does for the requests Express routes.
 */
export function recordHttpRoute(route: string): void {
  const metadata = getRPCMetadata(context.active());
  if (metadata?.type === RPCType.HTTP) metadata.route = route;
}

/** An authorization denial, as an event on the operation's span: coordinate and rule only. */
export function recordDenial(span: Span, { coordinate, rule }: { coordinate: string; rule: string }): void {
  span.addEvent('authorization.denied', { 'authz.coordinate': coordinate, 'authz.rule': rule });
}

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
