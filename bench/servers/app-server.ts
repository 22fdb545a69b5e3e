/**
 * A benchmark server process. It hosts one or more variants of the server, each on its own
 * loopback port: configurations compared with each other live in the same process, so they
 * share its core placement, its JIT and its scheduling, and only the configuration differs.
 * Started by bench/lib/server-process.ts with its options as JSON in argv[2]; talks over IPC.
 */
import type http from 'node:http';
import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { authorizationDirectives } from '../../src/authz/directives/index.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { limitHeapGrowth } from '../../src/heap.js';
import { prepareBenchDatabase } from '../lib/fixtures.js';
import { serveIpc } from './ipc.js';

/**
 * `full`: the app as deployed (the benchmarks' environment switches the response cache off).
 * `cached`: the same with the response cache on. `unauthenticated`: the same app with no token
 * read and no directive transformers (createApp's benchmark-only options). `apollo-path`: the
 * app with every query through Apollo's pipeline (no compiled-query fast path). `express-path` and
 * `cached-express-path`: `full` and `cached` with every request through Express (no front door).
 * `executed-lists`: `full` with list reads executed, never written by the database (no JSON lists).
 * `uncoalesced`: `full` over a data layer whose shared reads are each their own statement (an
 * injected SqlSession.read, as list-indexes.test.ts injects one). The peers it is compared with run
 * in processes of their own (peer-server.ts).
 */
export type Variant = 'full' | 'cached' | 'unauthenticated' | 'untraced' | 'apollo-path' | 'express-path' | 'cached-express-path' | 'executed-lists' | 'uncoalesced';

export interface AppServerOptions {
  env: Record<string, string>;
  variants: Variant[];
  /** Migrate and insert the fixtures first: on PGlite each variant's in-memory database is its own. */
  prepareWithPasswordHash?: string;
  /** How many menu items those fixtures hold (MENU_SIZE by default). */
  menuItemCount?: number;
}

/**
 * The baseline of what authorization costs: the same app with injected no-op parts — every request
 * anonymous without reading a token, and directives that state no guard and wrap nothing.
 */
const WITHOUT_AUTHORIZATION: AppOptions = {
  authenticator: { viewerFrom: async () => null },
  directives: authorizationDirectives().map((directive) => ({ ...directive, guard: () => null, transformer: (schema) => schema })),
};

/**
 * The baseline of what tracing costs while it is off: the operation's work runs directly, with a
 * constant non-recording span, instead of through OpenTelemetry's (no-op) tracer.
 */
const NON_RECORDING_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
const WITHOUT_TRACING_CALLS: AppOptions = { operationSpan: (_details, work) => work(NON_RECORDING_SPAN) };

const VARIANT_OPTIONS: Partial<Record<Variant, AppOptions>> = {
  unauthenticated: WITHOUT_AUTHORIZATION,
  untraced: WITHOUT_TRACING_CALLS,
  'apollo-path': { queryFastPath: false },
  'express-path': { frontDoor: false },
  'cached-express-path': { frontDoor: false },
  'executed-lists': { jsonLists: false },
};

/** The database with every shared read sent as a statement of its own (the `uncoalesced` variant). */
function eachReadItsOwnStatement(db: Database): Database {
  const read = <Row>(text: string, params: readonly unknown[]) => db.sql.query<Row>(text, [...params]);
  return { ...db, sql: { ...db.sql, read } };
}

async function startVariant(variant: Variant, options: AppServerOptions): Promise<{ httpServer: http.Server; stop(): Promise<void> }> {
  const config = loadConfig(variant.startsWith('cached') ? { ...options.env, RESPONSE_CACHE: 'on' } : options.env);
  // Each variant has its own pool, as each deployed process would.
  const opened = await openDatabase({ url: config.database.url, poolSize: config.database.poolSize });
  const db = variant === 'uncoalesced' ? eachReadItsOwnStatement(opened) : opened;
  if (options.prepareWithPasswordHash) await prepareBenchDatabase(db, options.prepareWithPasswordHash, options.menuItemCount);
  const app = await createApp(config, db, VARIANT_OPTIONS[variant] ?? {});
  return {
    httpServer: app.httpServer,
    async stop() {
      await app.stop();
      await db.close();
    },
  };
}

const options = JSON.parse(process.argv[2]!) as AppServerOptions;
// As src/main.ts does for the deployed server.
limitHeapGrowth(loadConfig(options.env).heapGrowthPercent);
const started: { variant: Variant; server: { stop(): Promise<void> }; port: number }[] = [];
for (const variant of options.variants) {
  const server = await startVariant(variant, options);
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  started.push({ variant, server, port: (server.httpServer.address() as AddressInfo).port });
}

serveIpc(Object.fromEntries(started.map(({ variant, port }) => [variant, port])), async () => {
  for (const { server } of started) await server.stop();
});
