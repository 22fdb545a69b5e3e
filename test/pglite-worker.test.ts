/**
 * The embedded database runs in a worker thread: a slow statement there leaves the main thread
 * free to serve other requests, and the data survives a close and a reopen. Always on PGlite,
 * whatever TEST_DATABASE_URL says: this is the embedded database's own behaviour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';

describe('PGlite in its worker thread', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'pglite-test-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps the main thread free while a statement runs', async () => {
    const db = await openDatabase({ url: 'memory:' });
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 20);
      const started = performance.now();
      // A third of a second and more of work inside Postgres (WebAssembly), on the worker.
      const [row] = await db.sql.query<{ n: string }>('SELECT count(*) AS n FROM generate_series(1, 3000000) g, pg_sleep(0.3) s');
      const elapsed = performance.now() - started;
      clearInterval(timer);
      expect(Number(row?.n)).toBe(3_000_000);
      expect(elapsed).toBeGreaterThan(300);
      // Had PGlite run on this thread, no timer could have fired until it finished.
      expect(ticks).toBeGreaterThanOrEqual(3);
    } finally {
      await db.close();
    }
  });

  it('keeps what was written across a close and a reopen of its directory', async () => {
    const url = `pglite:${path.join(directory, 'data')}`;
    const first = await openDatabase({ url });
    await first.sql.exec("CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')");
    await first.close();
    const second = await openDatabase({ url });
    try {
      expect(await second.sql.query('SELECT body FROM notes')).toEqual([{ body: 'kept' }]);
    } finally {
      await second.close();
    }
  });
});
