/**
 * createApp(config, db) → the Express app, its HTTP server and a started Apollo, ready to
 * listen: everything a test needs, nothing listening. The request path is
 * Express (helmet, CORS, body and query-length limits, trusted documents) → the response cache's
 * hits and the compiled-query fast path (a query Apollo validated before, answered through the
 * executor's own steps) → Apollo (CSRF check, token and directive limits) → context (viewer, once)
 * → depth, alias and cost limits for the caller's tier → directive checks → resolvers.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { GraphQLError, type DocumentNode } from 'graphql';
import helmet from 'helmet';
import { InvalidTokenError } from '../auth/access-tokens.js';
import type { Viewer } from '../kernel/viewer.js';
import type { AuthorizationDirective } from '../authz/directives/index.js';
import { Planner } from '../authz/planner/planner.js';
import type { TokenKeys } from '../auth/token-keys.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { MIGRATIONS_DIRECTORY, migrationsAreApplied, readMigrationFiles } from '../db/migrate.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { createContext, type Context } from '../kernel/context.js';
import { createErrorFormatter, ErrorCode } from '../kernel/errors.js';
import { executionEngine } from './execution-engine.js';
import { DenialCounter, executorGateway, OperationSteps } from './executor.js';
import { EXPLORER_PATH, explorerRouterFor } from './explorer/explorer.js';
import { sandboxLandingPage } from './explorer/sandbox-link.js';
import { SubscriptionTransport } from './subscriptions/transport.js';
import { frontDoor, GRAPHQL_PATH, ResponseHeaderTemplates, type AnswerEarly } from './front-door.js';
import { inputBoundaryPlugin } from './input-boundary.js';
import { jsonOperationOfBody } from './json-operation.js';
import { operationLimits, queryLengthLimit, queryLengthRefusal, tieredLimits } from './limits.js';
import { logOperation, requestLoggingPlugin } from './request-logging.js';
import { QueryFastPath, type FastAnswer } from './query-fast-path.js';
import { ResponseCache, type CacheHit } from './response-cache.js';
import { buildSchema, moduleJsonLists, moduleResolvers } from './schema.js';
import { JsonListPath } from './json-lists.js';
import { createLogger, type Logger } from '../logger.js';
import { Metrics, metricsPlugin } from '../observability/metrics.js';
import { knownOperationNames } from '../observability/operation-names.js';
import { activeTraceId, inOperationSpan, recordTokenFailure, type OperationSpanRunner } from '../observability/spans.js';
import { createServices, type Services } from './services.js';
import { jsonBodyParameters, TrustedDocuments, trustedDocumentsGate, trustedDocumentsMiddleware } from './trusted-documents.js';

/** Turns a request's Authorization header into its viewer, once per request. */
export interface ViewerSource {
  viewerFrom(authorization: string | undefined): Promise<Viewer | null>;
}

/** The parts createApp assembles; each has a default, and tests or tools may inject their own. */
export interface AppOptions {
  logger?: Logger;
  services?: Services;
  /** Where the app's counters go; by default a registry of its own (Node's default metrics only when METRICS_PORT is set). */
  metrics?: Metrics;
  /** Token keys already loaded (start-up checks them before opening the database). */
  keys?: TokenKeys;
  /** Who is asking: the services' authenticator (Bearer tokens, local or external) by default. */
  authenticator?: ViewerSource;
  /** The authorization directives the schema is built and planned with: the product's own by default. */
  directives?: readonly AuthorizationDirective[];
  /** Opens each operation's span: OpenTelemetry's by default, which records nothing while tracing is off. */
  operationSpan?: OperationSpanRunner;
  /** The migrations `/ready` expects applied (prisma/migrations; tests point it at a copy). */
  migrationsDirectory?: string;
  /** The trusted documents: by default read from TRUSTED_DOCUMENTS_MANIFEST (or the one codegen writes) at start-up. */
  trustedDocuments?: TrustedDocuments;
  /** false: every query goes through Apollo's pipeline, never the compiled-query fast path (for measuring what it saves). */
  queryFastPath?: boolean;
  /** false: list reads execute like any other query, never through the JSON-list path (for measuring what it saves). */
  jsonLists?: boolean;
  /** false: every request goes through Express's router, body parser, helmet and CORS (for measuring what the front door saves). */
  frontDoor?: boolean;
}

