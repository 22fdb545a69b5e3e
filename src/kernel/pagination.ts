/**
 * Cursor connections (the GraphQL Cursor Connections Specification) over keyset pages: the page
 * arguments checked against the page-size limit, opaque cursors bound to one connection, and the
 * keyset `where`/`orderBy` a service hands to Prisma. Pure functions: no database in here.
 */
import { z } from 'zod';
import { badUserInput } from './errors.js';
import { isUuid } from './validation.js';

export const DEFAULT_PAGE_SIZE = 20;

/** The page size when the client gives none: 20, or the limit when that is lower. */
export const defaultPageSize = (maxPageSize: number) => Math.min(DEFAULT_PAGE_SIZE, maxPageSize);

/** Bumped when the cursor's layout changes: an old cursor is then refused rather than misread. */
const CURSOR_VERSION = 1;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** What a connection field resolves to; `totalCount` runs its count only when the client selects it. */
export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
}

type Direction = 'asc' | 'desc';

/**
 * One connection's total order. The last field must be unique (the id), so no two rows tie and a
 * cursor names one position exactly: rows inserted or deleted elsewhere cannot shift a page.
 */
export interface KeysetOrder<Row> {
  /** Tagged into every cursor: a cursor of one connection is refused by another. */
  kind: string;
  order: readonly (readonly [field: string, direction: Direction])[];
  /** The sort-key values of a row, as JSON (dates as ISO strings), in `order`'s order. */
  keyOf: (row: Row) => unknown[];
  /** Validates decoded values and turns them back into what the database compares (dates as Date). */
  key: z.ZodType<unknown[]>;
}

export interface Page<Where, OrderBy, Row> {
  /** The keyset condition past the cursor, or undefined on the first page. */
  where: Where | undefined;
  orderBy: OrderBy[];
  /** One row more than the page, to learn whether another page follows. */
  take: number;
  /** The same keyset condition as plain values, for a reader that writes its own SQL. */
  after: unknown[] | undefined;
  backward: boolean;
  /** The connection over the rows read with `where`, `orderBy` and `take`. */
  connection(rows: readonly Row[], count: () => Promise<number>): Connection<Row>;
}

const cursorShape = z.object({ v: z.literal(CURSOR_VERSION), k: z.string(), s: z.array(z.unknown()) }).strict();

export function encodeCursor(kind: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, k: kind, s: values })).toString('base64url');
}

/** The cursor's sort-key values; anything forged, foreign or stale is BAD_USER_INPUT naming the argument. */
export function decodeCursor<Row>(keyset: KeysetOrder<Row>, cursor: string, argument: 'after' | 'before'): unknown[] {
  const invalid = () => badUserInput(argument, `${argument}: not a cursor of this list`);
  if (cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const shape = cursorShape.safeParse(raw);
  if (!shape.success || shape.data.k !== keyset.kind) throw invalid();
  const values = keyset.key.safeParse(shape.data.s);
  if (!values.success) throw invalid();
  return values.data;
}

function readSize(argument: 'first' | 'last', value: number, maxPageSize: number): number {
  if (!Number.isInteger(value)) throw badUserInput(argument, `${argument} must be a whole number`);
  if (value < 0) throw badUserInput(argument, `${argument} must not be negative`);
  if (value > maxPageSize) throw badUserInput(argument, `${argument} must be at most ${maxPageSize} (GRAPHQL_MAX_PAGE_SIZE)`);
  return value;
}

/** Rows strictly past `values` in the direction read: (a > x) or (a = x and b > y) or … */
function keysetWhere(order: KeysetOrder<unknown>['order'], values: unknown[], backward: boolean): Record<string, unknown> {
  return {
    OR: order.map(([field, direction], index) => {
      const ascending = (direction === 'asc') !== backward;
      const equal = Object.fromEntries(order.slice(0, index).map(([name], position) => [name, values[position]]));
      return { ...equal, [field]: { [ascending ? 'gt' : 'lt']: values[index] } };
    }),
  };
}

/** An edge whose cursor is encoded only when the client selects it (most list reads do not). */
class Edge<Row> {
  constructor(
    readonly node: Row,
    private readonly cursorOf: (node: Row) => string | null,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node)!;
  }
}

