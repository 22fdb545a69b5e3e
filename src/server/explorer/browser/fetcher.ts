/**
 * The GraphiQL fetcher: HTTP through a fetch that adds the session's Authorization header (unless the
 * headers editor sets one) and reports denials, and graphql-ws for subscriptions on the same path,
 * whose connection carries the token in connectionParams. The WebSocket opens only when a
 * subscription runs, so a server without the endpoint costs the page nothing: that subscription
 * answers an error, everything else works.
 */
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import type { GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import type { ExplorerSession } from './session.js';

/** One denied field, as the server explains it in `extensions` (README, "Explained denials"). */
export interface Denial {
  path: string;
  code: string;
  message: string;
  coordinate?: string;
  rule?: string;
  required?: string[];
  missing?: string[];
  mode?: string;
}

interface GraphQLErrorShape {
  message?: string;
  path?: (string | number)[];
  extensions?: { code?: string; authorization?: { coordinate?: string; rule?: string; required?: string[]; missing?: string[]; mode?: string } };
}

const INTROSPECTION = /IntrospectionQuery/;

/** The denials in a response body: errors coded UNAUTHENTICATED or FORBIDDEN. */
export function denialsOf(body: { errors?: GraphQLErrorShape[] }): Denial[] {
  return (body.errors ?? [])
    .filter((error) => error.extensions?.code === 'UNAUTHENTICATED' || error.extensions?.code === 'FORBIDDEN')
    .map((error) => ({
      path: error.path?.join('.') ?? '(operation)',
      code: error.extensions!.code!,
      message: error.message ?? '',
      ...error.extensions?.authorization,
    }));
}

/**
 * graphql-ws errors are GraphQL errors, Errors, CloseEvents or bare Events; each becomes a GraphQL
 * error a person can read (GraphiQL would print a bare Event as {"isTrusted":true}).
 */
export function readableSocketErrors(error: unknown, url: string): GraphQLFormattedError[] {
  if (Array.isArray(error)) return error as GraphQLFormattedError[];
  if (error instanceof Error) return [{ message: error.message }];
  if (typeof CloseEvent !== 'undefined' && error instanceof CloseEvent && error.code !== 1006) {
    return [{ message: `The subscription connection to ${url} closed: ${error.code} ${error.reason}`.trim() }];
  }
  return [{ message: `Could not open a WebSocket to ${url}: this server does not accept subscriptions there. Queries and mutations still work.` }];
}

export interface ExplorerFetcher {
  fetcher: Fetcher;
  /** Reconnects the WebSocket, if open, so that its connectionParams carry the current token. */
  restartSubscriptions(): void;
  dispose(): void;
}

export function createExplorerFetcher(options: {
  url: string;
  wsUrl: string;
  session: ExplorerSession;
  onDenials(denials: Denial[]): void;
}): ExplorerFetcher {
  const { session } = options;

  const authorizedFetch: typeof fetch = async (input, init = {}) => {
    const send = () => {
      const headers = new Headers(init.headers);
      const authorization = session.authorization();
      if (authorization && !headers.has('authorization')) headers.set('authorization', authorization);
      return fetch(input, { ...init, headers });
    };
    let response = await send();
    // A laptop that slept past the refresh timer: the token expired; rotate once and resend.
    if (response.status === 401 && session.authorization() && (await session.refresh())) response = await send();
    const isOperation = typeof init.body === 'string' && !INTROSPECTION.test(init.body);
    if (isOperation && /json/.test(response.headers.get('content-type') ?? '')) {
      response
        .clone()
        .json()
        .then((body: { errors?: GraphQLErrorShape[] }) => options.onDenials(denialsOf(body)))
        .catch(() => undefined);
    }
    return response;
  };

  // graphql-ws's restartable-client recipe: closing with 4205 makes it reconnect (re-reading
  // connectionParams) and resubscribe whatever is running.
  let restart = () => {};
  // A handshake that never succeeded (no endpoint, or a server from before subscriptions) is not retried.
  let everOpened = false;
  const client: Client = createClient({
    url: options.wsUrl,
    lazy: true,
    retryAttempts: 3,
    shouldRetry: () => everOpened,
    connectionParams: () => {
      const authorization = session.authorization();
      return authorization ? { authorization } : {};
    },
    on: {
      opened: (socket) => {
        everOpened = true;
        restart = () => {
          if ((socket as WebSocket).readyState === WebSocket.OPEN) (socket as WebSocket).close(4205, 'Client Restart');
        };
      },
      closed: () => {
        restart = () => {};
      },
    },
  });

  // Errors are answered as a result: the toolkit turns sink.error into a promise rejection nobody handles.
  const wsClient: Client = {
    ...client,
    subscribe: (payload, sink) =>
      client.subscribe(payload, {
        ...sink,
        error: (error) => {
          sink.next({ errors: readableSocketErrors(error, options.wsUrl) });
          sink.complete();
        },
      }),
  };

  return {
    fetcher: createGraphiQLFetcher({ url: options.url, fetch: authorizedFetch, wsClient }),
    restartSubscriptions: () => restart(),
    dispose: () => void client.dispose(),
  };
}
