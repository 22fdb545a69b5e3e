/**
 * How long and how often the benchmarks measure. Many short A/B pairs rather than a few long
 * ones: a burst of unrelated load on the machine spoils one pair, and the median discards it.
 * BENCH_ROUNDS and BENCH_SECONDS override every benchmark's rounds and seconds (quick runs).
 */

const override = (value: string | undefined) => {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
};
const rounds = override(process.env.BENCH_ROUNDS);
const seconds = override(process.env.BENCH_SECONDS);

/** Throughput comparisons: closed-loop rounds, alternating; two rounds make an A B B A block (stats.ts). */
export const THROUGHPUT_ROUNDS = rounds ?? 12;
export const THROUGHPUT_SECONDS = seconds ?? 1.5;
/** Latency comparisons need more samples per round for a p99 worth the name. */
export const LATENCY_ROUNDS = rounds ?? 7;
export const LATENCY_SECONDS = seconds ?? 5;
/** Seconds of load per server before measuring: Node's JIT takes about this long to settle on the full stack. */
export const WARMUP_SECONDS = 10;
/** Concurrent HTTP connections of the load generator (closed loop: each waits for its answer); 20, as the performance issue measures. */
export const CONNECTIONS = 20;
