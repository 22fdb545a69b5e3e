/**
 * The HTTP server's request listener. A JSON POST to /graphql — what every GraphQL client sends —
 * skips Express's routing, its body parser and the per-request work of helmet and CORS: its body is
 * read and parsed here, the headers those middlewares would set are applied from templates they
 * produced themselves, and the request runs through the very handlers Express mounts on /graphql
 * (limits, trusted documents, the response cache, the compiled-query fast path, Apollo), with
 * Express's own request and response methods. Anything else — other paths and methods, bodies
 * Express must decode (chunked, compressed, another charset), an empty or oversized body — goes to
 * Express untouched, and answers exactly as it did before the front door existed.
 */
import type http from 'node:http';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { recordHttpRoute } from '../observability/spans.js';

export const GRAPHQL_PATH = '/graphql';

type Header = readonly [name: string, value: string | number | readonly string[]];

/**
 * The headers a middleware sets on a response it lets through, recorded once: helmet's are the
 * same for every request, and CORS's depend only on the request's Origin.
 */
function headersSetBy(middleware: RequestHandler, request: { method: string; headers: http.IncomingHttpHeaders }): Header[] {
  const headers = new Map<string, Header>();
  const response = {
    getHeader: (name: string) => headers.get(name.toLowerCase())?.[1],
    setHeader(name: string, value: Header[1]) {
      headers.set(name.toLowerCase(), [name, value]);
      return response;
    },
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
  };
  let passed = false;
  void middleware(request as Request, response as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    passed = true;
  });
  if (!passed) throw new Error('a header middleware answered a plain POST itself: it cannot be applied from a template');
  return [...headers.values()];
}

type FlatHeaders = (string | string[])[];

/** A JSON answer found before the request is made Express's (a response-cache hit), and the request id it carries. */
export interface EarlyAnswer {
  body: string | Buffer;
  requestId: string;
}

/**
 * Looks for an answer to a JSON POST before Express's request and response are made; what it learns
 * on the way (the viewer, a cache miss) it leaves in `locals`, which become the response's.
 */
export type AnswerEarly = (req: http.IncomingMessage, body: object, locals: Record<string, unknown>) => Promise<EarlyAnswer | undefined>;

/** Distinct Origin headers whose CORS answer is remembered (a client can send any). */
const ORIGINS_REMEMBERED = 256;

/** The headers helmet and CORS give a POST to /graphql, by Origin. */
export class ResponseHeaderTemplates {
  private readonly security: Header[];
  private readonly byOrigin = new LRUCache<string, Header[]>({ max: ORIGINS_REMEMBERED });
  private readonly withoutOrigin: Header[];
  private readonly flatByOrigin = new LRUCache<string, FlatHeaders>({ max: ORIGINS_REMEMBERED });
  private flatWithoutOrigin: FlatHeaders | undefined;

  constructor(
    security: RequestHandler,
    private readonly cors: RequestHandler,
  ) {
    this.security = headersSetBy(security, { method: 'POST', headers: {} });
    this.withoutOrigin = this.build(undefined);
  }

  apply(res: http.ServerResponse, origin: string | undefined): void {
    for (const [name, value] of this.security) res.setHeader(name, value);
    for (const [name, value] of this.forOrigin(origin)) res.setHeader(name, value);
  }

