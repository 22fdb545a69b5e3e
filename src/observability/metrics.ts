/**
 * Prometheus metrics (prom-client), one registry per app: operations, errors, denials, token
 * failures, throttling, refresh-token reuse, the response cache, the database pool and Node's
 * defaults. Every label takes values from a bounded set.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { ErrorCode, PUBLIC_CODES } from '../kernel/errors.js';
import { authorizationDenials } from './denials.js';

/** Connections of the PostgreSQL pool; absent for the embedded database, which has no pool. */
export interface PoolStats {
  inUse: number;
  waiting: number;
}

export interface MetricsOptions {
  /** Names that may appear as the `operation` label (see operation-names.ts). */
  operationNames: ReadonlySet<string>;
  poolStats?: () => PoolStats;
  /** Node's default metrics (event-loop lag, heap, GC): they run monitors, so only when metrics are served. */
  defaultMetrics?: boolean;
}

const TOKEN_FAILURE_REASONS = new Set(['expired', 'invalid']);

/** Why a subscription socket closed (README, Subscriptions): the `reason` label's whole set. */
export const SOCKET_CLOSE_REASONS = [
  'client',
  'unauthorized',
  'token-expired',
  'session-revoked',
  'user-disabled',
  'slow-consumer',
  'too-many-sockets',
  'keepalive-timeout',
  'protocol-error',
  'server-error',
  'shutdown',
] as const;
export type SocketCloseReason = (typeof SOCKET_CLOSE_REASONS)[number];

interface ErrorLike {
  extensions?: Record<string, unknown> | undefined;
  originalError?: unknown;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames: ReadonlySet<string>;
  private readonly operations: Counter<'operation' | 'outcome'>;
  private readonly duration: Histogram<'operation' | 'outcome'>;
  private readonly errors: Counter<'code'>;
  private readonly denials: Counter<'coordinate' | 'rule'>;
  private readonly tokenFailures: Counter<'reason'>;
  private readonly throttled: Counter<'operation'>;
  private readonly refreshReuse: Counter;
  private readonly cache: Counter<'result'>;
  private readonly socketsOpen: Gauge;
  private readonly socketsClosed: Counter<'reason'>;
  private readonly subscriptionsActive: Gauge<'field'>;
  private readonly eventsDelivered: Counter<'field'>;
  private readonly eventsFiltered: Counter<'field'>;

