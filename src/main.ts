/**
 * Entry point. When tracing is configured (OTEL_*), its module hooks and SDK start first: an ES
 * module is only instrumented if it is imported after them, hence the dynamic imports. Without
 * tracing no SDK is loaded and nothing is patched.
 */
import { tracingRequested } from './config.js';

if (tracingRequested()) {
  const { startTracing } = await import('./observability/tracing.js');
  await startTracing();
}
await import('./server/start.js');
