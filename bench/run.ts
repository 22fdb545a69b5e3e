/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>…` runs some. Prints a table of
 * ratio, target and pass/fail, writes bench/results/latest.json, and exits 1 if a target is missed.
 */
import { authorizationBenchmark } from './authorization.js';
import { dataScalingBenchmark } from './data-scaling.js';
import { fullStackBenchmark } from './full-stack.js';
import { loginContentionBenchmark } from './login-contention.js';
import { memoryBenchmark, retainedHeapBenchmark } from './memory.js';
import { profileBenchmark } from './profile.js';
import { sqlStatementsBenchmark } from './sql-statements.js';
import { startupBenchmark } from './startup.js';
import { subscriptionsBenchmark } from './subscriptions.js';
import type { Benchmark, BenchmarkResult } from './lib/result.js';
import { buildBenchServers } from './lib/build.js';
import { isCalibration, passes } from './lib/result.js';
import { machine, printTable, RESULTS_FILE, verdict, writeResults } from './report.js';

/**
 * The table follows the order (target 3, the token micro-benchmark, is retired: BENCHMARKS.md).
 * `memory-retained` explains target 6 and `profile` (no target) target 2.
 */
const BENCHMARKS: Benchmark[] = [
  authorizationBenchmark,
  fullStackBenchmark,
  loginContentionBenchmark,
  sqlStatementsBenchmark,
  memoryBenchmark,
  retainedHeapBenchmark,
  profileBenchmark,
  startupBenchmark,
  subscriptionsBenchmark,
  dataScalingBenchmark,
];

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Available: ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? BENCHMARKS.filter((benchmark) => requested.includes(benchmark.name)) : BENCHMARKS;

const startedAt = new Date();
const { cpus, cpuModel, memoryGiB, node, loadGenerator } = machine();
console.log(`Benchmarks on ${cpus} CPUs (${cpuModel}), ${memoryGiB} GiB, Node ${node}; closed-loop load by ${loadGenerator}${loadGenerator === 'wrk' ? '' : ' (install wrk for throughput rows that measure the server rather than the generator: bench/lib/load.ts)'}`);
buildBenchServers();
const results: BenchmarkResult[] = [];
const failed: string[] = [];
for (const benchmark of selected) {
  const began = performance.now();
  console.log(`\n▶ ${benchmark.name}: ${benchmark.description}`);
  let produced: BenchmarkResult[];
  try {
    produced = await benchmark.run();
  } catch (error) {
    // One benchmark that cannot measure honestly (a baseline below its calibration, a server that fails) stops only itself.
    console.error(`  ✗ ${benchmark.name} did not measure: ${(error as Error).message}`);
    failed.push(benchmark.name);
    continue;
  }
  results.push(...produced);
  for (const result of produced) console.log(`  ${result.id} ${result.name}: ${result.ratio.toFixed(3)} (${verdict(result)})`);
  console.log(`  (${((performance.now() - began) / 1000).toFixed(0)} s)`);
}

const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
printTable(results);
writeResults(results, startedAt, seconds);
const targets = results.filter((result) => !isCalibration(result) && result.target.comparison !== 'report');
if (results.some((result) => isCalibration(result) && !passes(result))) {
  console.log('\nThe calibration is off by more than its tolerance: the machine was busy, and ratios near their targets are not conclusive. Rerun when it is quiet.');
}
console.log(`\n${targets.filter(passes).length}/${targets.length} targets met in ${seconds} s; results in ${RESULTS_FILE}`);
if (failed.length > 0) console.error(`Did not measure: ${failed.join(', ')} (see above).`);
process.exit(targets.every(passes) && failed.length === 0 ? 0 : 1);
