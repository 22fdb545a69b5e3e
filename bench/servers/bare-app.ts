/**
 * The baselines of target 2: Apollo Server on Express and nothing else (no helmet, CORS, auth or
 * Prisma), serving the same 100 menu items from memory with the same schema shape. `stock` keeps
 * Apollo's defaults; `tuned` switches its cache-control plugin off (it wraps every resolver), as
 * this server does: the strongest honest peer.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { benchMenuItems } from '../lib/fixtures.js';

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

export async function createBareApp({ tuned = false }: { tuned?: boolean } = {}): Promise<{ httpServer: http.Server; stop(): Promise<void> }> {
  // The whole page at once, with cursors made up front: the baseline pays for no paging logic.
  const page = {
    edges: benchMenuItems().map((node, index) => ({ cursor: String(index), node })),
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: '0', endCursor: String(benchMenuItems().length - 1) },
  };
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer({
    typeDefs,
    resolvers: { Query: { menuItems: () => page } },
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ...(tuned ? [ApolloServerPluginCacheControlDisabled()] : [])],
  });
  await apollo.start();
  app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(apollo));
  return { httpServer, stop: () => apollo.stop() };
}
