/**
 * The JSON-list path: a query that reads one page of a list, and nothing a resolver would compute,
 * is answered with JSON the database writes. Each node arrives as one text column built by
 * PostgreSQL's to_json (see `selectJsonPage`); this module writes the connection around it — edges,
 * cursors, pageInfo — in the client's selection order. No row becomes an object, no field resolver
 * runs and nothing is serialized twice: the uncached list read's main-thread time was mostly row
 * parsing, execution and JSON.stringify (BENCHMARKS.md).
 *
 * It runs inside the compiled-query fast path, after the same steps as any query there: limits,
 * the authorization plan (which must have no denials and leave nothing to the data) and the input
 * boundary. What it answers is byte for byte what executing the plan would answer
 * (test/json-lists.test.ts). Anything else — fragments, directives, totalCount, a field with a
 * resolver of its own (a data-dependent guard wraps one), a scalar whose JSON the database would
 * write differently, page arguments the list refuses — is executed as before.
 */
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Connection, JsonNode, JsonPages, JsonRow, PageArgs } from '../kernel/pagination.js';
import { perOperation } from './execution-engine.js';

/** Query field → its list's pages as JSON: each module's contribution (schema.ts, moduleJsonLists). */
export type JsonLists = Record<string, JsonPages>;

/** Scalars whose JSON the database writes exactly as JSON.stringify does (timestamps, floats and custom scalars are not). */
const DATABASE_WRITTEN_SCALARS = new Set([GraphQLID.name, GraphQLString.name, GraphQLInt.name]);

type Renderer<Value> = (value: Value) => string;

/** One list read, compiled once per document: its root field, the node the database writes, and the writer of the rest. */
interface CompiledList {
  pages: JsonPages;
  field: GraphQLField<unknown, unknown>;
  fieldNode: FieldNode;
  node: JsonNode;
  /** Whether any cursor is selected (edges' or pageInfo's): only then are the sort keys read. */
  keys: boolean;
  /** The whole body, `{"data":…}`. */
  render: Renderer<Connection<JsonRow>>;
  /** Bodies already written, by connection: requests whose reads shared a statement share its connection (jsonPages), and so its body. */
  bodies: WeakMap<Connection<JsonRow>, string>;
}

/** Thrown by a renderer when a node came back null (an empty non-null column): executing states that error. */
class EmptyNode extends Error {}

/** Thrown while compiling a selection this path does not write (a fragment, an argument, a field selected twice, a field it does not know): the query is executed. */
class Unsupported extends Error {}

export class JsonListPath {
  private readonly compiledFor = perOperation((document, operationName) => {
    try {
      return this.compile(document, operationName ?? null);
    } catch (error) {
      if (error instanceof Unsupported) return null;
      throw error;
    }
  });

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly lists: JsonLists,
  ) {}

  /**
   * The answer's body (Apollo's JSON without its final newline), or undefined when this path does
   * not answer the operation: it is not a single list read it compiles, or the list refused its
   * arguments, or a node was empty. The caller then executes it, which answers (and reports) as always.
   */
  async answer(document: DocumentNode, operationName: string | null, variables: Readonly<Record<string, unknown>> | undefined): Promise<string | undefined> {
    const list = this.compiledFor(document, operationName);
    if (!list) return undefined;
    try {
      const args = getArgumentValues(list.field, list.fieldNode, variables as Record<string, unknown> | undefined) as PageArgs;
      const connection = await list.pages.page(args, list.node, list.keys);
      let body = list.bodies.get(connection);
      if (body === undefined) list.bodies.set(connection, (body = list.render(connection)));
      return body;
    } catch {
      return undefined;
    }
  }

  private compile(document: DocumentNode, operationName: string | null): CompiledList | null {
    const operation = getOperationAST(document, operationName ?? undefined);
    const queryType = this.schema.getQueryType();
    if (operation?.operation !== 'query' || !queryType || operation.directives?.length) return null;
    const [root, ...others] = operation.selectionSet.selections;
    if (others.length > 0 || root?.kind !== Kind.FIELD || root.directives?.length) return null;
    const pages = Object.hasOwn(this.lists, root.name.value) ? this.lists[root.name.value] : undefined;
    const field = queryType.getFields()[root.name.value];
    if (!pages || !field || !root.selectionSet) return null;
    const connectionType = getNullableType(field.type);
    if (!isObjectType(connectionType)) return null;

    let node: JsonNode | undefined;
    let keys = false;
    const render = objectRenderer<Connection<JsonRow>>(connectionType, root.selectionSet, {
      edges: (edgesField, selection) => {
        const edgeType = getNamedType(edgesField.type);
        if (!isListType(getNullableType(edgesField.type)) || !isObjectType(edgeType) || !selection.selectionSet) throw new Unsupported();
        const edge = objectRenderer<Connection<JsonRow>['edges'][number]>(edgeType, selection.selectionSet, {
          cursor: () => {
            keys = true;
            return (value) => JSON.stringify(value.cursor);
          },
          node: (nodeField, nodeSelection) => {
            const nodeType = getNamedType(nodeField.type);
            if (!isObjectType(nodeType) || !nodeSelection.selectionSet || node) throw new Unsupported();
            node = jsonNode(nodeType, nodeSelection.selectionSet, pages.columns);
            return (value) => {
              if (value.node.json === null) throw new EmptyNode();
              return value.node.json;
            };
          },
        });
        return (connection) => `[${connection.edges.map(edge).join(',')}]`;
      },
      pageInfo: (pageInfoField, selection) => {
        const pageInfoType = getNamedType(pageInfoField.type);
        if (!isObjectType(pageInfoType) || !selection.selectionSet) throw new Unsupported();
        const cursor = (read: (info: Connection<JsonRow>['pageInfo']) => string | null) => () => {
          keys = true;
          return (info: Connection<JsonRow>['pageInfo']) => JSON.stringify(read(info));
        };
        const pageInfo = objectRenderer<Connection<JsonRow>['pageInfo']>(pageInfoType, selection.selectionSet, {
          hasNextPage: () => (info) => String(info.hasNextPage),
          hasPreviousPage: () => (info) => String(info.hasPreviousPage),
          startCursor: cursor((info) => info.startCursor),
          endCursor: cursor((info) => info.endCursor),
        });
        return (connection) => pageInfo(connection.pageInfo);
      },
    });
    const data = `{"data":{"${responseKey(root)}":`;
    return { pages, field, fieldNode: root, node: node ?? [], keys, render: (connection) => `${data}${render(connection)}}}`, bodies: new WeakMap() };
  }
}

