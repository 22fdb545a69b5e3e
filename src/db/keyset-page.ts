/**
 * One page of a single-table connection as one parameterized SELECT on the data layer's SQL
 * session. Prisma's interpreter and result mapping took half of the database client's time for a
 * 100-row page (BENCHMARKS.md, "the data layer"); a list read is the hot path that pays for it on
 * every request, so it skips them. Writes, single reads and relations stay with Prisma.
 */
import { readPage, type Connection, type JsonNode, type JsonPages, type JsonRow, type KeysetOrder } from '../kernel/pagination.js';
import type { SqlSession } from './database.js';

/**
 * A column of the table; `timestamp` for Prisma's `DateTime` (a `timestamp(3)` holding UTC), read
 * as a `Date` (`true`) or as the text `Date.toISOString()` gives (`'iso'`): a sort key only cursors
 * read needs no Date per row, and pg's date parsing took a quarter of a 100-row page's time.
 */
export type Column = string | { name: string; timestamp: true | 'iso' };

export interface PageTable<Row> {
  /** The table's SQL name (Prisma's `@@map`). */
  table: string;
  /** Every field the page reads, with its column (Prisma's `@map`). */
  columns: { readonly [Field in keyof Row & string]: Column };
}

export interface PageRead {
  /** Equality conditions on columns (SQL names, selected or not), ANDed: an owner's rows. */
  filter?: Readonly<Record<string, string | number | boolean>>;
  /** The keyset order: the fields and their direction as the list reads forward. */
  order: readonly (readonly [field: string, direction: 'asc' | 'desc'])[];
  /** The sort-key values of the cursor to read past, in `order`'s order. */
  after?: readonly unknown[];
  /** Reading towards the start (`last`/`before`): every direction flips. */
  backward: boolean;
  limit: number;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const nameOf = (column: Column) => (typeof column === 'string' ? column : column.name);
const isTimestamp = (column: Column) => typeof column !== 'string';

/** The column as the row carries it: timestamps as UTC instants, or as their ISO 8601 text in UTC. */
function selectedAs(field: string, column: Column): string {
  if (typeof column === 'string') return `${quote(column)} AS ${quote(field)}`;
  const name = quote(column.name);
  if (column.timestamp === 'iso') return `to_char(${name}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${quote(field)}`;
  return `${name} AT TIME ZONE 'UTC' AS ${quote(field)}`;
}

/**
 * The SQL and its parameters. Timestamps are read as UTC instants and compared as UTC, whatever
 * the session's time zone, which is how Prisma reads and writes them.
 */
function pageStatement<Row>({ table, columns }: PageTable<Row>, read: PageRead, selected = Object.entries<Column>(columns).map(([field, col]) => selectedAs(field, col))): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const parameter = (value: unknown, column: Column) => {
    params.push(value instanceof Date ? value.toISOString() : value);
    return isTimestamp(column) ? `($${params.length}::timestamptz AT TIME ZONE 'UTC')` : `$${params.length}`;
  };
  const column = (field: string): Column => {
    const known = (columns as Record<string, Column | undefined>)[field];
    if (known === undefined) throw new Error(`${table} has no column for ${field}`);
    return known;
  };
  const conditions = Object.entries(read.filter ?? {}).map(([name, value]) => `${quote(name)} = ${parameter(value, name)}`);
  const ascending = (direction: 'asc' | 'desc') => (direction === 'asc') !== read.backward;
  if (read.after) {
    // Rows strictly past the cursor in the direction read: (a > x) or (a = x and b > y) or …
    const values = read.after;
    const branches = read.order.map(([field, direction], index) => {
      const equal = read.order.slice(0, index).map(([previous], position) => `${quote(nameOf(column(previous)))} = ${parameter(values[position], column(previous))}`);
      const past = `${quote(nameOf(column(field)))} ${ascending(direction) ? '>' : '<'} ${parameter(values[index], column(field))}`;
      return `(${[...equal, past].join(' AND ')})`;
    });
    // The same bound on the first field alone is redundant, but unlike the OR an index can seek to it:
    // without it a page deep in a large table scanned every row before the cursor.
    const [leading, direction] = read.order[0]!;
    const bound = `${quote(nameOf(column(leading)))} ${ascending(direction) ? '>=' : '<='} ${parameter(values[0], column(leading))}`;
    conditions.push(bound, `(${branches.join(' OR ')})`);
  }
  const orderBy = read.order.map(([field, direction]) => `${quote(nameOf(column(field)))} ${ascending(direction) ? 'ASC' : 'DESC'}`);
  params.push(read.limit);
  const text = [
    `SELECT ${selected.join(', ')} FROM ${quote(table)}`,
    conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '',
    `ORDER BY ${orderBy.join(', ')} LIMIT $${params.length}`,
  ]
    .filter(Boolean)
    .join(' ');
  return { text, params };
}

