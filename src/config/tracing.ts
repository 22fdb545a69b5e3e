/**
 * Traces (OpenTelemetry): the standard OTEL_* variables, which the SDK reads itself once tracing
 * is on. They are listed here so that .env.example documents them and a wrong one is named.
 */
import { z } from 'zod';
import { defineSlice } from './slice.js';

const otelValue = z.string().trim().optional();

export const tracingConfig = defineSlice({
  variables: {
    OTEL_EXPORTER_OTLP_ENDPOINT: {
      schema: otelValue,
      doc: `Traces (OpenTelemetry), off unless one of these is set; then the SDK reads the standard OTEL_*
variables itself (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
OTLP collector base URL, e.g. http://localhost:4318 (spans go to <endpoint>/v1/traces).`,
    },
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: { schema: otelValue, doc: 'Or only for traces: the full URL.' },
    OTEL_TRACES_EXPORTER: { schema: otelValue, doc: 'otlp (default once tracing is on) | console | none (off).' },
    OTEL_EXPORTER_OTLP_PROTOCOL: { schema: otelValue, doc: 'http/protobuf (default) | http/json | grpc.' },
    OTEL_SERVICE_NAME: { schema: otelValue, doc: 'The service name on every span, e.g. secure-graphql-api (default: unknown_service:node).' },
    OTEL_TRACES_SAMPLER: { schema: otelValue, doc: 'parentbased_always_on (default) | parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG=0.1, …' },
    OTEL_SDK_DISABLED: { schema: otelValue, doc: 'true turns tracing off whatever else is set.' },
  },
  build: () => ({}),
});

/**
 * Whether OpenTelemetry tracing is asked for, by the standard variables: an OTLP endpoint or a
 * traces exporter other than `none`, unless OTEL_SDK_DISABLED. The SDK reads the rest itself.
 * Decided before the configuration is loaded, since tracing must start before the server's modules.
 */
export function tracingRequested(source: Record<string, string | undefined>): boolean {
  if (source.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = source.OTEL_TRACES_EXPORTER?.trim();
  if (exporter) return exporter !== 'none';
  return Boolean(source.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || source.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}
