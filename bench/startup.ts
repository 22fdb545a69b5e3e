/**
 * Start-up: from `npm start` to a healthy /health, on a fresh data directory (migrate and seed the
 * demo data) and again on the same directory. The baseline, in the same run, is the first start
 * without the initdb template (src/db/pglite-template.ts): what every fresh database cost before it.
 * Rounds alternate, and the fastest of each configuration is kept (start-up has no steady state).
 * Rows 8 and 8b hold the two starts against issue 24's absolute goals (5 s and 2 s).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pgliteTemplateFile } from '../src/db/pglite-template.js';
import type { Benchmark, BenchmarkResult } from './lib/result.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ROUNDS = 3;

/** Seconds from spawning `npm start` to the first 200 from /health. */
async function timeToHealthy(dataDirectory: string, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), METRICS_PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: `pglite:${dataDirectory}` },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      const healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** A start's seconds against one of issue 24's absolute goals. */
function againstGoal(id: string, name: string, seconds: number, goalSeconds: number): BenchmarkResult {
  return {
    id,
    name: `${name}, against the goal of ${goalSeconds} s`,
    ratio: seconds / goalSeconds,
    target: { comparison: '<=', value: 1 },
    ratioOf: `seconds from npm start to a healthy /health / ${goalSeconds} s`,
    context: { seconds: `${seconds.toFixed(2)} s` },
  };
}

export const startupBenchmark: Benchmark = {
  name: 'startup',
  description: 'npm start to a healthy /health: first start (migrate + seed) and second start, with and without the initdb template',
  async run() {
    const template = pgliteTemplateFile()!;
    const aside = `${template}.aside`;
    const best = { initdb: Infinity, template: Infinity, second: Infinity };
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'startup-bench-'));
    try {
      // The first start of all writes the template if it is missing.
      await timeToHealthy(path.join(scratch, 'warm-up'), 4711);
      for (let round = 0; round < ROUNDS; round++) {
        renameSync(template, aside);
        try {
          best.initdb = Math.min(best.initdb, await timeToHealthy(path.join(scratch, `initdb-${round}`), 4711));
        } finally {
          rmSync(template, { force: true });
          renameSync(aside, template);
        }
        const directory = path.join(scratch, `template-${round}`);
        best.template = Math.min(best.template, await timeToHealthy(directory, 4711));
        best.second = Math.min(best.second, await timeToHealthy(directory, 4711));
      }
    } finally {
      if (existsSync(aside) && !existsSync(template)) renameSync(aside, template);
      rmSync(scratch, { recursive: true, force: true });
    }
    const seconds = (value: number) => `${value.toFixed(2)} s`;
    const results: BenchmarkResult[] = [
      {
        id: '6',
        name: 'first start, fresh database',
        ratio: best.template / best.initdb,
        target: { comparison: '<=', value: 0.7 },
        ratioOf: 'first start with the initdb template / without it',
        context: { 'with template': seconds(best.template), 'without (initdb)': seconds(best.initdb), goal: '≤ 5 s' },
      },
      {
        id: '6b',
        name: 'second start, same database',
        ratio: best.second / best.initdb,
        target: { comparison: '<=', value: 0.5 },
        ratioOf: 'second start / first start without the template',
        context: { 'second start': seconds(best.second), goal: '≤ 2 s' },
      },
      againstGoal('8', 'first start, fresh database', best.template, 5),
      againstGoal('8b', 'second start, same database', best.second, 2),
    ];
    return results;
  },
};
