/**
 * SUBGRAPH=on: the same schema, served as an Apollo Federation 2 subgraph by @apollo/subgraph.
 * Its SDL carries `@key(fields: "id")` on each entity (a type whose module resolves references) and
 * our guards in federation's words (src/authz/federation.ts), so a gateway enforces them at the
 * edge; the directive transformers, the planner and the executor still run in front of everything,
 * so nothing is taken on the gateway's word. `_service` is public; `_entities` decides each
 * representation as the root field that reads the same record would (src/authz/entities.ts).
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { Kind, parse, visit, GraphQLScalarType, type ConstDirectiveNode, type DocumentNode, type FieldDefinitionNode, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { assertAuthorizationComplete } from '../authz/audit.js';
import { authorizationDirectives, type AuthorizationDirective } from '../authz/directives/index.js';
import { ENTITIES_COORDINATE, ENTITY_KEY, EntityGuards } from '../authz/entities.js';
import { FEDERATION_AUTHORIZATION_DIRECTIVES, federationFieldDirectives } from '../authz/federation.js';
import type { UnauthorizedMode } from '../authz/planner/planner.js';
import { SchemaGuards } from '../authz/schema-guards.js';
import type { Resolvers } from '../generated/graphql.js';
import type { Context } from '../kernel/context.js';
import type { EntityReferences } from '../kernel/entity-references.js';
import { booksReferences } from '../modules/books/books.resolvers.js';
import { menuReferences } from '../modules/menu/menu.resolvers.js';
import { tasksReferences } from '../modules/tasks/tasks.resolvers.js';
import { usersReferences } from '../modules/users/users.resolvers.js';
import { buildSchema, DateTime, schemaTypeDefs, type AuthorizedSchema } from './schema.js';
import type { Services } from './services.js';

export const FEDERATION_VERSION = 'https://specs.apollo.dev/federation/v2.6';

/** Every module's entities, each resolved through its service's batch loader. */
export function moduleReferences(services: Services): EntityReferences[] {
  return [booksReferences(services.books), menuReferences(services.menu), tasksReferences(services.tasks), usersReferences(services.users)];
}

const directive = (name: string, args: Record<string, string | string[]> = {}): ConstDirectiveNode => ({
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: name },
  arguments: Object.entries(args).map(([argument, value]) => ({
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: argument },
    value: Array.isArray(value) ? { kind: Kind.LIST, values: value.map((item) => ({ kind: Kind.STRING, value: item })) } : { kind: Kind.STRING, value },
  })),
});

/**
 * The subgraph's SDL: our SDL, with `@key` on each entity, federation's directive on every guarded
 * object field, and the `@link` that imports them.
 */
export function subgraphTypeDefs(entityTypes: readonly string[], directives: readonly AuthorizationDirective[] = authorizationDirectives()): DocumentNode {
  const { guards } = buildSchema({ directives });
  const translated = federationFieldDirectives(guards);
  const entities = new Set(entityTypes);
  const withDirectives = (typeName: string, fields: readonly FieldDefinitionNode[] | undefined) =>
    fields?.map((field) => {
      const federation = translated.get(`${typeName}.${field.name.value}`);
      return federation ? { ...field, directives: [...(field.directives ?? []), federation] } : field;
    });
  const documents = schemaTypeDefs(directives).map((typeDefs) =>
    visit(parse(typeDefs), {
      ObjectTypeDefinition: (node) => ({
        ...node,
        directives: entities.has(node.name.value) ? [...(node.directives ?? []), directive('key', { fields: ENTITY_KEY })] : node.directives,
        fields: withDirectives(node.name.value, node.fields),
      }),
      ObjectTypeExtension: (node) => ({ ...node, fields: withDirectives(node.name.value, node.fields) }),
    }),
  );
  const link = parse(`extend schema @link(url: "${FEDERATION_VERSION}", import: ${JSON.stringify(['@key', ...FEDERATION_AUTHORIZATION_DIRECTIVES])})`);
  return { kind: Kind.DOCUMENT, definitions: [link, ...documents].flatMap((document) => document.definitions) };
}