  constructor({ operationNames, poolStats, defaultMetrics = false }: MetricsOptions) {
    this.operationNames = operationNames;
    const registers = [this.registry];
    this.operations = new Counter({ name: 'graphql_operations_total', help: 'GraphQL operations by name (known documents, else other) and outcome', labelNames: ['operation', 'outcome'], registers });
    this.duration = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation to sending its response',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.errors = new Counter({ name: 'graphql_errors_total', help: 'Errors in responses, by extensions.code', labelNames: ['code'], registers });
    this.denials = new Counter({ name: 'authz_denials_total', help: 'Authorization denials by schema coordinate and rule', labelNames: ['coordinate', 'rule'], registers });
    this.tokenFailures = new Counter({ name: 'auth_token_failures_total', help: 'Bearer tokens refused, by reason', labelNames: ['reason'], registers });
    this.throttled = new Counter({ name: 'throttle_refusals_total', help: 'Operations refused with RATE_LIMITED', labelNames: ['operation'], registers });
    this.refreshReuse = new Counter({ name: 'refresh_token_reuse_total', help: 'Refresh tokens presented again after rotation (their session is revoked)', registers });
    this.cache = new Counter({ name: 'response_cache_lookups_total', help: 'Response cache lookups, by result (hit or miss)', labelNames: ['result'], registers });
    this.socketsOpen = new Gauge({ name: 'graphql_ws_sockets_open', help: 'Open graphql-ws sockets', registers });
    this.socketsClosed = new Counter({ name: 'graphql_ws_sockets_closed_total', help: 'graphql-ws sockets closed, by reason', labelNames: ['reason'], registers });
    this.subscriptionsActive = new Gauge({ name: 'graphql_ws_subscriptions_active', help: 'Running subscriptions, by Subscription field', labelNames: ['field'], registers });
    this.eventsDelivered = new Counter({ name: 'graphql_ws_events_delivered_total', help: 'Subscription events sent to a subscriber, by field', labelNames: ['field'], registers });
    this.eventsFiltered = new Counter({ name: 'graphql_ws_events_filtered_total', help: "Subscription events a subscriber's per-event authorization check dropped, by field", labelNames: ['field'], registers });
    if (poolStats) {
      new Gauge({ name: 'db_pool_connections_in_use', help: 'PostgreSQL pool connections checked out', registers, collect() { this.set(poolStats().inUse); } });
      new Gauge({ name: 'db_pool_requests_waiting', help: 'Queries waiting for a PostgreSQL pool connection', registers, collect() { this.set(poolStats().waiting); } });
    }
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  operationLabel(name: string | null | undefined): string {
    return name && this.operationNames.has(name) ? name : 'other';
  }

  /** One finished operation and what its errors say (codes, denials, throttling, refresh reuse). */
  operationFinished(operationName: string | null | undefined, seconds: number, errors: readonly ErrorLike[] | undefined): void {
    const operation = this.operationLabel(operationName);
    const outcome = errors?.length ? 'error' : 'success';
    this.operations.inc({ operation, outcome });
    this.duration.observe({ operation, outcome }, seconds);
    for (const error of errors ?? []) {
      const code = this.countError(error);
      if (code === ErrorCode.RATE_LIMITED) this.throttled.inc({ operation });
      if (code === ErrorCode.UNAUTHENTICATED && error.extensions?.reason === 'reused') this.refreshReuse.inc();
    }
    for (const denial of authorizationDenials(errors)) this.denials.inc({ ...denial });
  }

  /** Counts the error by its code (an unknown code is `other`, none at all is an internal error) and returns the label. */
  countError(error: ErrorLike): string {
    const raw = error.extensions?.code;
    // As formatError will show it: a lost database is SERVICE_UNAVAILABLE, anything else without a code is internal.
    const code =
      typeof raw === 'string'
        ? PUBLIC_CODES.has(raw) ? raw : 'other'
        : isDatabaseUnavailable(error.originalError) ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_SERVER_ERROR;
    this.errors.inc({ code });
    return code;
  }

  tokenFailure(reason: string): void {
    this.tokenFailures.inc({ reason: TOKEN_FAILURE_REASONS.has(reason) ? reason : 'invalid' });
  }

  socketOpened(): void {
    this.socketsOpen.inc();
  }

  socketClosed(reason: SocketCloseReason): void {
    this.socketsOpen.dec();
    this.socketsClosed.inc({ reason });
  }

  /** A socket refused before it opened (the per-address limit). */
  socketRefused(reason: SocketCloseReason): void {
    this.socketsClosed.inc({ reason });
  }

  /** `field`: the Subscription field (a bounded set: the schema's). */
  subscriptionStarted(field: string): void {
    this.subscriptionsActive.inc({ field });
  }

  subscriptionEnded(field: string): void {
    this.subscriptionsActive.dec({ field });
  }

  eventDelivered(field: string): void {
    this.eventsDelivered.inc({ field });
  }

  eventFiltered(field: string): void {
    this.eventsFiltered.inc({ field });
  }

  /** For the response cache: call once per lookup. */
  responseCacheLookup(hit: boolean): void {
    this.cache.inc({ result: hit ? 'hit' : 'miss' });
  }
}

/** Feeds `metrics` from Apollo's request pipeline. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    // A refused token fails the context, before any operation starts: its error is counted here.
    async contextCreationDidFail({ error }) {
      metrics.countError(error as ErrorLike);
    },
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors }) {
          metrics.operationFinished(operationName, (performance.now() - started) / 1000, errors);
        },
      };
    },
  };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves `GET /metrics` on its own listener, never the API's; port 0 picks a free one (see `port`). */
export async function startMetricsServer(registry: Registry, port: number, host = '127.0.0.1'): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
