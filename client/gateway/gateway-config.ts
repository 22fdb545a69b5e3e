/**
 * A Hive Gateway configuration for this API behind a gateway (README, "Behind a gateway"), the one
 * test/federation/gateway.test.ts runs. The edge verifies the Bearer token, enforces the federation
 * directives the subgraph exports (@authenticated, @requiresScopes from the token's `permissions`,
 * @policy), and forwards the Authorization header to every subgraph, which verifies it again and
 * decides for itself. Pass it to `createGatewayRuntime`, or to `defineConfig` in a gateway.config.ts.
 */
import type { GatewayConfigSupergraph } from '@graphql-hive/gateway-runtime';

/** The claims the edge needs from a verified access token. */
export interface EdgeViewer {
  sub: string;
  permissions: string[];
}

export interface EdgeOptions {
  /** The supergraph SDL (composed from each subgraph's `_service { sdl }`, or subgraph.graphql). */
  supergraph: string;
  /** Verifies an access token the way the API does (its key, issuer and audience); null when it does not verify. */
  verifyToken(token: string): EdgeViewer | null;
}

/**
 * Policies the edge cannot decide (`ownerOrPermission:…`: only the record knows its owner) are
 * granted to every request, so the field reaches the subgraph, which decides it per record.
 */
export function ownerPolicies(supergraph: string): string[] {
  return [...new Set(supergraph.match(/ownerOrPermission:[^"]*/g) ?? [])];
}

export function gatewayConfig({ supergraph, verifyToken }: EdgeOptions): GatewayConfigSupergraph {
  const policies = ownerPolicies(supergraph);
  return {
    supergraph,
    // The edge's own check: the same token, the federation directives from the subgraph's SDL.
    genericAuth: {
      mode: 'protect-granular',
      resolveUserFn: ({ request }) => {
        const header = request.headers.get('authorization');
        return header?.startsWith('Bearer ') ? verifyToken(header.slice('Bearer '.length)) : null;
      },
      extractScopes: (viewer) => (viewer as EdgeViewer | null)?.permissions ?? [],
      extractPolicies: () => policies,
    },
    // The subgraph trusts nothing from the gateway: it needs the caller's own header to know who asks.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
    },
  };
}