export interface App {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  services: Services;
  logger: Logger;
  /** The planner every operation goes through, and the denials it has counted. */
  authorization: { planner: Planner; denials: DenialCounter };
  metrics: Metrics;
  /** graphql-ws on the same server and path: its open sockets, and what closes them. */
  subscriptions: SubscriptionTransport;
  /** Drains in-flight requests, stops Apollo and closes the services it created; the database is the caller's to close. */
  stop(): Promise<void>;
}

function credentialsError(error: InvalidTokenError): GraphQLError {
  const expired = error.reason === 'expired';
  const challenge = `Bearer error="invalid_token"${expired ? ', error_description="Token expired"' : ''}`;
  // Apollo reads `http.headers` as a Map. Typed loosely: graphql-yoga (the test gateway's) declares that field as a plain record.
  const extensions: Record<string, unknown> = {
    code: ErrorCode.UNAUTHENTICATED,
    ...(expired && { reason: 'Token expired' }),
    http: { status: 401, headers: new Map([['www-authenticate', challenge]]) },
  };
  return new GraphQLError('Bad credentials', { extensions });
}

/** The schema as a federation subgraph. Federation's packages load only when it is switched on (BENCHMARKS.md, the second start). */
async function subgraphSchema(services: Services, { config, directives }: { config: Config; directives: AppOptions['directives'] }) {
  const { buildSubgraph, moduleReferences } = await import('./subgraph.js');
  return buildSubgraph({
    resolvers: moduleResolvers(services),
    references: moduleReferences(services),
    directives,
    maxRepresentations: config.graphqlLimits.maxPageSize,
    mode: config.unauthorizedMode,
  });
}

