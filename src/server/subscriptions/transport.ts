/**
 * Subscriptions over the graphql-ws protocol, on the HTTP server's own port and path (/graphql).
 * A socket's viewer comes from `connectionParams.authorization` (or the upgrade request's
 * Authorization header) through the same authenticator as HTTP; a token that does not verify closes
 * the socket with 4401. Each `subscribe` goes through the steps an HTTP operation takes (trusted
 * documents, query length, token and directive limits, validation, the input boundary, the caller's
 * depth, alias and cost limits, the authorization plan), and each event is executed for each
 * subscriber with its own context, so field guards in a payload apply per subscriber as in a query.
 * The socket closes with 4403 when the right it was opened with ends (src/server/subscriptions/socket-registry.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Span } from '@opentelemetry/api';
import {
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, makeServer, type SubscribePayload } from 'graphql-ws';
import proxyAddr from 'proxy-addr';
import { WebSocketServer, type WebSocket } from 'ws';
import { InvalidTokenError } from '../../auth/access-tokens.js';
import type { AuthorizationPlan } from '../../authz/planner/planner.js';
import type { Config } from '../../config.js';
import { createContext, type Context } from '../../kernel/context.js';
import type { Viewer } from '../../kernel/viewer.js';
import type { Logger } from '../../logger.js';
import type { Metrics, SocketCloseReason } from '../../observability/metrics.js';
import { inOperationSpan, recordTokenFailure, type OperationSpanRunner } from '../../observability/spans.js';
import type { OperationSteps } from '../executor.js';
import { inputBoundaryRefusal } from '../input-boundary.js';
import { queryLengthRefusal, type OperationLimits } from '../limits.js';
import type { Services } from '../services.js';
import { holdsArbitraryPermission, type TrustedDocumentsGate } from '../trusted-documents.js';
import { FORBIDDEN, SocketRegistry, type TrackedSocket } from './socket-registry.js';

/** Not graphql-ws's own: a limit of this server (README, Subscriptions). 1008 is WebSocket's Policy Violation. */
export const POLICY_VIOLATION = 1008;
const GOING_AWAY = 1001;
const PATH = '/graphql';

export interface SubscriptionTransportParts {
  config: Config;
  schema: GraphQLSchema;
  steps: OperationSteps;
  limits: OperationLimits;
  /** The HTTP handlers' trusted-documents gate: one log line per unknown document, whichever transport sent it. */
  documentsGate: TrustedDocumentsGate;
  viewerFrom(authorization: string | undefined): Promise<Viewer | null>;
  services: Pick<Services, 'events' | 'users' | 'refreshTokens'>;
  metrics: Metrics;
  logger: Logger;
  /** Express's compiled `trust proxy`: the client's address is read as HTTP reads it. */
  trustProxy: (address: string, hop: number) => boolean;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  operationSpan?: OperationSpanRunner;
}

/** One socket's state, beside what graphql-ws keeps. */
interface SocketState extends TrackedSocket {
  id: string;
  ws: WebSocket;
  request: http.IncomingMessage;
  closing: boolean;
  /** Subscription field by operation id, for the gauges. */
  fields: Map<string, string>;
}

/** What an operation's execution needs beyond graphql's arguments: found again by its context. */
interface Planned {
  plan: AuthorizationPlan;
  planned: readonly GraphQLError[];
  field: string;
}

const refusal = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];
/** A `subscribe` past SUBSCRIPTIONS_MAX_PER_SOCKET (the socket goes on). */
export const SUBSCRIPTION_LIMIT = 'SUBSCRIPTION_LIMIT';

const authorizationOf = (params: Readonly<Record<string, unknown>> | undefined, request: http.IncomingMessage): string | undefined => {
  const fromParams = params?.authorization ?? params?.Authorization;
  if (typeof fromParams === 'string') return fromParams;
  // A non-string value is a malformed credential, not an absent one.
  if (fromParams !== undefined) return '';
  return request.headers.authorization;
};

