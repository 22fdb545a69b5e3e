/** Prints the results table and writes bench/results/latest.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOAD_GENERATOR } from './lib/load.js';
import { isCalibration, passes, type BenchmarkResult } from './lib/result.js';

export const RESULTS_FILE = path.resolve(import.meta.dirname, 'results/latest.json');

export function machine() {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadGenerator: LOAD_GENERATOR,
  };
}

export const verdict = (result: BenchmarkResult) =>
  result.target.comparison === 'report' ? 'reported' : passes(result) ? 'pass' : isCalibration(result) ? 'NOISY' : 'FAIL';

const formatRatio = (ratio: number) => (Number.isInteger(ratio) ? ratio.toFixed(2) : ratio.toFixed(ratio < 10 ? 3 : 1));
const formatContext = (context: BenchmarkResult['context']) =>
  Object.entries(context)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');

const formatTarget = (target: BenchmarkResult['target']) =>
  target.comparison === 'report' ? '-' : target.comparison === '≈' ? `${target.value} ± ${target.tolerance}` : `${target.comparison} ${target.value}`;

/** In the order, whatever order they ran in: ids 0, 1, 1b, 2… sort as text. */
const byId = (results: BenchmarkResult[]) => [...results].sort((a, b) => a.id.localeCompare(b.id));

export function printTable(results: BenchmarkResult[]): void {
  const rows = byId(results).map((result) => [
    result.id,
    result.name,
    formatRatio(result.ratio),
    formatTarget(result.target),
    verdict(result),
    formatContext(result.context),
  ]);
  const header = ['#', 'benchmark', 'ratio', 'target', 'result', 'measured (context only)'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
  const notes = [...new Set(results.flatMap((result) => result.notes ?? []))];
  for (const note of notes) console.log(`note: ${note}`);
}

export function writeResults(results: BenchmarkResult[], startedAt: Date, seconds: number): void {
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const body = { startedAt: startedAt.toISOString(), seconds, machine: machine(), results: results.map((result) => ({ ...result, pass: passes(result) })) };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(body, null, 2)}\n`);
}
