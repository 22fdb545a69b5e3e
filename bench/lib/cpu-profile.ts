/**
 * Reads a V8 .cpuprofile and says where the time went: by layer of the stack (each sample is
 * charged to the innermost frame that belongs to a known package or to our code, so time in
 * Node's core or V8 builtins goes to whoever called it), and self time by function.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  /** Share of the sampled time, 0..1. */
  share: number;
}

export interface ProfileSummary {
  sampledMs: number;
  /** Milliseconds the main thread was busy (neither idle nor stopping the profiler). */
  busyMs: number;
  /** Busy time by layer, in milliseconds, largest first. */
  byLayer: { name: string; ms: number }[];
  /** Self time by function, as a share of busy time. */
  byFunction: Share[];
}

/** Samples taken while the profiler itself was stopping: not the server's work, left out. */
const PROFILER = '(profiler)';

/** Packages (as packageOf names them) → the layer of the request path they belong to. */
const LAYERS: [RegExp, string][] = [
  [/^(@prisma\/|pg$|pg-|postgres-|WebAssembly$)/, 'Prisma + pg (database client)'],
  // graphql-jit's compiled queries have no script URL: their time is charged to graphql-jit's frames that call them.
  [/^(graphql$|graphql-jit$|@graphql-tools\/)/, 'graphql-js / graphql-jit (parse cache, execute)'],
  [/^(@apollo\/|@as-integrations\/|lru-cache$|negotiator$|@graphql-tools\/)/, 'Apollo Server'],
  [/^@escape\.tech\//, 'operation limits (graphql-armor)'],
  [/^(helmet|cors|vary)$/, 'helmet + CORS'],
  [/^(pino|sonic-boom|thread-stream)/, 'request logging (pino)'],
  [/^(express|router|body-parser|raw-body|iconv-lite|on-finished|finalhandler|type-is|content-type|qs|send|depd|debug|mime-types|media-typer|statuses|http-errors|safer-buffer|bytes|encodeurl|parseurl|proxy-addr|forwarded|ipaddr\.js|accepts|fresh|range-parser|etag|content-disposition|cookie|cookie-signature|merge-descriptors|utils-merge|path-to-regexp|setprototypeof|toidentifier|unpipe|ee-first|destroy|escape-html)$/, 'Express'],
  [/^src\/auth\//, 'authentication (token → viewer)'],
  [/^src\/authz\//, 'authorization directives'],
  [/^src\/graphql\/(limits|request-logging)/, 'operation limits (graphql-armor)'],
  [/^src\//, 'our resolvers, services, context'],
  [/^bench\/servers\/ipc/, PROFILER],
  [/^bench\/servers\/peers/, 'peer server resolver'],
  [/^bench\//, 'benchmark server code'],
  [/^V8 garbage collector$/, 'garbage collection'],
];

/** A script URL as a repository path (`src/…`, `bench/…`), whether it ran from the sources or the compiled build. */
const repositoryPath = (url: string) => url.replace('/bench/results/build/', '/').replace(/^.*?\/(src|bench)\//, '$1/');

/** A frame's layer, or undefined for Node core and V8 builtins (charged to their caller). */
function layerOf(frame: ProfileNode['callFrame']): string | undefined {
  const pkg = packageOf(frame);
  if (pkg === 'node core' || pkg === 'tsx' || pkg === 'esbuild' || (pkg.startsWith('V8 ') && pkg !== 'V8 garbage collector')) return undefined;
  const name = pkg === 'this app (src/)' || pkg === 'benchmark server (bench/)' ? repositoryPath(frame.url) : pkg;
  return LAYERS.find(([pattern]) => pattern.test(name))?.[1] ?? pkg;
}

/** `node_modules/@scope/name/…` → `@scope/name`; Node internals, our code and V8's own entries get names too. */
export function packageOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return 'V8 garbage collector';
    return `V8 ${functionName || '(anonymous)'}`;
  }
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + 'node_modules/'.length).split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  if (url.startsWith('node:')) return 'node core';
  if (url.startsWith('wasm://')) return 'WebAssembly';
  if (url.includes('/src/')) return 'this app (src/)';
  if (url.includes('/bench/')) return 'benchmark server (bench/)';
  return url;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const layerOfNode = new Map<number, string>();
  const innermostLayer = (id: number): string => {
    const known = layerOfNode.get(id);
    if (known) return known;
    let layer: string | undefined;
    for (let current: number | undefined = id; current !== undefined && !layer; current = parents.get(current)) layer = layerOf(nodes.get(current)!.callFrame);
    layer ??= 'Node core, sockets and V8 (no package on the stack)';
    layerOfNode.set(id, layer);
    return layer;
  };

  const total = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0);
  const byLayer = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  for (const [id, micros] of selfMicros) {
    const frame = nodes.get(id)!.callFrame;
    const pkg = packageOf(frame);
    const layer = pkg === '(idle)' ? PROFILER : innermostLayer(id);
    if (layer === PROFILER) {
      idle += micros;
      continue;
    }
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + micros);
    const where = frame.url ? `${frame.url.includes('node_modules/') ? frame.url.replace(/^.*node_modules\//, '') : repositoryPath(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const busyMicros = total - idle;
  const shares = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: micros / busyMicros }));
  return {
    sampledMs: total / 1000,
    busyMs: busyMicros / 1000,
    byLayer: [...byLayer.entries()].sort((a, b) => b[1] - a[1]).map(([name, micros]) => ({ name, ms: micros / 1000 })),
    byFunction: shares(byFunction),
  };
}
