/**
 * A new PGlite database starts from a copy of a freshly initialised one. `initdb` (what
 * `new PGlite()` runs on an empty directory or in memory) takes 2.5–3 s here; loading the same
 * cluster from a tarball takes about 0.5 s. The first fresh open on a machine pays for initdb once
 * and stores its result; every later fresh open (a first `npm start`, each test's in-memory
 * database) loads it. Keyed by PGlite's version, written atomically, and never required: any
 * failure to read or write it falls back to initdb.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** PGlite's own folder: its package.json is not exported, so it is found from the entry point. */
function pglitePackage(): { folder: string; version: string } {
  let folder = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(folder, 'package.json'))) folder = path.dirname(folder);
  const { version } = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string };
  return { folder, version };
}

/** Where the template of this PGlite version is kept: <project>/node_modules/.cache/secure-graphql-api/. */
export function pgliteTemplateFile(): string | undefined {
  try {
    const { folder, version } = pglitePackage();
    return path.join(folder, '..', '..', '.cache', 'secure-graphql-api', `pglite-${version}-initdb.tar`);
  } catch {
    return undefined;
  }
}

/**
 * Postgres' shared buffers: PGlite keeps Postgres' default of 128 MB, which it sets up inside its
 * WebAssembly memory at every open. 32 MB opened an existing database about 0.15 s sooner and left
 * the process about 100 MB smaller (BENCHMARKS.md, the second start); pages past them are read from
 * their files again, as PostgreSQL reads them from the operating system's cache.
 */
const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/** Only an empty (or absent) directory, or memory, starts from the template: anything else is opened as it is. */
const isEmpty = (dataDirectory: string | undefined) => dataDirectory === undefined || !existsSync(dataDirectory) || readdirSync(dataDirectory).length === 0;

const emptyDirectory = (dataDirectory: string | undefined) => {
  for (const entry of dataDirectory && existsSync(dataDirectory) ? readdirSync(dataDirectory) : []) rmSync(path.join(dataDirectory!, entry), { recursive: true, force: true });
};

async function fromTemplate(file: string, dataDirectory: string | undefined): Promise<PGlite | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    const pglite = new PGlite({ dataDir: dataDirectory, loadDataDir: new Blob([readFileSync(file)]), startParams });
    await pglite.waitReady;
    return pglite;
  } catch {
    // Whatever a half-loaded template left is cleared, so that initdb starts on an empty directory.
    emptyDirectory(dataDirectory);
    return undefined;
  }
}

async function saveTemplate(pglite: PGlite, file: string): Promise<void> {
  try {
    const dump = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}.partial`;
    writeFileSync(partial, dump);
    renameSync(partial, file);
  } catch {
    // A read-only node_modules (a container image, say) only means the next fresh open runs initdb too.
  }
}

/** Opens the database in `dataDirectory` (in memory when undefined), from the initdb template when it is new. */
export async function openPgliteCluster(dataDirectory: string | undefined, file = pgliteTemplateFile()): Promise<PGlite> {
  if (!isEmpty(dataDirectory)) {
    const pglite = new PGlite({ dataDir: dataDirectory, startParams });
    await pglite.waitReady;
    return pglite;
  }
  const loaded = file && (await fromTemplate(file, dataDirectory));
  if (loaded) return loaded;
  const pglite = new PGlite({ dataDir: dataDirectory, startParams });
  await pglite.waitReady;
  if (file) await saveTemplate(pglite, file);
  return pglite;
}
