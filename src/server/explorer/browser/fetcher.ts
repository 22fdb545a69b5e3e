/**
 * The GraphiQL fetcher: HTTP through a fetch that adds the session's Authorization header (unless the
 * headers editor sets one) and reports denials, and graphql-ws for subscriptions on the same path,
 * whose connection carries the token in connectionParams. The WebSocket opens only when a
 * subscription runs, so a server without the endpoint costs the page nothing: that subscription
 * answers an error, everything else works.
 */
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
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

export interface ExplorerFetcher {
  fetcher: Fetcher;
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

  const wsClient: Client = createClient({
    url: options.wsUrl,
    lazy: true,
    retryAttempts: 2,
    connectionParams: () => {
      const authorization = session.authorization();
      return authorization ? { authorization } : {};
    },
  });

  return {
    fetcher: createGraphiQLFetcher({ url: options.url, fetch: authorizedFetch, wsClient }),
    dispose: () => void wsClient.dispose(),
  };
}
