/**
 * Before/after of one lever: `npm run bench:before-after -- <git ref> [cached|full]` compiles the
 * benchmark servers of `<ref>` (in a temporary worktree, with this checkout's node_modules and
 * generated Prisma client) and of this checkout, starts both on one fresh embedded database, and
 * alternates closed-loop rounds between them (20 connections). Per round it reads each server
 * process's CPU time from /proc: CPU per request moves far less with the machine's neighbours than
 * requests per second do, and rounds taken in turn see the same neighbours. `cached` (the default)
 * is the anonymous read with the response cache on, `full` the uncached authenticated read.
 * BENCH_ROUNDS sets the number of rounds (10).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileBenchServers, ROOT, serverEntryAt } from './lib/build.js';
import { tokenFor } from './lib/environment.js';
import { round, warmUp, withBenchDatabase } from './lib/harness.js';
import { load, LOAD_GENERATOR } from './lib/load.js';
import { MENU_ITEMS } from './lib/queries.js';
import { startServerProcess, urlOf, type ServerProcess } from './lib/server-process.js';
import { median } from './lib/stats.js';

const [ref, chosen = 'cached'] = process.argv.slice(2);
if (!ref || (chosen !== 'cached' && chosen !== 'full')) {
  console.error('usage: npm run bench:before-after -- <git ref> [cached|full]');
  process.exit(2);
}
const variant = chosen as 'cached' | 'full';
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 10;
const ROUND_SECONDS = 2;
const request = variant === 'cached' ? { query: MENU_ITEMS } : { query: MENU_ITEMS, token: tokenFor() };

/** User and system CPU time of a process so far, in microseconds (Linux). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

const worktree = mkdtempSync(path.join(tmpdir(), 'bench-before-'));
try {
  execFileSync('git', ['worktree', 'add', '--detach', worktree, ref], { cwd: ROOT, stdio: 'ignore' });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(worktree, 'node_modules'));
  symlinkSync(path.join(ROOT, 'src/generated/prisma'), path.join(worktree, 'src/generated/prisma'));
  console.log(`compiling the benchmark servers of ${ref} and of this checkout; load by ${LOAD_GENERATOR}`);
  compileBenchServers(worktree);
  compileBenchServers(ROOT);

  await withBenchDatabase(async ({ env, prepareWithPasswordHash }) => {
    const options = { env, variants: [variant], prepareWithPasswordHash };
    const servers: [string, ServerProcess][] = [
      [ref, await startServerProcess(options, { entry: serverEntryAt(worktree) })],
      ['this checkout', await startServerProcess(options, { entry: serverEntryAt(ROOT) })],
    ];
    try {
      for (const [, server] of servers) await warmUp({ url: urlOf(server, variant), request });
      const perRequest = new Map(servers.map(([name]) => [name, [] as number[]]));
      const throughput = new Map(servers.map(([name]) => [name, [] as number[]]));
      for (let index = 0; index < ROUNDS; index++) {
        for (const [name, server] of index % 2 === 0 ? servers : [...servers].reverse()) {
          const before = cpuMicros(server.pid);
          const { requests, requestsPerSecond } = await load({ url: urlOf(server, variant), request, seconds: ROUND_SECONDS, connections: 20 });
          perRequest.get(name)!.push((cpuMicros(server.pid) - before) / requests);
          throughput.get(name)!.push(requestsPerSecond);
        }
      }
      for (const [name] of servers) {
        console.log(`  ${name}: CPU µs per request ${perRequest.get(name)!.map((micros) => round(micros)).join(' ')} (median ${round(median(perRequest.get(name)!), 1)}), median ${round(median(throughput.get(name)!))} req/s`);
      }
      const ratios = perRequest.get('this checkout')!.map((micros, index) => micros / perRequest.get(ref)!.at(index)!);
      console.log(`  CPU per request, this checkout / ${ref}: ${median(ratios).toFixed(3)} (median of ${ROUNDS} rounds)`);
    } finally {
      await Promise.all(servers.map(([, server]) => server.stop()));
    }
  }, {}, 'pglite');
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: ROOT, stdio: 'ignore' });
  rmSync(worktree, { recursive: true, force: true });
}
