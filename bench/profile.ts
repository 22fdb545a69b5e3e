/**
 * Where a full-stack request's time goes: the real server (on PostgreSQL) and the tuned Apollo
 * peer (bench/servers/peers.ts), each in its own process, serve the 100-item read one after the other under the V8 CPU profiler
 * (started after warm-up); their main-thread time per request is printed side by side, by layer.
 * Then the cached anonymous read beside `node:http` answering with a precomputed body.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { summarizeProfile, type ProfileSummary } from './lib/cpu-profile.js';
import { tokenFor } from './lib/environment.js';
import { round, warmUp, withBenchDatabase } from './lib/harness.js';
import { load } from './lib/load.js';
import { MENU_ITEMS } from './lib/queries.js';
import type { Benchmark } from './lib/result.js';
import { startPeerProcess, startServerProcess, urlOf, type ServerProcess } from './lib/server-process.js';
import type { Variant } from './servers/app-server.js';
import type { Peer } from './servers/peers.js';
import { CONNECTIONS } from './lib/settings.js';

export const PROFILE_DIRECTORY = path.resolve(import.meta.dirname, 'results/profiles');
const PROFILE_SECONDS = 6;

interface Profiled {
  summary: ProfileSummary;
  requests: number;
  requestsPerSecond: number;
}

async function profileVariant(server: ServerProcess, variant: Variant | Peer, file: string, token: string | undefined = tokenFor()): Promise<Profiled> {
  const target = { url: urlOf(server, variant), request: { query: MENU_ITEMS, token } };
  await warmUp(target);
  server.startProfiling();
  const { requests, requestsPerSecond } = await load({ ...target, seconds: PROFILE_SECONDS, connections: CONNECTIONS });
  await server.stopProfiling(file);
  return { summary: summarizeProfile(file), requests, requestsPerSecond };
}

/** Microseconds of main-thread time per request, per layer. */
const perRequest = ({ summary, requests }: Profiled) => new Map(summary.byLayer.map(({ name, ms }) => [name, (ms * 1000) / requests]));

function printSideBySide(title: string, a: Profiled, b: Profiled): void {
  const fullLayers = perRequest(a);
  const bareLayers = perRequest(b);
  const total = (layers: Map<string, number>) => [...layers.values()].reduce((sum, micros) => sum + micros, 0);
  const rows = [...new Set([...fullLayers.keys(), ...bareLayers.keys()])].sort((x, y) => (fullLayers.get(y) ?? 0) - (fullLayers.get(x) ?? 0));
  const width = Math.max(...rows.map((row) => row.length), 30);
  const cell = (micros: number | undefined) => (micros === undefined ? '-' : String(round(micros))).padStart(10);
  console.log(`  ${title}: main-thread µs per request (profiles in ${PROFILE_DIRECTORY}, open in Chrome DevTools)`);
  console.log(`  ${'layer'.padEnd(width)}  ${'app'.padStart(10)}  ${'peer'.padStart(10)}  ${'extra'.padStart(10)}`);
  for (const row of rows) {
    const extra = (fullLayers.get(row) ?? 0) - (bareLayers.get(row) ?? 0);
    console.log(`  ${row.padEnd(width)}  ${cell(fullLayers.get(row))}  ${cell(bareLayers.get(row))}  ${cell(extra)}`);
  }
  console.log(`  ${'total'.padEnd(width)}  ${cell(total(fullLayers))}  ${cell(total(bareLayers))}  ${cell(total(fullLayers) - total(bareLayers))}`);
  console.log(`  under the profiler: app ${round(a.requestsPerSecond)} req/s, peer ${round(b.requestsPerSecond)} req/s`);
  console.log('  top functions of the app (self time):');
  for (const { name, share } of a.summary.byFunction) console.log(`    ${(share * 100).toFixed(1).padStart(5)}%  ${name}`);
}

export const profileBenchmark: Benchmark = {
  name: 'profile',
  description: 'Where the full stack spends its time, next to the tuned Apollo peer, and its cached read next to a precomputed body (CPU profiles; no target)',
  run: () =>
    withBenchDatabase(async ({ env, prepareWithPasswordHash }) => {
      mkdirSync(PROFILE_DIRECTORY, { recursive: true });
      const fullFile = path.join(PROFILE_DIRECTORY, 'full-stack.cpuprofile');
      const bareFile = path.join(PROFILE_DIRECTORY, 'bare.cpuprofile');
      const [server, bareServer, precomputedServer] = await Promise.all([
        startServerProcess({ env, variants: ['full', 'cached'], prepareWithPasswordHash }),
        startPeerProcess('apollo-tuned'),
        startPeerProcess('precomputed'),
      ]);
      let full: Profiled;
      let bare: Profiled;
      let cached: Profiled;
      let precomputed: Profiled;
      try {
        full = await profileVariant(server, 'full', fullFile);
        bare = await profileVariant(bareServer, 'apollo-tuned', bareFile);
        cached = await profileVariant(server, 'cached', path.join(PROFILE_DIRECTORY, 'cached.cpuprofile'), undefined);
        precomputed = await profileVariant(precomputedServer, 'precomputed', path.join(PROFILE_DIRECTORY, 'precomputed.cpuprofile'), undefined);
      } finally {
        await Promise.all([server.stop(), bareServer.stop(), precomputedServer.stop()]);
      }

      printSideBySide(`uncached authenticated read: full stack vs tuned Apollo`, full, bare);
      printSideBySide(`cached anonymous read: full stack vs node:http with a precomputed body`, cached, precomputed);
      return [];
    }),
};
