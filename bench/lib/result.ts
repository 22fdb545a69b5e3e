/** What a benchmark reports: a ratio of two configurations measured in the same run, and its target. */

export interface Target {
  /** '≈': within `tolerance` of `value`; 'report': measured for the record, with no goal (`value` unused). */
  comparison: '>=' | '<=' | '=' | '≈' | 'report';
  value: number;
  tolerance?: number;
}

export interface BenchmarkResult {
  /** The target number ("1", "2", …; "1b" for an extra comparison). */
  id: string;
  name: string;
  ratio: number;
  target: Target;
  /** What the ratio is made of: A / B, in words. */
  ratioOf: string;
  /** Absolute numbers measured beside the ratio, for context only. */
  context: Record<string, number | string>;
  notes?: string[];
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchmarkResult[]>;
}

/** A check of the measurement itself (the same server against itself), not a target of the issue. */
export const isCalibration = (result: Pick<BenchmarkResult, 'target'>) => result.target.comparison === '≈';

export function passes({ ratio, target }: Pick<BenchmarkResult, 'ratio' | 'target'>): boolean {
  if (target.comparison === '>=') return ratio >= target.value;
  if (target.comparison === '<=') return ratio <= target.value;
  if (target.comparison === 'report') return true;
  if (target.comparison === '≈') return Math.abs(ratio - target.value) <= (target.tolerance ?? 0);
  return Math.abs(ratio - target.value) < 1e-9;
}
