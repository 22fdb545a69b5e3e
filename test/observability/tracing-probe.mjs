// Loaded into a server process by traces.test.ts: at exit, reports whether an OpenTelemetry SDK
// registered itself and whether node:http was patched, so the test can check tracing costs nothing when off.
import http from 'node:http';

process.on('exit', () => {
  const api = globalThis[Symbol.for('opentelemetry.js.api.1')];
  const report = { tracerProvider: Boolean(api?.trace), httpPatched: Boolean(http.Server.prototype.emit.__wrapped || http.request.__wrapped) };
  process.stderr.write(`TRACING-PROBE ${JSON.stringify(report)}\n`);
});
