/**
 * OpenTelemetry traces from the real server process (tracing must start before the modules it
 * patches), exported over OTLP/HTTP to a receiver on loopback that decodes them. The server runs as
 * `npm start` runs it: bundled (.build/), where express and pg must still load from node_modules
 * after tracing has started, or they would go unpatched.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tracingRequested } from '../../src/config.js';
import { createEmptyDatabaseUrl } from '../helpers/database.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { makeStartCopy } from '../helpers/start-copy.js';

const PROBE = ['--import', pathToFileURL(path.resolve('test/observability/tracing-probe.mjs')).href];
const startCopy = makeStartCopy();
beforeAll(() => startCopy.build());
afterAll(() => startCopy.remove());
const TRACING_ENV = {
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
  OTEL_BSP_SCHEDULE_DELAY: '100',
  OTEL_SERVICE_NAME: 'secure-graphql-api-test',
  LOG_LEVEL: 'info',
};

/** A W3C traceparent with fresh ids, as an upstream proxy or client would send it. */
function traceparent() {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
}

function probeReport(output: string): { tracerProvider: boolean; httpPatched: boolean } {
  const line = output.split('\n').find((entry) => entry.startsWith('TRACING-PROBE '));
  if (!line) throw new Error(`no probe report in:\n${output.slice(-2000)}`);
  return JSON.parse(line.slice('TRACING-PROBE '.length));
}

/** True when `span` descends from `ancestor` within `spans`. */
function descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
  const byId = new Map(spans.map((entry) => [entry.spanId, entry]));
  for (let current = byId.get(span.parentSpanId ?? ''); current; current = byId.get(current.parentSpanId ?? '')) {
    if (current.spanId === ancestor.spanId) return true;
  }
  return false;
}

describe('tracing switch', () => {
  it('is on with an OTLP endpoint or a traces exporter, off otherwise or when disabled', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });
});

