/**
 * Target 6: memory stays flat under sustained authenticated traffic. The server runs in its own
 * process; its RSS is read (over IPC; nothing forced, no explicit GC) after 1k authenticated
 * requests and again after 100k, with samples in between for the shape of the curve.
 * `memory-retained` is the diagnostic beside it: the same traffic on a server started with
 * --expose-gc, reading the heap that survives a full GC at the same points (a leak would grow it).
 */
import { tokenFor } from './lib/environment.js';
import { round, withBenchDatabase } from './lib/harness.js';
import { graphqlOnce, load } from './lib/load.js';
import { PROTECTED_MESSAGE } from './lib/queries.js';
import type { Benchmark, BenchmarkResult } from './lib/result.js';
import { startServerProcess, urlOf } from './lib/server-process.js';
import type { MemorySample } from './servers/ipc.js';
import { CONNECTIONS } from './lib/settings.js';

/** Cumulative request counts at which memory is sampled; the ratio compares the last with the first. */
const CHECKPOINTS = [1_000, 10_000, 25_000, 50_000, 75_000, 100_000] as const;
const MiB = 2 ** 20;
const mib = (bytes: number) => round(bytes / MiB, 1);

/** Where the resident memory is: V8's spaces, buffers outside the heap, and the rest (code, native allocations). */
function describe({ rss, heapTotal, external, spaces }: MemorySample): string {
  const space = (name: string) => mib(spaces[name] ?? 0);
  return (
    `RSS ${mib(rss)} MiB = V8 heap ${mib(heapTotal)} (new ${space('new_space')}, old ${space('old_space')}, code ${space('code_space')}, ` +
    `large ${space('large_object_space')}) + external ${mib(external)} + other ${mib(rss - heapTotal - external)}`
  );
}

/** Sends the checkpoints' worth of authenticated requests, sampling memory at each. */
function sampleUnderTraffic(collectGarbage: boolean) {
  return withBenchDatabase(async ({ database, env, prepareWithPasswordHash }) => {
    const server = await startServerProcess({ env, variants: ['full'], prepareWithPasswordHash }, { nodeFlags: collectGarbage ? ['--expose-gc'] : [] });
    try {
      const url = urlOf(server, 'full');
      const request = { query: PROTECTED_MESSAGE, token: tokenFor() };
      await graphqlOnce(url, request);
      const usage = new Map<number, MemorySample>();
      let sent = 0;
      let requestsPerSecond = 0;
      for (const checkpoint of CHECKPOINTS) {
        ({ requestsPerSecond } = await load({ url, request, amount: checkpoint - sent, connections: CONNECTIONS }));
        sent = checkpoint;
        const sample = await server.memory({ collectGarbage });
        usage.set(checkpoint, sample);
        console.log(`    ${checkpoint / 1000}k: ${describe(sample)}`);
      }
      return { usage, first: usage.get(CHECKPOINTS[0])!, last: usage.get(CHECKPOINTS[CHECKPOINTS.length - 1]!)!, requestsPerSecond, note: database.note };
    } finally {
      await server.stop();
    }
  });
}

export const memoryBenchmark: Benchmark = {
  name: 'memory',
  description: 'Target 6: server RSS after 100k authenticated requests versus after 1k',
  async run(): Promise<BenchmarkResult[]> {
    const { usage, first, last, requestsPerSecond, note } = await sampleUnderTraffic(false);
    return [
      {
        id: '6',
        name: 'server RSS after 100k authenticated requests vs after 1k',
        ratio: last.rss / first.rss,
        target: { comparison: '<=', value: 1.1 },
        ratioOf: 'RSS after 100k requests / RSS after 1k requests',
        context: {
          ...Object.fromEntries(CHECKPOINTS.map((checkpoint) => [`RSS MiB@${checkpoint / 1000}k`, mib(usage.get(checkpoint)!.rss)])),
          'heap used MiB 1k→100k': `${mib(first.heapUsed)}→${mib(last.heapUsed)}`,
          'req/s': round(requestsPerSecond),
        },
        notes: note ? [note] : [],
      },
    ];
  },
};

export const retainedHeapBenchmark: Benchmark = {
  name: 'memory-retained',
  description: 'Diagnostic for target 6: heap retained after a full GC, 100k authenticated requests versus 1k',
  async run(): Promise<BenchmarkResult[]> {
    const { usage, first, last, note } = await sampleUnderTraffic(true);
    return [
      {
        id: '6b',
        name: 'heap retained after a full GC, 100k requests vs 1k (leak check)',
        ratio: last.heapUsed / first.heapUsed,
        target: { comparison: '<=', value: 1.1 },
        ratioOf: 'heap used after gc() at 100k / at 1k (server run with --expose-gc)',
        context: Object.fromEntries(CHECKPOINTS.map((checkpoint) => [`MiB@${checkpoint / 1000}k`, mib(usage.get(checkpoint)!.heapUsed)])),
        notes: note ? [note] : [],
      },
    ];
  },
};
