/**
 * The explorer's JavaScript and CSS: the page script in ./browser bundled with GraphiQL, React and
 * graphql-ws from node_modules by esbuild, in memory, once per process and only when the page is
 * first asked for. Nothing is fetched from the network; file names carry a content hash, so a
 * browser may cache them for good.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface ExplorerAsset {
  /** The URL path under /explorer/assets/, with the content hash in it. */
  name: string;
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
  /** Subresource integrity of the body (sha384), for the page's script and link tags. */
  integrity: string;
}

export interface ExplorerAssets {
  script: ExplorerAsset;
  stylesheet: ExplorerAsset;
  byName: Map<string, ExplorerAsset>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** The page script's TypeScript source: beside this module under src/, copied beside it into dist/ by the build. */
const EXPLORER_ENTRY = path.join(here, 'browser', 'main.tsx');

function asset(file: { path: string; contents: Uint8Array }): ExplorerAsset {
  const body = Buffer.from(file.contents);
  const name = path.basename(file.path);
  return {
    name,
    contentType: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    body,
    gzipped: gzipSync(body),
    integrity: `sha384-${createHash('sha384').update(body).digest('base64')}`,
  };
}

async function bundle(): Promise<ExplorerAssets> {
  // esbuild is loaded only when the explorer is on and asked for.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [EXPLORER_ENTRY],
    bundle: true,
    minify: true,
    write: false,
    outdir: path.join(here, 'bundle'),
    entryNames: 'explorer-[hash]',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    // For the browser, minified, esbuild gives React its production build by itself (it defines NODE_ENV as "production").
    platform: 'browser',
    // GraphiQL inlines its fonts as data: URLs; nothing else may point elsewhere.
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'silent',
    legalComments: 'none',
  });
  const files = result.outputFiles.map(asset);
  const script = files.find((file) => file.name.endsWith('.js'));
  const stylesheet = files.find((file) => file.name.endsWith('.css'));
  if (!script || !stylesheet) throw new Error('the explorer bundle has no script or no stylesheet');
  return { script, stylesheet, byName: new Map(files.map((file) => [file.name, file])) };
}

let bundled: Promise<ExplorerAssets> | undefined;

/** The bundle, built on first use and shared by every app of the process; a failed build is retried next time. */
export function explorerAssets(): Promise<ExplorerAssets> {
  bundled ??= bundle().catch((error: unknown) => {
    bundled = undefined;
    throw error;
  });
  return bundled;
}