/**
 * Reads the page arguments: `first`/`after` forward (the default, `first` 20), or `last`/`before`
 * backward. Refuses mixing both directions, a size over `maxPageSize`, and any cursor but this
 * connection's own — before anything is read from the database.
 */
export function readPage<Where, OrderBy, Row>(keyset: KeysetOrder<Row>, args: PageArgs, maxPageSize: number): Page<Where, OrderBy, Row> {
  const { first, after, last, before } = args;
  if ((first != null || after != null) && (last != null || before != null)) {
    throw badUserInput(last != null ? 'last' : 'before', 'Page forward with first/after or backward with last/before, not both');
  }
  const backward = last != null || before != null;
  const fallback = defaultPageSize(maxPageSize);
  const size = backward ? readSize('last', last ?? fallback, maxPageSize) : readSize('first', first ?? fallback, maxPageSize);
  const cursor = backward ? before : after;
  const values = cursor != null ? decodeCursor(keyset, cursor, backward ? 'before' : 'after') : undefined;

  return {
    // Built only for a reader that asks (Prisma's); list pages that write their own SQL use `after`.
    get where() {
      return values && (keysetWhere(keyset.order, values, backward) as Where);
    },
    get orderBy() {
      return keyset.order.map(([field, direction]) => ({ [field]: backward ? (direction === 'asc' ? 'desc' : 'asc') : direction }) as OrderBy);
    },
    take: size + 1,
    after: values,
    backward,
    connection(rows, count) {
      const more = rows.length > size;
      const page = rows.slice(0, size);
      if (backward) page.reverse();
      const cursorOf = (node: Row | undefined) => (node === undefined ? null : encodeCursor(keyset.kind, keyset.keyOf(node)));
      return {
        edges: page.map((node) => new Edge(node, cursorOf)),
        pageInfo: {
          // The spec lets the side we did not read answer false: learning it would cost another query.
          hasNextPage: backward ? false : more,
          hasPreviousPage: backward ? more : false,
          get startCursor() {
            return cursorOf(page[0]);
          },
          get endCursor() {
            return cursorOf(page.at(-1));
          },
        },
        totalCount: count,
      };
    },
  };
}

/** Sort-key parts for `KeysetOrder.key`. */
export const cursorKey = {
  date: z.iso.datetime().transform((value) => new Date(value)),
  uuid: z.string().refine(isUuid),
  text: z.string().max(1000),
};

/**
 * A node as the database writes it, as JSON text: its response keys in the order the client
 * selected them, each a column of the table (`nullable`: written `null` when empty) or a constant
 * (`__typename`). Response keys are GraphQL names, so they need no escaping in SQL or JSON.
 */
export type JsonNode = readonly (readonly [key: string, value: JsonNodeField | { constant: string }])[];

/** A node field from a column: `text` for ID and String fields (written as JSON strings whatever the column's type), `integer` for Int (Prisma's Int, an integer column). */
export interface JsonNodeField {
  field: string;
  nullable: boolean;
  as: 'text' | 'integer';
}

/** A page row read as JSON: the node's text (null when a non-null column was empty), and the sort-key fields when cursors are wanted. */
export type JsonRow = { json: string | null } & Record<string, unknown>;

/**
 * A list whose pages the database can write as JSON, for the JSON-list path (src/server/json-lists.ts):
 * a module's connection whose nodes are plain rows, registered under its Query field.
 */
export interface JsonPages {
  /** The node fields the database can write (`jsonColumns` of the page's table). */
  readonly columns: ReadonlySet<string>;
  /**
   * The page the field's resolver would read, with each node as JSON text; `keys`: cursors will be
   * read. Identical reads may answer the same connection object (they shared one statement): it is
   * only read.
   */
  page(args: PageArgs, node: JsonNode, keys: boolean): Promise<Connection<JsonRow>>;
}