  /**
   * A 200 JSON answer with these headers and those `sendJsonAnswer` adds, in the same order, in one
   * `writeHead`: what `apply` and `sendJsonAnswer` send, without a `setHeader` per header.
   */
  writeJson(res: http.ServerResponse, origin: string | undefined, { body, requestId }: EarlyAnswer): void {
    res.writeHead(200, [...this.flatFor(origin), 'content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(body)), 'x-request-id', requestId]);
    res.end(body);
  }

  /** The headers of `apply`, as writeHead's flat list of names and values. */
  private flatFor(origin: string | undefined): FlatHeaders {
    if (origin === undefined) return (this.flatWithoutOrigin ??= this.flatten(this.withoutOrigin));
    let flat = this.flatByOrigin.get(origin);
    if (!flat) this.flatByOrigin.set(origin, (flat = this.flatten(this.forOrigin(origin))));
    return flat;
  }

  private flatten(cors: Header[]): FlatHeaders {
    return [...this.security, ...cors].flatMap(([name, value]) => [name, typeof value === 'number' ? String(value) : (value as string | string[])]);
  }

  private forOrigin(origin: string | undefined): Header[] {
    if (origin === undefined) return this.withoutOrigin;
    let headers = this.byOrigin.get(origin);
    if (!headers) this.byOrigin.set(origin, (headers = this.build(origin)));
    return headers;
  }

  private build(origin: string | undefined): Header[] {
    return headersSetBy(this.cors, { method: 'POST', headers: origin === undefined ? {} : { origin } });
  }
}

export interface FrontDoorParts {
  /** Everything the front door does not take. */
  app: Express;
  /** What Express mounts on /graphql after CORS and the body parser, Apollo last. */
  handlers: readonly RequestHandler[];
  headers: ResponseHeaderTemplates;
  /** The body parser's limit: a larger body is Express's to refuse. */
  maxBodyBytes: number;
  /** Express's last handlers: an error, and a request nothing answered. */
  handleError: ErrorRequestHandler;
  notFound: RequestHandler;
  /** Tried first, for a body that parsed: an answer it finds is written here and Express never sees the request. */
  answerEarly?: AnswerEarly;
}

/** `application/json`, with at most a UTF-8 charset: what the body parser would decode as UTF-8 itself. */
const PLAIN_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** How body-parser's strict JSON parser answers a body that is not an object or an array. */
const malformedBody = () => Object.assign(new Error('The request body is not a JSON object or array'), { status: 400, expose: true, type: 'entity.parse.failed' });

function takes(req: http.IncomingMessage, maxBodyBytes: number): boolean {
  if (req.method !== 'POST' || req.url !== GRAPHQL_PATH) return false;
  const { headers } = req;
  if (headers['transfer-encoding'] !== undefined || (headers['content-encoding'] !== undefined && headers['content-encoding'].toLowerCase() !== 'identity')) return false;
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length > 0 && length <= maxBodyBytes && PLAIN_JSON.test(headers['content-type'] ?? '');
}

/** The body as body-parser's strict JSON parser reads it (a UTF-8 byte-order mark dropped), or an Error for a malformed one. */
function parseBody(chunks: Buffer[]): unknown {
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    const body: unknown = JSON.parse(bytes.toString('utf8', start));
    return typeof body === 'object' && body !== null ? body : malformedBody();
  } catch {
    return malformedBody();
  }
}

export function frontDoor({ app, handlers, headers, maxBodyBytes, handleError, notFound, answerEarly }: FrontDoorParts): http.RequestListener {
  /** As Express's router runs a mounted path's handlers: in order, a rejected promise as an error. */
  function run(req: Request, res: Response, index: number, error?: unknown): void {
    if (error !== undefined) {
      handleError(error, req, res, () => {});
      return;
    }
    const handler = handlers[index];
    if (!handler) {
      void notFound(req, res, () => {});
      return;
    }
    const next = (failure?: unknown) => run(req, res, index + 1, failure ?? undefined);
    try {
      const returned = handler(req, res, next) as unknown;
      if (returned instanceof Promise) returned.catch(next);
    } catch (thrown) {
      next(thrown);
    }
  }

  return (incoming, outgoing) => {
    if (!takes(incoming, maxBodyBytes)) {
      app(incoming, outgoing);
      return;
    }
    recordHttpRoute(GRAPHQL_PATH);
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that goes away mid-body: there is nobody left to answer.
    incoming.on('error', () => {});
    incoming.on('end', () => {
      const body = parseBody(chunks);
      if (!answerEarly || body instanceof Error) {
        toExpress(incoming, outgoing, body, Object.create(null) as Record<string, unknown>);
        return;
      }
      const locals = Object.create(null) as Record<string, unknown>;
      answerEarly(incoming, body as object, locals).then(
        (answer) => (answer ? headers.writeJson(outgoing, incoming.headers.origin, answer) : toExpress(incoming, outgoing, body, locals)),
        (error: unknown) => toExpress(incoming, outgoing, error instanceof Error ? error : new Error(String(error)), locals),
      );
    });
  };

  /** What Express does before its router runs a handler mounted on /graphql; then the handlers, or the error handler for `body`. */
  function toExpress(incoming: http.IncomingMessage, outgoing: http.ServerResponse, body: unknown, locals: Record<string, unknown>): void {
    Object.setPrototypeOf(incoming, app.request);
    Object.setPrototypeOf(outgoing, app.response);
    const req = incoming as Request;
    const res = outgoing as Response;
    req.res = res;
    res.req = req;
    res.locals = locals as Response['locals'];
    Object.assign(req, { originalUrl: GRAPHQL_PATH, baseUrl: GRAPHQL_PATH, url: '/', params: {} });
    headers.apply(res, req.headers.origin);
    if (body instanceof Error) {
      run(req, res, handlers.length, body);
      return;
    }
    req.body = body;
    run(req, res, 0);
  }
}
