/**
 * Identical reads asked for at the same moment run as one statement, and every caller gets its
 * rows. Under concurrent traffic for the same page (a public menu read by many clients at once)
 * the database then runs the statement once for many requests instead of once for each.
 *
 * A read joins a statement that has not been sent yet: one asked for in the same turn of the event
 * loop, or one still waiting for a connection (PGlite has one; a busy pool has none free). Every
 * answer therefore comes from a statement that started after its request arrived, so it sees every
 * write committed before (read-your-writes holds, as without coalescing). Nothing is kept once the
 * statement has been sent: this is not a cache. Statements are keyed by their text and parameters,
 * so two reads share rows only when they are the same statement; whose rows a statement may return
 * (an owner's filter) is part of its parameters, and authorization has been decided for each
 * request before its read.
 */

/** A connection taken for one statement, then given back. */
export interface ReadConnection {
  query<Row>(text: string, params: unknown[]): Promise<Row[]>;
  release(): void;
}

/** A read whose rows may be shared: every caller of one statement gets the same array, so no caller may change it. */
export type SharedRead = <Row>(text: string, params: readonly unknown[]) => Promise<readonly Row[]>;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function coalescedReads(connect: () => Promise<ReadConnection>): SharedRead {
  const unsent = new Map<string, Promise<readonly unknown[]>>();
  return <Row>(text: string, params: readonly unknown[]) => {
    const key = `${JSON.stringify(params)}\u0000${text}`;
    let read = unsent.get(key);
    if (!read) {
      read = (async () => {
        let connection: ReadConnection;
        try {
          await nextTurn();
          connection = await connect();
        } finally {
          // From here on the statement is sent: later reads start their own.
          unsent.delete(key);
        }
        try {
          return await connection.query(text, [...params]);
        } finally {
          connection.release();
        }
      })();
      unsent.set(key, read);
    }
    return read as Promise<readonly Row[]>;
  };
}
