/**
 * This API as a Federation 2 subgraph behind a real gateway: Hive Gateway's runtime over a
 * supergraph composed (by @theguild/federation-composition) from the subgraph's own `_service { sdl }`
 * and a small `reviews` subgraph that extends Book. Everything over HTTP on loopback ports.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, type GatewayConfigSupergraph } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayConfig, type EdgeViewer } from '../../client/gateway/gateway-config.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server.js';

const REVIEWS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Book @key(fields: "id") {
    id: ID!
    reviews: [Review!]!
  }

  type User @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Review {
    body: String!
    book: Book!
    author: User!
  }

  type Query {
    latestReviews: [Review!]!
  }
`;

interface Review {
  body: string;
  bookId: string;
  authorId: string;
}

async function startReviews(reviews: Review[]): Promise<{ url: string; stop(): Promise<void> }> {
  const toGraphQL = (review: Review) => ({ body: review.body, book: { __typename: 'Book', id: review.bookId }, author: { __typename: 'User', id: review.authorId } });
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(REVIEWS_SDL),
      resolvers: {
        Query: { latestReviews: () => reviews.map(toGraphQL) },
        Book: { reviews: (book: { id: string }) => reviews.filter((review) => review.bookId === book.id).map(toGraphQL) },
      } as never,
    }),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

async function serveGateway(config: GatewayConfigSupergraph): Promise<{ url: string; close(): Promise<void> }> {
  const gateway = createGatewayRuntime({ ...config, logging: false });
  const server = http.createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      await gateway.dispose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function post(url: string, query: string, { token, variables }: { token?: string; variables?: Record<string, unknown> } = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const BOOKS_WITH_REVIEWS = /* GraphQL */ `
  {
    books(first: 10) {
      edges {
        node {
          title
          reviews { body }
        }
      }
    }
  }
`;