const responseKey = (selection: FieldNode) => selection.alias?.value ?? selection.name.value;

/** The plain fields of a selection: no fragments, directives or arguments, and each response key once. */
function plainFields(selection: SelectionSetNode): FieldNode[] {
  const seen = new Set<string>();
  return selection.selections.map((field) => {
    if (field.kind !== Kind.FIELD || field.directives?.length || field.arguments?.length) throw new Unsupported();
    const key = responseKey(field);
    if (seen.has(key)) throw new Unsupported();
    seen.add(key);
    return field;
  });
}

/** A field that answers its parent's property of the same name: no resolver of its own (a data-dependent guard would have wrapped one). */
function answersItself(type: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> {
  const field = type.getFields()[name];
  if (!field || field.resolve !== undefined) throw new Unsupported();
  return field;
}

/**
 * The writer of an object's JSON for `selection`: `__typename` and the fields `known` names, each
 * known field's writer built from its definition and selection, in the selection's order.
 */
function objectRenderer<Value>(
  type: GraphQLObjectType,
  selection: SelectionSetNode,
  known: Record<string, (field: GraphQLField<unknown, unknown>, selection: FieldNode) => Renderer<Value>>,
): Renderer<Value> {
  const parts = plainFields(selection).map((fieldNode): Renderer<Value> => {
    const label = `"${responseKey(fieldNode)}":`;
    if (fieldNode.name.value === '__typename') {
      const typename = `${label}${JSON.stringify(type.name)}`;
      return () => typename;
    }
    const build = Object.hasOwn(known, fieldNode.name.value) ? known[fieldNode.name.value] : undefined;
    if (!build) throw new Unsupported();
    const write = build(answersItself(type, fieldNode.name.value), fieldNode);
    return (value) => label + write(value);
  });
  return (value) => `{${parts.map((part) => part(value)).join(',')}}`;
}

/** The node as the database writes it: `__typename`, and fields the entity answers itself from a column, of a scalar the database writes as JSON.stringify would. */
function jsonNode(type: GraphQLObjectType, selection: SelectionSetNode, columns: ReadonlySet<string>): JsonNode {
  return plainFields(selection).map((fieldNode) => {
    const key = responseKey(fieldNode);
    if (fieldNode.name.value === '__typename') return [key, { constant: type.name }] as const;
    const field = answersItself(type, fieldNode.name.value);
    const scalar = getNamedType(field.type).name;
    if (!columns.has(field.name) || !DATABASE_WRITTEN_SCALARS.has(scalar) || isListType(getNullableType(field.type))) throw new Unsupported();
    return [key, { field: field.name, nullable: !isNonNullType(field.type), as: scalar === GraphQLInt.name ? 'integer' : 'text' }] as const;
  });
}