/** One resolver map from many (buildSubgraphSchema takes one): a type's resolvers are merged, a scalar kept whole. */
function mergeResolverMaps(maps: readonly object[]): Record<string, object> {
  const merged: Record<string, object> = {};
  for (const map of maps) {
    for (const [typeName, resolvers] of Object.entries(map as Record<string, object>)) {
      merged[typeName] = resolvers instanceof GraphQLScalarType ? resolvers : { ...merged[typeName], ...resolvers };
    }
  }
  return merged;
}

export interface SubgraphOptions {
  /** The modules' resolvers and entity references; without them the schema has its shape only (to print its SDL). */
  resolvers?: Resolvers[];
  references?: EntityReferences[];
  /** The entity types, when there are no references to read them from (printing the SDL). */
  entityTypes?: readonly string[];
  directives?: readonly AuthorizationDirective[];
  /** The most representations one `_entities` call may carry: the page-size limit of lists. */
  maxRepresentations: number;
  mode: UnauthorizedMode;
}

export interface SubgraphSchema extends AuthorizedSchema {
  entities: EntityGuards;
  /** What `_service { sdl }` answers (and subgraph.graphql holds). */
  sdl: string;
}

/** Builds the subgraph and refuses one whose authorization is incomplete (the start-up audit, entities included). */
export function buildSubgraph({ resolvers = [], references = [], entityTypes, directives = authorizationDirectives(), maxRepresentations, mode }: SubgraphOptions): SubgraphSchema {
  const entityNames = entityTypes ?? references.flatMap((reference) => Object.keys(reference));
  const typeDefs = subgraphTypeDefs(entityNames, directives);
  const built = buildSubgraphSchema({ typeDefs, resolvers: mergeResolverMaps([{ DateTime }, ...resolvers, ...references]) as never });
  const sdl = (built.getQueryType()!.getFields()._service!.resolve as () => { sdl: string })().sdl;
  // `_service` only describes the schema, which a gateway must read before anyone signs in: an explicit @public.
  const subgraph = mapSchema(built, {
    [MapperKind.QUERY_ROOT_FIELD]: (field, fieldName) =>
      fieldName === '_service' ? { ...field, extensions: { ...field.extensions, directives: { ...(field.extensions?.directives as object), public: [{}] } } } : field,
  });
  const guards = new SchemaGuards(subgraph, directives);
  const entities = new EntityGuards(guards, entityNames, maxRepresentations);
  assertAuthorizationComplete(guards, { decidedElsewhere: new Map([[ENTITIES_COORDINATE, entities.problems()]]) });
  const transformed = directives.reduce((current, each) => each.transformer(current, guards), subgraph);
  return { schema: guardEntities(transformed, entities, mode), guards, entities, sdl };
}

/**
 * Wraps `_entities`: bad representations are refused whole; a denied one answers its denial (null
 * and an error at its index) and is never loaded; the rest resolve as @apollo/subgraph resolves them.
 * In reject mode, one denial refuses the whole field.
 */
function guardEntities(schema: GraphQLSchema, entities: EntityGuards, mode: UnauthorizedMode): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.QUERY_ROOT_FIELD]: (field, fieldName) => {
      if (fieldName !== '_entities' || !field.resolve) return field;
      const resolve = field.resolve as GraphQLFieldResolver<unknown, Context, { representations: unknown[] }>;
      return {
        ...field,
        resolve(source, args: { representations: unknown[] }, context: Context, info) {
          const { denied } = entities.check(args.representations, context.viewer);
          if (mode === 'reject' && denied.size > 0) throw denied.values().next().value!;
          const allowed = args.representations.filter((_, index) => !denied.has(index));
          const resolved = allowed.length > 0 ? (resolve(source, { representations: allowed }, context, info) as unknown[]) : [];
          let next = 0;
          return args.representations.map((_, index) => denied.get(index) ?? resolved[next++]);
        },
      };
    },
  });
}
