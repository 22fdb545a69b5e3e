/**
 * The modules added by `npm run generate:module` (scripts/generate-module.ts), registered here so the
 * generator appends lines to two lists instead of editing the hand-written assembly:
 * services.ts spreads in their services, schema.ts their resolvers.
 */
import type { PrismaClient } from '../db/database.js';
import type { Resolvers } from '../generated/graphql.js';
// generate:module imports (the generator adds a module's imports above this line)

/** Each module's service over Prisma, under the key its resolvers read it from. */
export const GENERATED_SERVICES = {
  // generate:module services (the generator adds entries above this line)
};

export type GeneratedServices = { [K in keyof typeof GENERATED_SERVICES]: ReturnType<(typeof GENERATED_SERVICES)[K]> };

/** What a generated service is built with besides Prisma: the page-size limit every connection shares. */
export interface GeneratedServiceLimits {
  maxPageSize: number;
}

export function createGeneratedServices(prisma: PrismaClient, limits: GeneratedServiceLimits): GeneratedServices {
  return Object.fromEntries(Object.entries(GENERATED_SERVICES).map(([key, create]) => [key, (create as (client: PrismaClient, limits: GeneratedServiceLimits) => unknown)(prisma, limits)])) as GeneratedServices;
}

/** Each module's resolvers, built over its service. */
export const GENERATED_RESOLVERS: ((services: GeneratedServices) => Resolvers)[] = [
  // generate:module resolvers (the generator adds entries above this line)
];
