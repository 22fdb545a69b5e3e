/**
 * A new embedded database starts from the initdb template (src/db/pglite-template.ts): it is
 * written on the first fresh open, new databases load it, a database that exists is opened as it
 * is, and a damaged template costs nothing but time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgliteCluster, pgliteTemplateFile } from '../src/db/pglite-template.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'pglite-template-'));
const template = path.join(scratch, 'cache', 'initdb.tar');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the PGlite initdb template', () => {
  it('is written by the first fresh open, and a database made from it keeps what is written to it', { timeout: 60_000 }, async () => {
    const first = await openPgliteCluster(undefined, template);
    await first.close();
    expect(statSync(template).size).toBeGreaterThan(1_000_000);

    const directory = path.join(scratch, 'data');
    const made = await openPgliteCluster(directory, template);
    await made.exec("CREATE TABLE note (body text); INSERT INTO note VALUES ('kept')");
    await made.close();
    expect(existsSync(path.join(directory, 'PG_VERSION'))).toBe(true);

    const reopened = await openPgliteCluster(directory, template);
    expect((await reopened.query<{ body: string }>('SELECT body FROM note')).rows).toEqual([{ body: 'kept' }]);
    await reopened.close();
  });

  it('falls back to initdb when the template is damaged, and replaces it', { timeout: 60_000 }, async () => {
    const damaged = path.join(scratch, 'damaged', 'initdb.tar');
    rmSync(path.dirname(damaged), { recursive: true, force: true });
    mkdirSync(path.dirname(damaged), { recursive: true });
    writeFileSync(damaged, 'not a tarball');
    const directory = path.join(scratch, 'after-damage');
    const pglite = await openPgliteCluster(directory, damaged);
    expect((await pglite.query<{ answer: number }>('SELECT 42 AS answer')).rows).toEqual([{ answer: 42 }]);
    await pglite.close();
    expect(statSync(damaged).size).toBeGreaterThan(1_000_000);
  });

  it('opens every database with 32 MB of shared buffers rather than 128 MB: one made from the template, one that exists, one made by initdb', { timeout: 60_000 }, async () => {
    const sharedBuffers = async (directory: string | undefined, file = template) => {
      const pglite = await openPgliteCluster(directory, file);
      try {
        return (await pglite.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0]!.shared_buffers;
      } finally {
        await pglite.close();
      }
    };
    const directory = path.join(scratch, 'buffers');
    expect(await sharedBuffers(directory)).toBe('32MB');
    expect(await sharedBuffers(directory)).toBe('32MB');
    expect(await sharedBuffers(undefined, path.join(scratch, 'no-template', 'initdb.tar'))).toBe('32MB');
  });

  it('is prepared at install time where the server looks for it', () => {
    const printed = execFileSync(process.execPath, ['scripts/prepare-pglite-template.mjs', '--print-path'], { encoding: 'utf8' }).trim();
    expect(printed).toBe(pgliteTemplateFile());
  });
});
