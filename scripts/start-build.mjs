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

/** One line per source file (path, size, modification time) and this script's text: what the copy was built from, and how. */
function sourcesFingerprint() {
  const lines = readdirSync(SOURCES, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const { size, mtimeMs } = statSync(file);
      return `${path.relative(SOURCES, file)} ${size} ${mtimeMs}`;
    })
    .sort();
  return createHash('sha256').update(lines.join('\n')).update(readFileSync(import.meta.filename)).digest('hex');
}

/**
 * Packages the start-up bundle leaves in node_modules: those OpenTelemetry patches as they load
 * (express, router, pg, pg-pool: tracing starts before the server's chunk imports them), those that
 * find files of their own at run time (PGlite's WebAssembly, argon2's native addon, esbuild's binary,
 * pino's worker threads), and the tracing SDK and its hooks themselves.
 */
const LEFT_IN_NODE_MODULES = [
  'express',
  'router',
  'pg',
  'pg-pool',
  '@electric-sql/pglite',
  'argon2',
  'esbuild',
  'pino',
  'pino-pretty',
  'thread-stream',
  'import-in-the-middle',
  '@opentelemetry/*',
  '@prisma/instrumentation',
];

/**
 * The bundle's code runs from files at the top of .build/, so each source's `import.meta.url` and
 * `import.meta.dirname` is rewritten to what it is in the file-by-file copy beside it: the files
 * a source finds next to itself (its SDL, the PGlite worker, the hashing process) are found there.
 */
function sourcePositions() {
  return {
    name: 'source-positions',
    setup(builder) {
      builder.onLoad({ filter: /\.tsx?$/ }, (args) => {
        if (!args.path.startsWith(SOURCES + path.sep)) return undefined;
        const contents = readFileSync(args.path, 'utf8');
        const loader = args.path.endsWith('.tsx') ? 'tsx' : 'ts';
        if (!contents.includes('import.meta')) return { contents, loader };
        const copy = `./${path.relative(SOURCES, args.path).split(path.sep).join('/').replace(/\.tsx?$/, '.js')}`;
        const rewritten = contents.replaceAll('import.meta.url', '__sourceUrl').replaceAll('import.meta.dirname', '__sourceDirname');
        const preamble = [
          "import { fileURLToPath as __sourcePath } from 'node:url';",
          `const __sourceUrl = new URL(${JSON.stringify(copy)}, import.meta.url).href;`,
          "const __sourceDirname = __sourcePath(new URL('.', __sourceUrl)).replace(/\\/$/, '');",
        ].join(' ');
        return { contents: `${preamble}\n${rewritten}`, loader };
      });
    },
  };
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
  // main.js itself is the server bundled with most of its packages: a few files to load instead of
  // a thousand modules cut the second start by about 0.4 s (BENCHMARKS.md, the second start). Split
  // at its dynamic imports, so the tracing chunk still runs before the server's chunk loads.
  await esbuild({
    entryPoints: [path.join(SOURCES, 'main.ts')],
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    allowOverwrite: true,
    external: LEFT_IN_NODE_MODULES,
    // Packages written as CommonJS call require(), which an ES module does not have.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    plugins: [sourcePositions()],
    sourcemap: 'linked',
    // Stack traces need the mappings only: with the sources' text, the maps Node reads at start-up were three times larger.
    sourcesContent: false,
    logLevel: 'error',
  });
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
