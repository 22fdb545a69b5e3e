/** Small statistics for benchmark rounds: medians, percentiles, and A/B rounds run alternately. */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export interface Rounds<A, B> {
  a: A[];
  b: B[];
}

/**
 * Runs `rounds` rounds of A and B, alternating which goes first (AB, BA, AB…) so that drift in
 * the machine's speed falls on both sides equally.
 */
export async function alternate<A, B>(rounds: number, runA: () => Promise<A>, runB: () => Promise<B>): Promise<Rounds<A, B>> {
  const result: Rounds<A, B> = { a: [], b: [] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      result.a.push(await runA());
      result.b.push(await runB());
    } else {
      result.b.push(await runB());
      result.a.push(await runA());
    }
  }
  return result;
}

/** The median of the per-round ratios a[i] / b[i]: each ratio compares two neighbouring measurements. */
export function medianRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, index) => value / b[index]!));
}

/**
 * For throughput, whose drift over a run is large (JIT, caches, neighbours): two consecutive
 * rounds of `alternate` form an A B B A block, in which a steady drift adds as much to A as to
 * B. The ratio is the median over blocks of (a₁ + a₂) / (b₁ + b₂); a lone last round is dropped.
 */
export function medianBlockRatio(a: readonly number[], b: readonly number[]): number {
  const ratios: number[] = [];
  for (let first = 0; first + 1 < a.length; first += 2) {
    ratios.push((a[first]! + a[first + 1]!) / (b[first]! + b[first + 1]!));
  }
  return median(ratios);
}