describe('behind a gateway (Hive Gateway, SUBGRAPH=on)', () => {
  let api: TestServer;
  let reviews: Awaited<ReturnType<typeof startReviews>>;
  let edge: Awaited<ReturnType<typeof serveGateway>>;
  let forwardsNothing: Awaited<ReturnType<typeof serveGateway>>;
  let reader: { token: string; id: string };
  let other: { token: string; id: string };
  let readerTaskId: string;

  beforeAll(async () => {
    api = await startTestServer({ SUBGRAPH: 'on' });
    const created = await api.createUser({ fullName: 'Ada Reader' });
    reader = { token: created.token, id: created.user.id };
    const second = await api.createUser({ fullName: 'Bo Other' });
    other = { token: second.token, id: second.user.id };
    const book = await api.db.prisma.book.create({ data: { title: 'Federated Graphs', author: 'A. Author', publishedYear: 2024 } });
    readerTaskId = (await api.db.prisma.task.create({ data: { title: "Ada's secret task", ownerId: reader.id } })).id;
    reviews = await startReviews([{ body: 'Composes well', bookId: book.id, authorId: reader.id }]);

    const sdl = (await api.graphql<{ _service: { sdl: string } }>('{ _service { sdl } }')).body.data!._service.sdl;
    const composed = composeServices([
      { name: 'api', typeDefs: parse(sdl), url: `${api.url}/graphql` },
      { name: 'reviews', typeDefs: parse(REVIEWS_SDL), url: reviews.url },
    ]);
    if (!composed.supergraphSdl) throw new Error(`composition failed: ${(composed.errors ?? []).map((error) => error.message).join('; ')}`);
    const { secret, issuer, audience } = api.config.tokens;
    const verifyToken = (token: string): EdgeViewer | null => {
      try {
        const claims = jwt.verify(token, secret!, { algorithms: ['HS256'], issuer, audience }) as jwt.JwtPayload;
        return { sub: String(claims.sub), permissions: (claims.permissions as string[] | undefined) ?? [] };
      } catch {
        return null;
      }
    };
    edge = await serveGateway(gatewayConfig({ supergraph: composed.supergraphSdl, verifyToken }));
    // Misconfigured: no edge checks, and no header forwarded to the subgraphs.
    forwardsNothing = await serveGateway({ supergraph: composed.supergraphSdl });
  }, 120_000);

  afterAll(async () => {
    await edge?.close();
    await forwardsNothing?.close();
    await reviews?.stop();
    await api?.close();
  });

  it('answers a signed-in query that spans both subgraphs', async () => {
    const { body } = await post(edge.url, BOOKS_WITH_REVIEWS, { token: reader.token });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ books: { edges: [{ node: { title: 'Federated Graphs', reviews: [{ body: 'Composes well' }] } }] } });
  });

  it('resolves the API\'s entities for the other subgraph, public fields for anyone', async () => {
    const { body } = await post(edge.url, '{ latestReviews { body book { title } author { fullName } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ latestReviews: [{ body: 'Composes well', book: { title: 'Federated Graphs' }, author: { fullName: 'Ada Reader' } }] });
  });

  it('denies an anonymous query at the edge (@authenticated from the subgraph SDL)', async () => {
    const { body } = await post(edge.url, BOOKS_WITH_REVIEWS);
    expect(body.data?.books ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['books'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } });
    // The gateway's own error, not the subgraph's: the subgraph's carries extensions.authorization.
    expect(body.errors![0]!.extensions?.authorization).toBeUndefined();
    // Nothing reached the subgraph: it would have denied (and counted) Query.books itself.
    expect(api.server.authorization.denials.entries().filter((entry) => entry.coordinate === 'Query.books')).toEqual([]);
  });

  it('denies at the edge a field whose @requiresScopes the token lacks', async () => {
    const { body } = await post(edge.url, '{ adminMessage { text } }', { token: reader.token });
    expect(body.data?.adminMessage ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');

    // The token's permissions are the edge's scopes: an admin's passes, and the subgraph agrees.
    const admin = await api.createUser({ roles: ['admin'] });
    const allowed = await post(edge.url, '{ adminMessage { text } }', { token: admin.token });
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data).toEqual({ adminMessage: { text: expect.any(String) } });
  });

  it("lets an owner's private field through the edge (its @policy is granted), where the subgraph decides per record", async () => {
    const query = '{ latestReviews { author { fullName email } } }';
    const owner = await post(edge.url, query, { token: reader.token });
    expect(owner.body.errors).toBeUndefined();
    expect(owner.body.data).toEqual({ latestReviews: [{ author: { fullName: 'Ada Reader', email: expect.stringContaining('@test.example') } }] });

    const stranger = await post(edge.url, query, { token: other.token });
    expect(stranger.body.data).toEqual({ latestReviews: [{ author: { fullName: 'Ada Reader', email: null } }] });
    expect(stranger.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', authorization: { coordinate: 'User.email', rule: 'ownerOrPermission' } } });
  });

  it('is still denied by the subgraph when the gateway checks nothing and forwards no header', async () => {
    const { body } = await post(forwardsNothing.url, BOOKS_WITH_REVIEWS, { token: reader.token });
    expect(body.data?.books ?? null).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      message: 'Requires authentication',
      extensions: { code: 'UNAUTHENTICATED', authorization: { coordinate: 'Query.books', rule: 'auth' } },
    });
  });

  it('refuses a forged _entities representation sent straight to the subgraph', async () => {
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Task { title } } }';
    const variables = { r: [{ __typename: 'Task', id: readerTaskId }] };

    const anonymous = await api.graphql(query, { variables });
    expect(anonymous.body.data).toEqual({ _entities: [null] });
    expect(anonymous.body.errors?.[0]).toMatchObject({ path: ['_entities', '@'], extensions: { code: 'UNAUTHENTICATED', authorization: { coordinate: 'Query.task', rule: 'auth' } } });

    // Another user's task is not found, exactly as Query.task answers it.
    const stranger = await api.graphql(query, { variables, token: other.token });
    expect(stranger.body).toEqual({ data: { _entities: [null] } });

    const owner = await api.graphql(query, { variables, token: reader.token });
    expect(owner.body).toEqual({ data: { _entities: [{ title: "Ada's secret task" }] } });

    // Fields forged into a representation are never answered: the record is read by its key alone.
    const forged = await api.graphql('query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { fullName email } } }', {
      variables: { r: [{ __typename: 'User', id: reader.id, fullName: 'Mallory', email: 'forged@evil.example' }] },
    });
    expect(forged.body.data).toEqual({ _entities: [{ fullName: 'Ada Reader', email: null }] });
    expect(forged.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED', authorization: { coordinate: 'User.email' } } });
  });
});
