/**
 * Assembles the executable schema: the directives' SDL, every module's SDL and resolvers,
 * then the directive transformers; refuses a schema whose authorization is incomplete.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLScalarType, Kind, type GraphQLSchema } from 'graphql';
import { assertAuthorizationComplete } from '../authz/audit.js';
import { authorizationDirectives, type AuthorizationDirective } from '../authz/directives/index.js';
import { SchemaGuards } from '../authz/schema-guards.js';
import type { Resolvers } from '../generated/graphql.js';
import { booksJsonLists, booksResolvers } from '../modules/books/books.resolvers.js';
import { menuJsonLists, menuResolvers } from '../modules/menu/menu.resolvers.js';
import { messagesResolvers } from '../modules/messages/messages.resolvers.js';
import { sessionResolvers } from '../modules/session/session.resolvers.js';
import { tasksResolvers } from '../modules/tasks/tasks.resolvers.js';
import { usersResolvers } from '../modules/users/users.resolvers.js';
import { badUserInput } from '../kernel/errors.js';
import type { JsonLists } from './json-lists.js';
import { GENERATED_RESOLVERS } from './modules.js';
import type { Services } from './services.js';

const MODULES_DIRECTORY = path.resolve(import.meta.dirname, '../modules');

/** Every module's SDL, base first (it declares Query and Mutation; the others extend them). */
export function moduleTypeDefs(): string[] {
  const modules = readdirSync(MODULES_DIRECTORY).sort((a, b) => Number(b === 'base') - Number(a === 'base') || a.localeCompare(b));
  return modules.flatMap((module) =>
    readdirSync(path.join(MODULES_DIRECTORY, module))
      .filter((file) => file.endsWith('.graphql'))
      .map((file) => readFileSync(path.join(MODULES_DIRECTORY, module, file), 'utf8')),
  );
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: (value) => {
    const date = new Date(value as string);
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw badUserInput('DateTime', 'Expected an ISO-8601 date-time string');
    return date;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime())) throw badUserInput('DateTime', 'Expected an ISO-8601 date-time string');
    return new Date(ast.value);
  },
});

/** Every module's resolvers, each over the services it needs. */
export function moduleResolvers(services: Services): Resolvers[] {
  return [
    menuResolvers(services.menu, services.events.menu, (id) => services.users.find(id)),
    booksResolvers(services.books, services.events.books),
    messagesResolvers(),
    tasksResolvers(services.tasks, services.events.tasks),
    usersResolvers(services.users),
    sessionResolvers(services.session),
    ...GENERATED_RESOLVERS.map((build) => build(services)),
  ];
}

/** The lists whose pages the database can write as JSON (json-lists.ts), under their Query fields. */
export function moduleJsonLists(services: Services): JsonLists {
  return { ...menuJsonLists(services.menu), ...booksJsonLists(services.books) };
}

/** The whole SDL: the directives' definitions and every module's types. */
export function schemaTypeDefs(directives: readonly AuthorizationDirective[] = authorizationDirectives()): string[] {
  return [...directives.map((directive) => directive.typeDefs), ...moduleTypeDefs()];
}

export interface AuthorizedSchema {
  /** Executable, with the data-dependent rules' resolvers wrapped. */
  schema: GraphQLSchema;
  /** Every guard the directives state, read once: what the planner decides from. */
  guards: SchemaGuards;
}

export interface BuildSchemaOptions {
  /** The modules' resolvers (`moduleResolvers(services)`); without them the schema has its shape only, for tools and tests that read it. */
  resolvers?: Resolvers[];
  directives?: readonly AuthorizationDirective[];
}

/** Builds the executable schema and refuses one whose authorization is incomplete (the start-up audit). */
export function buildSchema({ resolvers = [], directives = authorizationDirectives() }: BuildSchemaOptions = {}): AuthorizedSchema {
  const schema = makeExecutableSchema({ typeDefs: schemaTypeDefs(directives), resolvers: [{ DateTime } as Resolvers, ...resolvers] as never });
  const guards = new SchemaGuards(schema, directives);
  assertAuthorizationComplete(guards);
  return { schema: directives.reduce((current, directive) => directive.transformer(current, guards), schema), guards };
}