/** Reads the page's rows; `limit` is usually the page size plus one, to learn whether more follow. */
export function selectPage<Row>(sql: SqlSession, table: PageTable<Row>, read: PageRead): Promise<Row[]> {
  const { text, params } = pageStatement(table, read);
  return sql.query<Row>(text, params);
}

/**
 * The fields of `table` the database can write as JSON exactly as JSON.stringify would: its plain
 * columns (text, uuid and integer columns; PostgreSQL's to_json escapes text as JSON.stringify
 * does). Timestamps are not: their text differs from a Date's JSON.
 */
export const jsonColumns = <Row>({ columns }: PageTable<Row>): ReadonlySet<string> =>
  new Set(Object.entries<Column>(columns).flatMap(([field, column]) => (typeof column === 'string' ? [field] : [])));

/** The SQL expression of the node's JSON text, built with to_json per column so that the text is compact and in the selection's order. */
function jsonNodeExpression<Row>({ table, columns }: PageTable<Row>, node: JsonNode): string {
  const parts = node.map(([key, value], index) => {
    const label = `'${index === 0 ? '{' : ','}"${key}":'`;
    if ('constant' in value) return `${label} || '${JSON.stringify(value.constant).replaceAll("'", "''")}'`;
    const column = (columns as Record<string, Column | undefined>)[value.field];
    if (typeof column !== 'string') throw new Error(`${table} has no plain column for ${value.field}`);
    const json = `to_json(${quote(column)}${value.as === 'text' ? '::text' : ''})::text`;
    return `${label} || ${value.nullable ? `coalesce(${json}, 'null')` : json}`;
  });
  return `${parts.length > 0 ? parts.join(' || ') : "'{'"} || '}'`;
}

/**
 * Reads the page's rows with each node written as JSON text by the database, for the JSON-list
 * path (src/server/json-lists.ts): no row becomes an object and nothing is serialized again.
 * `keys`: also read the sort-key fields, which cursors are encoded from.
 */
export function selectJsonPage<Row>(sql: SqlSession, table: PageTable<Row>, read: PageRead, node: JsonNode, keys: boolean): Promise<readonly JsonRow[]> {
  const selected = [`${jsonNodeExpression(table, node)} AS "json"`];
  if (keys) for (const [field] of read.order) selected.push(selectedAs(field, (table.columns as Record<string, Column>)[field]!));
  const { text, params } = pageStatement(table, read, selected);
  return sql.read<JsonRow>(text, params);
}

/**
 * A list's pages as JSON (`JsonPages`), read as `selectPage` reads them for the list's resolver: the
 * same arguments, order and limit. Identical page reads asked for together share a statement (`SqlSession.read`)
 * and the connection over its rows, which the JSON-list path only reads: the statement's text and
 * parameters fix the page's size and direction.
 */
export function jsonPages<Row>(sql: SqlSession, table: PageTable<Row>, keyset: KeysetOrder<Row>, maxPageSize: number, count: () => Promise<number>): JsonPages {
  // The rows carry the sort-key fields under the row's own names, which is all `keyOf` reads.
  const rowOrder = keyset as unknown as KeysetOrder<JsonRow>;
  const connections = new WeakMap<readonly JsonRow[], Connection<JsonRow>>();
  return {
    columns: jsonColumns(table),
    async page(args, node, keys) {
      const page = readPage<never, never, JsonRow>(rowOrder, args, maxPageSize);
      const rows = await selectJsonPage(sql, table, { order: keyset.order, after: page.after, backward: page.backward, limit: page.take }, node, keys);
      let connection = connections.get(rows);
      if (!connection) connections.set(rows, (connection = page.connection(rows, count)));
      return connection;
    },
  };
}
