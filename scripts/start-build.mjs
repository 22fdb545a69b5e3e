// The JavaScript copy of src/ that `npm start` runs (.build/, as `npm run build` lays out dist/):
// compiled by esbuild, file by file, when any source changed since the last copy. Made at install
// too (best effort), so that the first `npm start` only checks it. Plain JavaScript, since it runs
// before anything is compiled.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = path.join(ROOT, 'src');
const OUTPUT = path.join(ROOT, '.build');
const STAMP_NAME = '.sources';
const STAMP = path.join(OUTPUT, STAMP_NAME);

/** One line per source file (path, size, modification time): what the copy was built from. */
function sourcesFingerprint() {
  const lines = readdirSync(SOURCES, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const { size, mtimeMs } = statSync(file);
      return `${path.relative(SOURCES, file)} ${size} ${mtimeMs}`;
    })
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

async function build(fingerprint) {
  const { build: esbuild } = await import('esbuild');
  const staging = `${OUTPUT}.${process.pid}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const entryPoints = readdirSync(SOURCES, { recursive: true })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => path.join(SOURCES, file));
  await esbuild({ entryPoints, outdir: staging, outbase: SOURCES, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'error' });
  // Everything else the sources use at run time: the modules' SDL, the hashing process's program,
  // and the explorer's page sources (TypeScript, bundled when first asked for).
  const explorerPage = path.join(SOURCES, 'server/explorer/browser');
  cpSync(SOURCES, staging, { recursive: true, filter: (source) => !/\.tsx?$/.test(source) || source.startsWith(explorerPage) });
  writeFileSync(path.join(staging, STAMP_NAME), fingerprint);
  rmSync(OUTPUT, { recursive: true, force: true });
  try {
    renameSync(staging, OUTPUT);
  } catch (error) {
    // Another start made the same copy in the meantime.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(STAMP) || readFileSync(STAMP, 'utf8') !== fingerprint) throw error;
  }
}

/** Brings .build/ up to date with src/ and returns the URL of its entry point. */
export async function ensureStartBuild() {
  const fingerprint = sourcesFingerprint();
  const current = existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint;
  if (!current) await build(fingerprint);
  return pathToFileURL(path.join(OUTPUT, 'main.js')).href;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // At install: a failure only means the first `npm start` compiles instead. An image's install
  // step runs before src/ is copied in (Dockerfile), and needs no copy.
  if (existsSync(SOURCES)) await ensureStartBuild().catch((error) => console.warn(`Could not prepare .build/ (npm start will try again): ${error.message}`));
}
