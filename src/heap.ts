/**
 * How far V8 lets the old generation grow past its live size before the next full collection.
 *
 * Under concurrent traffic the scavenger promotes whatever in-flight requests hold at that
 * moment, so garbage reaches the old generation at a steady rate (about 15 KB per request here,
 * in Apollo + Express as much as in our code). V8's own growing factor, up to 4x the live heap
 * when collections are cheap, then lets RSS swing by a hundred MiB between full collections: in
 * `npm run bench -- memory` the old space went from 39 to 135 MiB and back around 33 MiB live.
 * A fixed factor (30% by default) keeps it near the live size, for one full collection (~6 ms)
 * every thousand or so requests. HEAP_GROWTH_PERCENT=0 restores V8's behaviour.
 */
import v8 from 'node:v8';

export function limitHeapGrowth(percent: number): void {
  // Read by V8 each time it sets the next collection's limit, so setting it at run time is enough.
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
