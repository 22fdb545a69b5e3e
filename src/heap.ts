/**
 * How far V8 lets the old generation grow past its live size before the next full collection.
 *
 * Under concurrent traffic the scavenger promotes whatever in-flight requests hold at that
 * moment, so garbage reaches the old generation at a steady rate (about 15 KB per request here,
 * in Apollo + Express as much as in our code). V8's own growing factor, up to 4x the live heap
 * when collections are cheap, then lets RSS swing by a hundred MiB between full collections: in
 * `npm run bench -- memory` the old space went from 39 to 135 MiB and back around 33 MiB live.
 * A fixed factor keeps it near the live size, at the price of more full collections. Measured
 * (BENCHMARKS.md): RSS after 100k requests / after 1k was 1.15 with V8's heuristics, 1.04 at 30%
 * and 1.07 at 50%; the 100-item read's throughput against bare Apollo was 0.68, 0.59 and 0.65.
 * 50% is the default; HEAP_GROWTH_PERCENT=0 restores V8's behaviour.
 */
import v8 from 'node:v8';

export function limitHeapGrowth(percent: number): void {
  // Read by V8 each time it sets the next collection's limit, so setting it at run time is enough.
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
