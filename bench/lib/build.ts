/**
 * The benchmark servers run as compiled JavaScript under plain node, as the Dockerfile runs the
 * API: under tsx, ESM loader hooks add a thread with its own heap, whose memory the server would
 * carry and later give back, blurring every memory figure. Compiled once per run with
 * tsconfig.bench.json into bench/results/build, beside the files the app reads at run time.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BUILD_DIRECTORY = path.join(ROOT, 'bench/results/build');
export const SERVER_ENTRY = path.join(BUILD_DIRECTORY, 'bench/servers/app-server.js');
export const PEER_ENTRY = path.join(BUILD_DIRECTORY, 'bench/servers/peer-server.js');

let built = false;

export function buildBenchServers(): void {
  if (built) return;
  console.log('  (compiling the benchmark servers: tsc -p tsconfig.bench.json)');
  compileBenchServers(ROOT);
  built = true;
}

/** Compiles the benchmark servers of the checkout at `root` (this one, or another commit's worktree) into its bench/results/build. */
export function compileBenchServers(root: string): void {
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(root, 'tsconfig.bench.json')], { stdio: 'inherit' });
  const build = path.join(root, 'bench/results/build');
  // What src/ reads beside its modules at run time: the SDL files, and prisma/migrations two levels up.
  cpSync(path.join(root, 'src/modules'), path.join(build, 'src/modules'), { recursive: true, filter: (source) => !source.endsWith('.ts') });
  const migrations = path.join(build, 'prisma');
  if (!existsSync(migrations)) symlinkSync(path.join(root, 'prisma'), migrations);
}

/** The app's benchmark server compiled from the checkout at `root`. */
export const serverEntryAt = (root: string) => path.join(root, 'bench/results/build/bench/servers/app-server.js');
