/**
 * The peers the full stack is measured against: other GraphQL servers serving the same 100 menu
 * items from memory with the same schema shape, with no authentication, limits or database.
 * - `apollo`: Apollo Server 5 on Express 5 with its defaults (stock);
 * - `apollo-tuned`: the same with the cache-control plugin off (it wraps every resolver) and
 *   nothing else, the strongest honest Apollo;
 * - `yoga-jit`: GraphQL Yoga with `@envelop/graphql-jit`;
 * - `mercurius-jit`: Mercurius on Fastify with `jit: 1` (compiled from the first request on);
 * - `precomputed`: `node:http` answering every POST with the bytes of the 100-item read's answer,
 *   made once: no GraphQL at all, the most a server can do per request on this machine.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { useGraphQlJit } from '@envelop/graphql-jit';
import express from 'express';
import Fastify from 'fastify';
import { createSchema, createYoga } from 'graphql-yoga';
import mercurius from 'mercurius';
import { benchMenuItems } from '../lib/menu-fixture.js';

export const PEERS = ['apollo', 'apollo-tuned', 'yoga-jit', 'mercurius-jit', 'precomputed'] as const;
export type Peer = (typeof PEERS)[number];

export interface PeerServer {
  port: number;
  stop(): Promise<void>;
}

const typeDefs = /* GraphQL */ `
  type MenuItem {
    id: ID!
    name: String!
    price: Int!
    description: String!
    image: String!
  }
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type MenuItemEdge {
    cursor: String!
    node: MenuItem!
  }
  type MenuItemConnection {
    edges: [MenuItemEdge!]!
    pageInfo: PageInfo!
  }
  type Query {
    menuItems(first: Int, after: String): MenuItemConnection!
  }
`;

/** The whole page at once, with cursors made up front: the peers pay for no paging logic. */
function menuPage() {
  const items = benchMenuItems();
  return {
    edges: items.map((node, index) => ({ cursor: String(index), node })),
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: '0', endCursor: String(items.length - 1) },
  };
}

function resolvers() {
  const page = menuPage();
  return { Query: { menuItems: () => page } };
}

async function listen(httpServer: http.Server): Promise<number> {
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return (httpServer.address() as AddressInfo).port;
}

async function startApollo({ tuned }: { tuned: boolean }): Promise<PeerServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer({
    typeDefs,
    resolvers: resolvers(),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ...(tuned ? [ApolloServerPluginCacheControlDisabled()] : [])],
  });
  await apollo.start();
  app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(apollo));
  return { port: await listen(httpServer), stop: () => apollo.stop() };
}

async function startYoga(): Promise<PeerServer> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs, resolvers: resolvers() }),
    plugins: [useGraphQlJit()],
    graphiql: false,
    landingPage: false,
    logging: false,
  });
  const httpServer = http.createServer(yoga);
  const port = await listen(httpServer);
  return { port, stop: () => new Promise((resolve) => httpServer.close(() => resolve())) };
}

async function startMercurius(): Promise<PeerServer> {
  const app = Fastify({ logger: false });
  await app.register(mercurius, { schema: typeDefs, resolvers: resolvers(), jit: 1, path: '/graphql' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, stop: () => app.close() };
}

/** The answer to bench/lib/queries.ts MENU_ITEMS, in the order of its selection. */
const menuItemsAnswer = () => JSON.stringify({ data: { menuItems: { edges: benchMenuItems().map((node) => ({ node })), pageInfo: { hasNextPage: false } } } });

async function startPrecomputed(): Promise<PeerServer> {
  const body = Buffer.from(menuItemsAnswer());
  const httpServer = http.createServer((request, response) => {
    // The request is read to its end, as a GraphQL server must before it answers.
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      response.end(body);
    });
  });
  const port = await listen(httpServer);
  return { port, stop: () => new Promise((resolve) => httpServer.close(() => resolve())) };
}

export function startPeer(peer: Peer): Promise<PeerServer> {
  if (peer === 'apollo') return startApollo({ tuned: false });
  if (peer === 'apollo-tuned') return startApollo({ tuned: true });
  if (peer === 'yoga-jit') return startYoga();
  if (peer === 'mercurius-jit') return startMercurius();
  return startPrecomputed();
}