describe('traces over OTLP', () => {
  let receiver: OtlpReceiver;
  let server: ServerProcess;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const database = await createEmptyDatabaseUrl();
    drop = database.drop;
    server = await startServerProcess(
      { ...TRACING_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, DATABASE_URL: database.url, SEED_DEMO_DATA: 'true' },
      { nodeArgs: PROBE, startCopy: startCopy.directory },
    );
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await drop?.();
  });

  const send = (query: string, headers: Record<string, string>, variables?: Record<string, unknown>) =>
    fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });

  /** The spans of one trace, once its HTTP server span has arrived (it ends last). */
  const traceOf = async (traceId: string) => {
    const isServerSpan = (span: ReceivedSpan) => span.traceId === traceId && span.scope === '@opentelemetry/instrumentation-http';
    const spans = await receiver.waitFor((all) => all.some(isServerSpan));
    return { spans: spans.filter((span) => span.traceId === traceId), root: spans.find(isServerSpan)! };
  };

  it('traces a denied operation under the caller\'s traceparent: HTTP span, operation span with the denial event, no database', async () => {
    const parent = traceparent();
    const response = await send('query AdminMessage { adminMessage { text } }', { traceparent: parent.header });
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');

    const { spans, root } = await traceOf(parent.traceId);
    expect(root).toMatchObject({ name: 'POST /graphql', parentSpanId: parent.parentId });
    expect(root.attributes['http.response.status_code']).toBe(200);
    const operation = spans.find((span) => span.name === 'query AdminMessage')!;
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'AdminMessage', 'graphql.operation.type': 'query' });
    expect(descendsFrom(operation, root, spans)).toBe(true);
    expect(operation.events).toContainEqual({
      name: 'authorization.denied',
      attributes: { 'authz.coordinate': 'Query.adminMessage', 'authz.rule': 'hasPermission' },
    });
    expect(spans.some((span) => span.name.startsWith('prisma:') || span.name.startsWith('pg.'))).toBe(false);

    // The operation's log line carries the trace id (pino writes asynchronously: wait for the line).
    const operationLine = () =>
      server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.msg === 'graphql operation' && entry.operationName === 'AdminMessage');
    await vi.waitFor(() => expect(operationLine()).toBeDefined(), { timeout: 10_000 });
    expect(operationLine()?.traceId).toBe(parent.traceId);
  });

  it('traces an allowed operation: HTTP span, operation span, and its database statements beneath it', async () => {
    const parent = traceparent();
    const query = 'query MenuItems { menuItems { totalCount edges { node { id name } } } }';
    const response = await send(query, { traceparent: parent.header });
    expect(((await response.json()) as { data: { menuItems: { edges: unknown[] } } }).data.menuItems.edges.length).toBeGreaterThan(0);

    const { spans, root } = await traceOf(parent.traceId);
    expect(root.parentSpanId).toBe(parent.parentId);
    const operation = spans.find((span) => span.name === 'query MenuItems')!;
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'MenuItems', 'graphql.operation.type': 'query' });
    expect(descendsFrom(operation, root, spans)).toBe(true);
    expect(operation.events.filter((event) => event.name === 'authorization.denied')).toEqual([]);
    expect(operation.attributes['graphql.source']).toBe(query);

    // totalCount is Prisma's count; the page is the list's own SELECT. Both reach the database
    // through the pg driver (PGlite too, in its worker thread), whose spans sit beneath them.
    const prismaStatements = spans.filter((span) => span.name === 'prisma:client:db_query');
    expect(prismaStatements.some((span) => /SELECT COUNT\(\*\)[\s\S]*FROM "public"\."menu_items"/i.test(String(span.attributes['db.query.text'])))).toBe(true);
    const driver = spans.filter((span) => span.scope === '@opentelemetry/instrumentation-pg' && span.name.startsWith('pg.query'));
    const statementOf = (span: (typeof spans)[number]) => String(span.attributes['db.query.text'] ?? span.attributes['db.statement']);
    expect(driver.some((span) => /^SELECT "id" AS "id", "name" AS "name".* FROM "menu_items"/.test(statementOf(span)))).toBe(true);
    expect([...prismaStatements, ...driver].every((span) => descendsFrom(span, operation, spans))).toBe(true);
  });

  it('records a refused token with its reason, and never a token, password or variable value', async () => {
    const parent = traceparent();
    const token = `eyJhbGciOiJIUzI1NiJ9.${randomBytes(24).toString('base64url')}.c2lnbmF0dXJl`;
    expect((await send('query Me { me { id } }', { traceparent: parent.header, authorization: `Bearer ${token}` })).status).toBe(401);
    const { spans, root } = await traceOf(parent.traceId);
    const rejected = spans.filter((span) => span.events.some((event) => event.name === 'auth.token_rejected'));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.events.find((event) => event.name === 'auth.token_rejected')!.attributes).toEqual({ 'auth.reason': 'invalid' });
    // On the GraphQL endpoint's span: the HTTP server span itself, or beneath it.
    expect(rejected[0] === root || descendsFrom(rejected[0]!, root, spans)).toBe(true);

    // A password as a variable, and one written into the query text.
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const inlinePassword = `pw-${randomBytes(12).toString('hex')}`;
    const byVariable = traceparent();
    const inline = traceparent();
    await send('mutation Login($input: LoginInput!) { login(input: $input) { accessToken } }', { traceparent: byVariable.header }, {
      input: { email: 'nobody@example.com', password },
    });
    await send(`mutation Login { login(input: { email: "nobody@example.com", password: "${inlinePassword}" }) { accessToken } }`, { traceparent: inline.header });
    // And a GET, whose query string would otherwise be the HTTP span's url.query.
    const getPassword = `pw-${randomBytes(12).toString('hex')}`;
    const byGet = traceparent();
    const search = new URLSearchParams({ query: 'query PublicMessage { publicMessage { text } }', variables: JSON.stringify({ password: getPassword }) });
    expect((await fetch(`${server.url}/graphql?${search}`, { headers: { traceparent: byGet.header, 'apollo-require-preflight': 'true' } })).status).toBe(200);
    await traceOf(byVariable.traceId);
    await traceOf(inline.traceId);
    const { root: getRoot } = await traceOf(byGet.traceId);
    expect(getRoot.attributes['url.query']).toMatch(/^query=REDACTED&variables=REDACTED$/);
    const exported = receiver.bodies.join('\n');
    expect(exported).toContain('mutation Login');
    for (const secret of [token.split('.')[1]!, password, inlinePassword, getPassword, 'nobody@example.com']) expect(exported).not.toContain(secret);
  });

  it('installed the SDK and patched node:http in this process (the probe can tell), and sent traces only', async () => {
    expect(await server.stop()).toBe(0);
    expect(probeReport(server.output())).toEqual({ tracerProvider: true, httpPatched: true });
    // The SDK's shutdown (on SIGTERM) flushes every exporter it has: metrics and logs would show up here.
    expect(new Set(receiver.paths)).toEqual(new Set(['/v1/traces']));
  });
});

describe('with tracing off', () => {
  it('loads no SDK and patches nothing', { timeout: 120_000 }, async () => {
    const server = await startServerProcess({ DATABASE_URL: 'memory:' }, { nodeArgs: PROBE, startCopy: startCopy.directory });
    try {
      expect((await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ menuItems { edges { node { id } } } }"}' })).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(probeReport(server.output())).toEqual({ tracerProvider: false, httpPatched: false });
  });
});
