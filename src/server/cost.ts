/**
 * The static cost limit: what an operation will really cost, counted before it runs. Each field
 * costs 1; a connection's `edges` cost their selection times the page size, and nested
 * connections multiply down. graphql-armor's cost rule reads `first` only as a literal and
 * prices lists by depth instead, so 100 users × 100 nested items would pass it far too cheaply.
 */
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { defaultPageSize } from '../kernel/pagination.js';

/** A connection (Cursor Connections Specification): an object with edges and pageInfo. */
function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && 'edges' in type.getFields() && 'pageInfo' in type.getFields();
}

/**
 * The rows a connection field may return. A literal counts as given (capped at the page-size
 * limit, since a larger one is refused before anything is read); a variable counts as the limit,
 * because the document is validated, and its result cached, without the variables' values.
 */
function pageSizeOf(field: FieldNode, maxPageSize: number): number {
  const size = field.arguments?.find((argument) => argument.name.value === 'first' || argument.name.value === 'last')?.value;
  if (!size || size.kind === Kind.NULL) return defaultPageSize(maxPageSize);
  if (size.kind === Kind.INT) return Math.max(0, Math.min(Number.parseInt(size.value, 10), maxPageSize));
  return maxPageSize;
}

class CostCounter {
  private readonly fragments = new Map<string, number>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly context: ValidationContext,
    private readonly maxPageSize: number,
  ) {}

  /** `rows`: the page size when `type` is a connection, so its edges are multiplied by it. */
  selectionSet(set: SelectionSetNode, type: GraphQLNamedType | undefined, rows?: number): number {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) cost += this.field(selection, type, rows);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? this.context.getSchema().getType(selection.typeCondition.name.value) : type;
        cost += this.selectionSet(selection.selectionSet, condition ?? undefined, rows);
      } else cost += this.fragment(selection.name.value, rows);
    }
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLNamedType | undefined, rows?: number): number {
    // Introspection is bounded by the depth limit, and the Sandbox must be able to load the schema.
    if (node.name.value.startsWith('__')) return 0;
    const definition: GraphQLField<unknown, unknown> | undefined =
      parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[node.name.value] : undefined;
    if (!node.selectionSet) return 1;
    const type = definition ? getNamedType(definition.type) : undefined;
    if (type && isConnection(type)) return 1 + this.selectionSet(node.selectionSet, type, pageSizeOf(node, this.maxPageSize));
    const each = 1 + this.selectionSet(node.selectionSet, type);
    return rows !== undefined && node.name.value === 'edges' ? rows * each : each;
  }

  /** Counted once per page size, so a fragment spread a million times is still counted quickly. */
  private fragment(name: string, rows?: number): number {
    const key = `${name}:${rows ?? ''}`;
    const known = this.fragments.get(key);
    if (known !== undefined) return known;
    const fragment = this.context.getFragment(name);
    // A cycle is reported by graphql-js's own NoFragmentCycles rule; an unknown fragment by KnownFragmentNames.
    if (!fragment || this.visiting.has(name)) return 0;
    this.visiting.add(name);
    const cost = this.selectionSet(fragment.selectionSet, this.context.getSchema().getType(fragment.typeCondition.name.value) ?? undefined, rows);
    this.visiting.delete(name);
    this.fragments.set(key, cost);
    return cost;
  }
}

/** The operation's cost, as the limit counts it. */
export function operationCost(context: ValidationContext, selectionSet: SelectionSetNode, rootType: GraphQLNamedType | undefined, maxPageSize: number): number {
  return new CostCounter(context, maxPageSize).selectionSet(selectionSet, rootType);
}

/**
 * `costLimit(maxPageSize)(maxCost)`: a validation rule refusing any operation that costs more
 * than `maxCost`, with the message and code armor's rule used.
 */
export function costLimit(maxPageSize: number) {
  return (maxCost: number): ValidationRule =>
    (context) => ({
      OperationDefinition(operation) {
        const schema = context.getSchema();
        const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
        const cost = operationCost(context, operation.selectionSet, root ?? undefined, maxPageSize);
        if (cost > maxCost) {
          context.reportError(new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        }
        return false;
      },
    });
}