export class SubscriptionTransport {
  readonly sockets = new SocketRegistry();
  /** Subscriptions whose source stream is listening: an event published now reaches them (tests wait for this). */
  listening = 0;
  /** Subscriptions that have started listening since the server started (never decreases): a test waits for its own even while others end. */
  started = 0;
  private readonly wss: WebSocketServer;
  private readonly planned = new WeakMap<object, Planned>();
  private readonly stopListening: () => void;
  private readonly recheck: NodeJS.Timeout | undefined;
  private readonly settings: Config['subscriptions'];
  private readonly validationRules: readonly ValidationRule[];
  /** One protocol server for every socket: per socket, only its state. */
  private readonly protocol: ReturnType<SubscriptionTransport['protocolServer']>;

  constructor(private readonly parts: SubscriptionTransportParts) {
    const { config, services } = parts;
    this.settings = config.subscriptions;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.settings.maxPayloadBytes, handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
    this.validationRules = [...specifiedRules, ...parts.limits.validationRules, ...(config.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
    this.protocol = this.protocolServer();
    this.stopListening = services.events.session.listen((event) => this.sockets.revoke(event));
    if (this.settings.recheckIntervalSeconds > 0) {
      this.recheck = setInterval(() => void this.recheckRights(), this.settings.recheckIntervalSeconds * 1000);
      this.recheck.unref();
    }
    this.wss.on('connection', (ws: WebSocket, request: http.IncomingMessage) => this.connected(ws, request));
  }

  /** The HTTP server's `upgrade` listener: /graphql only, within the per-address limit. */
  readonly upgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== PATH) return refuse('404 Not Found');
    if (this.sockets.socketsFrom(this.addressOf(request)) >= this.settings.maxSocketsPerAddress) {
      this.parts.metrics.socketRefused('too-many-sockets');
      return refuse('429 Too Many Requests');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
  };

  private addressOf(request: http.IncomingMessage): string {
    return proxyAddr(request, this.parts.trustProxy);
  }

  private connected(ws: WebSocket, request: http.IncomingMessage): void {
    const { metrics, logger } = this.parts;
    const state: SocketState = {
      id: randomUUID(),
      ws,
      request,
      address: this.addressOf(request),
      viewer: null,
      closing: false,
      fields: new Map(),
      close: (code, reason, why) => {
        if (state.closing) return;
        state.closing = true;
        closeReason = why;
        ws.close(code, reason);
        // A peer that does not answer the close handshake is cut off.
        setTimeout(() => ws.terminate(), 5_000).unref();
      },
    };
    let closeReason: SocketCloseReason | undefined;
    this.sockets.opened(state);
    metrics.socketOpened();

    const closed = this.protocol.opened(
      {
        protocol: ws.protocol,
        send: (data) => {
          if (ws.readyState !== ws.OPEN) return;
          // Not waiting for the flush: a slow reader's backlog shows in bufferedAmount, and is bounded there.
          // It would not read a close frame either, so it is cut off at once.
          if (ws.bufferedAmount > this.settings.maxBufferedBytes) {
            state.closing = true;
            closeReason = 'slow-consumer';
            ws.terminate();
            return;
          }
          ws.send(data);
        },
        close: (code, reason) => state.close(code ?? CloseCode.BadRequest, reason ?? '', code === CloseCode.InternalServerError ? 'server-error' : code === FORBIDDEN ? 'unauthorized' : 'protocol-error'),
        onMessage: (handle) =>
          ws.on('message', async (data: Buffer, isBinary: boolean) => {
            try {
              await handle(isBinary ? '' : data.toString());
            } catch (error) {
              logger.error({ err: error }, 'unexpected error in a subscription socket');
              state.close(CloseCode.InternalServerError, 'Internal server error', 'server-error');
            }
          }),
      },
      state,
    );

    let pongWait: NodeJS.Timeout | undefined;
    const keepAlive = this.settings.keepAliveSeconds * 1000;
    const ping =
      keepAlive > 0
        ? setInterval(() => {
            if (ws.readyState !== ws.OPEN || pongWait) return;
            pongWait = setTimeout(() => {
              closeReason = 'keepalive-timeout';
              ws.terminate();
            }, keepAlive);
            ws.ping();
          }, keepAlive)
        : undefined;
    ws.on('pong', () => {
      clearTimeout(pongWait);
      pongWait = undefined;
    });
    // ws reports an over-long message (maxPayload, closed with 1009) and invalid frames here; the socket then closes.
    ws.on('error', (error) => {
      closeReason ??= 'protocol-error';
      logger.debug({ err: error }, 'subscription socket error');
    });
    ws.once('close', (code, reason) => {
      clearTimeout(pongWait);
      clearInterval(ping);
      this.sockets.closed(state);
      for (const field of state.fields.values()) metrics.subscriptionEnded(field);
      state.fields.clear();
      metrics.socketClosed(closeReason ?? 'client');
      void closed(code, reason.toString());
    });
  }

  private protocolServer() {
    const { metrics, logger, steps } = this.parts;
    const operationSpan = this.parts.operationSpan ?? inOperationSpan;
    const format = (errors: readonly GraphQLError[]) => errors.map((error) => this.parts.formatError(error.toJSON(), error));

    return makeServer<Record<string, unknown>, SocketState>({
      schema: this.parts.schema,
      connectionInitWaitTimeout: this.settings.connectionInitTimeoutSeconds * 1000,
      onConnect: async (ctx) => {
        const state = ctx.extra;
        let viewer: Viewer | null;
        try {
          viewer = await this.parts.viewerFrom(authorizationOf(ctx.connectionParams, state.request));
        } catch (error) {
          if (error instanceof InvalidTokenError) {
            logger.info({ reason: error.message }, 'credentials refused');
            metrics.tokenFailure(error.reason);
            recordTokenFailure(error.reason);
            state.close(CloseCode.Unauthorized, 'Unauthorized', 'unauthorized');
            return false;
          }
          logger.error({ err: error }, 'the viewer of a subscription socket could not be established');
          state.close(CloseCode.InternalServerError, 'Service temporarily unavailable', 'server-error');
          return false;
        }
        if (viewer && this.sockets.socketsOf(viewer.userId) >= this.settings.maxSocketsPerViewer) {
          state.close(POLICY_VIOLATION, 'Too many sockets for this viewer', 'too-many-sockets');
          return false;
        }
        this.sockets.authenticated(state, viewer);
        return !state.closing;
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = ctx.extra;
        if (state.fields.size >= this.settings.maxPerSocket) {
          return refusal(`Too many subscriptions on this socket: at most ${this.settings.maxPerSocket}`, SUBSCRIPTION_LIMIT);
        }
        const admitted = await this.admit(state, payload);
        if ('errors' in admitted) return admitted.errors;
        const { document, queryHash, field } = admitted;
        const operationName = payload.operationName ?? null;
        const context: Context = {
          ...createContext(state.viewer, { requestId: `${state.id}:${id}`, clientIp: state.address }),
          onEventFiltered: () => metrics.eventFiltered(field),
        };
        const prepared = await operationSpan({ type: 'subscription', name: operationName, document }, async (span: Span) => steps.prepare({ document, operationName, queryHash, context, variables: payload.variables ?? undefined }, span));
        if ('refused' in prepared) return prepared.refused;
        const { plan, planned } = prepared;
        if (!plan) return refusal('Subscriptions need the authorization planner', 'INTERNAL_SERVER_ERROR');
        context.dataChecks = plan.dataChecks;
        this.planned.set(context, { plan, planned, field });
        state.fields.set(id, field);
        metrics.subscriptionStarted(field);
        return { schema: this.parts.schema, document: plan.document, operationName, variableValues: payload.variables ?? undefined, contextValue: context } satisfies ExecutionArgs;
      },
      subscribe: (args) => this.run(args),
      onNext: (ctx, id, _payload, _args, result) => {
        const field = ctx.extra.fields.get(id);
        if (field) metrics.eventDelivered(field);
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onComplete: (ctx, id) => {
        const { fields } = ctx.extra;
        const field = fields.get(id);
        if (field === undefined) return;
        fields.delete(id);
        metrics.subscriptionEnded(field);
      },
    });
  }

  /** Every check an HTTP operation passes before the executor, in the same order, for one `subscribe`. */
  private async admit(state: SocketState, payload: SubscribePayload): Promise<{ errors: readonly GraphQLError[] } | { document: DocumentNode; queryHash: string; field: string }> {
    const { config } = this.parts;
    const extra = payload as SubscribePayload & { documentId?: unknown };
    // graphql-ws requires a query string; a client sending only a hash sends an empty one.
    const decision = await this.parts.documentsGate(
      { query: payload.query === '' ? undefined : payload.query, operationName: payload.operationName, documentId: extra.documentId, extensions: payload.extensions },
      async () => holdsArbitraryPermission(state.viewer, config.trustedDocuments.allowArbitrary),
    );
    if (decision.outcome === 'refuse') return { errors: refusal(decision.message, decision.code) };
    const query = decision.outcome === 'replace' ? decision.query : payload.query;

    const tooLong = queryLengthRefusal(query, config.graphqlLimits.maxQueryLength);
    if (tooLong) return { errors: refusal(tooLong, 'GRAPHQL_VALIDATION_FAILED') };
    let document: DocumentNode;
    try {
      document = parse(query, this.parts.limits.parseOptions);
    } catch (error) {
      return { errors: refusal((error as GraphQLError).message, 'GRAPHQL_PARSE_FAILED') };
    }
    const invalid = validate(this.parts.schema, document, this.validationRules);
    if (invalid.length > 0) {
      return { errors: invalid.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) };
    }
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (!operation) return { errors: refusal('Unable to identify the operation: name one with operationName', 'BAD_REQUEST') };
    if (operation.operation !== 'subscription') {
      return { errors: refusal('Only subscriptions run over graphql-ws: send queries and mutations over HTTP', 'BAD_REQUEST') };
    }
    const boundary = inputBoundaryRefusal(document, operation, (payload.variables ?? {}) as Record<string, unknown>);
    if (boundary) return { errors: [boundary] };
    const root = operation.selectionSet.selections[0];
    const field = root?.kind === 'Field' ? root.name.value : 'other';
    return { document, queryHash: createHash('sha256').update(query).digest('hex'), field };
  }

  /** graphql-js's subscribe over the plan's document; each event's result gets the plan's denials, as a query's does. */
  private async run(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const planned = this.planned.get(args.contextValue as object);
    const result = await subscribe(args);
    if (!planned || !(Symbol.asyncIterator in result)) return result as ExecutionResult;
    const { steps } = this.parts;
    const events = result as AsyncGenerator<ExecutionResult>;
    this.listening += 1;
    this.started += 1;
    let ended = false;
    const end = () => {
      if (!ended) this.listening -= 1;
      ended = true;
    };
    // Not an async generator: its return() would wait for the next event before it took effect.
    const finished: AsyncGenerator<ExecutionResult> = {
      next: async () => {
        const next = await events.next();
        if (next.done) end();
        return next.done ? next : { done: false, value: steps.finish(next.value, planned.plan, planned.planned) };
      },
      return: (value) => {
        end();
        return events.return(value);
      },
      throw: (error) => events.throw(error),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return finished;
  }

  /** The periodic check: sockets whose user was disabled or whose session was revoked while a message was lost (or sent by a process without Redis). */
  private async recheckRights(): Promise<void> {
    const { userIds, sessionIds } = this.sockets.held();
    if (userIds.length === 0) return;
    try {
      const [disabled, liveSessions] = await Promise.all([this.parts.services.users.disabledAmong(userIds), this.parts.services.refreshTokens.liveSessions(sessionIds)]);
      this.sockets.enforce({ disabled, liveSessions });
    } catch (error) {
      this.parts.logger.warn({ err: error }, 'the periodic check of subscription sockets failed');
    }
  }

  /** Closes every socket (1001 Going Away) and stops listening. */
  async close(): Promise<void> {
    clearInterval(this.recheck);
    this.stopListening();
    for (const socket of this.sockets.all()) socket.close(GOING_AWAY, 'Server shutting down', 'shutdown');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