export async function createApp(config: Config, db: Database, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const services = options.services ?? createServices(config, db, options.keys, logger);
  // Redis (when configured) is given a moment, so that throttling counters are shared from the first request.
  if (!options.services) await services.throttle.ready();
  const app = express();
  // Node answers 431 to a request whose headers exceed this, before Express sees it. Requests are
  // listened to once the app is assembled (front-door.ts), before anything listens.
  const httpServer = http.createServer({ maxHeaderSize: config.http.maxHeaderBytes });
  // Idle keep-alive connections outlive a load balancer's (60 s is common), so the balancer never
  // sends a request on a socket this server is closing at that moment (an ECONNRESET for the client).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  app.disable('x-powered-by');
  // Express would hash every response body for an ETag; no client revalidates GraphQL POSTs (BENCHMARKS.md).
  app.set('etag', false);
  app.set('trust proxy', config.http.trustProxy);
  const metrics =
    options.metrics ?? new Metrics({ operationNames: knownOperationNames(), poolStats: db.poolStats, defaultMetrics: config.metricsPort !== undefined });
  const limits = operationLimits(config.graphqlLimits, { blockFieldSuggestions: config.isProduction });
  const authenticator = options.authenticator ?? services.authenticator;
  const { schema, guards } = config.subgraph.enabled
    ? await subgraphSchema(services, { config, directives: options.directives })
    : buildSchema({ resolvers: moduleResolvers(services), directives: options.directives });
  const planner = new Planner(guards, { mode: config.unauthorizedMode });
  const denials = new DenialCounter();
  const trusted = config.trustedDocuments;
  const trustedDocuments = options.trustedDocuments ?? TrustedDocuments.load(trusted.manifestPath, trusted.mode);
  const limitsFor = tieredLimits(schema, config.graphqlLimits.tiers, config.graphqlLimits.maxPageSize);
  const tierLimits = ({ document, queryHash, viewer }: { document: DocumentNode; queryHash: string; viewer: Viewer | null }) =>
    limitsFor(document, trustedDocuments.has(queryHash) ? 'trusted' : viewer ? 'signedIn' : 'anonymous');
  const formatError = createErrorFormatter((error) => logger.error({ err: error }, 'unexpected error in a resolver'), isDatabaseUnavailable);
  const responseCache = config.responseCache.enabled
    ? new ResponseCache(schema, planner, { ...config.responseCache, logger, metrics })
    : undefined;

  // The viewer is verified once per request: the trusted-documents check and the paths that answer
  // before Apollo (the response cache's hits, the compiled-query fast path) may need it before the context does.
  const viewerIn = (locals: Record<string, unknown>, authorization: string | undefined): Promise<Viewer | null> =>
    (locals.viewer ??= authenticator.viewerFrom(authorization)) as Promise<Viewer | null>;
  const viewerOf = (req: express.Request, res: express.Response) => viewerIn(res.locals, req.headers.authorization);
  const requestIdOf = (req: { headers: http.IncomingHttpHeaders }) => (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 64)) || randomUUID();
  const contextFor = (req: express.Request, viewer: Viewer | null, requestId = requestIdOf(req)) =>
    createContext(viewer, { requestId, clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown' });
  /** An operation answered before Apollo: the log line and counters Apollo's plugins give any other. */
  function answeredBeforeApollo({ requestId, viewer, operationName }: FastAnswer, started: number, details: Record<string, unknown>): void {
    metrics.operationFinished(operationName, (performance.now() - started) / 1000, undefined);
    logOperation(logger, { requestId, traceId: activeTraceId(), viewerId: viewer?.userId ?? null, operationName, started, status: 200, ...details });
  }
  /** A response-cache hit, whichever path answered it: its log line and counters; returns the request id it carries. */
  function answeredHit(req: { headers: http.IncomingHttpHeaders }, hit: CacheHit, started: number): string {
    const requestId = requestIdOf(req);
    answeredBeforeApollo({ requestId, viewer: hit.viewer, operationName: hit.operationName }, started, { responseCache: 'hit' });
    return requestId;
  }
  const steps = new OperationSteps({ planner, logger, denials, limits: tierLimits });
  const fastPath =
    options.queryFastPath === false
      ? undefined
      : new QueryFastPath({
          steps,
          execute: executionEngine(schema, config.executor),
          // graphql-js, when asked for, is the reference executor for every query.
          jsonLists: options.jsonLists === false || config.executor !== 'jit' ? undefined : new JsonListPath(schema, moduleJsonLists(services)),
          operationSpan: options.operationSpan ?? inOperationSpan,
          contextFor,
          viewerOf,
          answered: (answer, started) => answeredBeforeApollo(answer, started, { fastPath: true, ...(answer.jsonList && { jsonList: true }) }),
        });

  const apollo = new ApolloServer<Context>({
    gateway: executorGateway({
      schema,
      planner,
      logger,
      denials,
      executor: config.executor,
      responseCache,
      limits: tierLimits,
      operationSpan: options.operationSpan,
      fastPath,
    }),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.isProduction,
    // Apollo's defaults, stated: a request must prove it is not a simple (CSRF-able) one, and a JSON array is refused.
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries would let anyone register a document; enforce mode runs the manifest's only.
    ...(trusted.mode === 'enforce' && { persistedQueries: false as const }),
    // src/server.ts drains and closes the database on SIGTERM/SIGINT. Apollo's own handler (on outside
    // NODE_ENV=test) stopped the server and re-raised the signal, killing the process mid-drain.
    stopOnTerminationSignals: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No field sets cache hints; Apollo's default cache-control plugin would still wrap every resolver (see BENCHMARKS.md).
      ApolloServerPluginCacheControlDisabled(),
      // Apollo would add resolver timings (ftv1) to any subgraph answer a caller asks them for.
      ...(config.subgraph.enabled ? [ApolloServerPluginInlineTraceDisabled()] : []),
      requestLoggingPlugin(logger),
      metricsPlugin(metrics),
      ...limits.plugins,
      inputBoundaryPlugin(),
      config.isProduction ? ApolloServerPluginLandingPageDisabled() : sandboxLandingPage(config),
    ],
  });

  await apollo.start();

  // Subscriptions: the same port and path, upgraded to graphql-ws; the executor's steps, the same planner.
  const documentsGate = trustedDocumentsGate({ mode: trusted.mode, documents: trustedDocuments, logger });
  const subscriptions = new SubscriptionTransport({
    config,
    schema,
    steps,
    limits,
    documentsGate,
    viewerFrom: (authorization) => authenticator.viewerFrom(authorization),
    services,
    metrics,
    logger,
    trustProxy: app.get('trust proxy fn') as (address: string, hop: number) => boolean,
    formatError,
    operationSpan: options.operationSpan,
  });
  httpServer.on('upgrade', subscriptions.upgrade);
  // Revocations from other instances must be heard before the first socket opens.
  await services.pubsub.ready();

  // The Sandbox landing page loads its scripts from Apollo's CDN; production serves no landing page.
  const securityHeaders = helmet({ contentSecurityPolicy: config.isProduction ? undefined : false, crossOriginEmbedderPolicy: false });
  app.use(securityHeaders);

  // Liveness: the process answers and its database answers.
  app.get('/health', async (_req, res) => {
    try {
      await db.sql.query('select 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  // Readiness: the database answers and every migration of this build is applied. The files are
  // read once here; a probe every few seconds should cost one query, not a directory walk.
  const migrationFiles = readMigrationFiles(options.migrationsDirectory ?? MIGRATIONS_DIRECTORY);
  app.get('/ready', async (_req, res) => {
    const ready = await migrationsAreApplied(db, migrationFiles);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });

  if (services.keys.jwks.keys.length > 0) {
    app.get('/.well-known/jwks.json', (_req, res) => {
      res.set('cache-control', 'public, max-age=300').json(services.keys.jwks);
    });
  }

  /**
   * A response-cache hit, answered before Express: the checks of the handlers below, in their order
   * (the query's length, trusted documents, then the cache). Whatever does not end in a hit goes on
   * to them, with the viewer and a miss already known.
   */
  const answerEarly: AnswerEarly | undefined =
    responseCache &&
    (async (req, body, locals) => {
      const started = performance.now();
      if (queryLengthRefusal((body as { query?: unknown }).query, config.graphqlLimits.maxQueryLength)) return undefined;
      const parameters = jsonBodyParameters(body as Record<string, unknown>);
      // Only what the gate passes without asking for an exception: a refusal is the handlers' to send, an exception theirs to grant.
      const decision = await documentsGate(parameters, async () => false);
      if (decision.outcome === 'refuse') return undefined;
      if (decision.outcome === 'replace') parameters.replace(decision.query, decision.extensions);
      const operation = jsonOperationOfBody(body, req.headers.accept);
      if (!operation) return undefined;
      locals.responseCacheChecked = true;
      const found = await responseCache.find(operation, () => viewerIn(locals, req.headers.authorization));
      if (!found) return undefined;
      if ('miss' in found) {
        locals.responseCacheMiss = found.miss;
        return undefined;
      }
      return { body: found.hit.body, requestId: answeredHit(req, found.hit, started) };
    });

  const corsHeaders = cors({ origin: config.clientOrigins, methods: ['GET', 'POST', 'OPTIONS'], maxAge: 600 });
  // After CORS and the body parser: the front door runs these itself for the JSON POSTs it reads.
  const graphqlHandlers: RequestHandler[] = [
    queryLengthLimit(config.graphqlLimits.maxQueryLength),
    trustedDocumentsMiddleware({ gate: documentsGate, allowArbitrary: trusted.allowArbitrary, viewerOf }),
    ...(responseCache
      ? [
          responseCache.middleware(viewerOf, answeredHit),
        ]
      : []),
    ...(fastPath ? [fastPath.middleware()] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<Context> => {
        const requestId = requestIdOf(req);
        try {
          const context = contextFor(req, await viewerOf(req, res), requestId);
          responseCache?.carry(res.locals, context);
          fastPath?.carry(res.locals, context);
          return context;
        } catch (error) {
          if (error instanceof InvalidTokenError) {
            // The client gets the same 401 whatever the reason (a disabled user included); the log gets why.
            logger.info({ requestId, reason: error.message }, 'credentials refused');
            metrics.tokenFailure(error.reason);
            recordTokenFailure(error.reason);
            throw credentialsError(error);
          }
          if (isDatabaseUnavailable(error)) {
            throw new GraphQLError('Service temporarily unavailable, try again shortly', {
              extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503 } },
            });
          }
          throw error;
        }
      },
    }),
  ];
  app.use(GRAPHQL_PATH, corsHeaders, express.json({ limit: config.http.maxBodyBytes }), ...graphqlHandlers);

  if (config.explorer.enabled) app.use(EXPLORER_PATH, explorerRouterFor(config, trustedDocuments));

  const notFound: RequestHandler = (_req, res) => {
    res.status(404).json({ message: 'Not Found' });
  };
  app.use(notFound);

  const handleError: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 400 && status < 500 && error.expose) {
      res.status(status).json({ message: http.STATUS_CODES[status] ?? 'Bad Request' });
      return;
    }
    logger.error({ err: error }, 'unhandled error');
    res.status(500).json({ message: 'Internal Server Error' });
  };
  app.use(handleError);

  httpServer.on(
    'request',
    options.frontDoor === false
      ? app
      : frontDoor({ app, handlers: graphqlHandlers, headers: new ResponseHeaderTemplates(securityHeaders, corsHeaders), maxBodyBytes: config.http.maxBodyBytes, handleError, notFound, answerEarly }),
  );

  return {
    app,
    httpServer,
    apollo,
    services,
    logger,
    authorization: { planner, denials },
    metrics,
    subscriptions,
    stop: async () => {
      await subscriptions.close();
      await apollo.stop();
      await responseCache?.close();
      if (!options.services) await services.close();
    },
  };
}
