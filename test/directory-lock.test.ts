/**
 * The embedded database's directory lock, raced by real processes: however many find the same
 * stale lock (its owner gone) at the same moment, exactly one takes it; a live lock keeps every
 * other process out; a lock is released only by its owner.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryLockedError, lockDataDirectory } from '../src/db/directory-lock.js';

/** A child that waits for `startAt`, tries the lock, prints the outcome, and holds the lock for `holdMs`. */
const CHILD = `
import { lockDataDirectory } from ${JSON.stringify(path.resolve('src/db/directory-lock.ts'))};
const [directory, startAt, holdMs] = process.argv.slice(-3);
while (Date.now() < Number(startAt)) {}
try {
  lockDataDirectory(directory);
  console.log('locked');
  setTimeout(() => {}, Number(holdMs));
} catch (error) {
  console.log(error.name === 'DirectoryLockedError' ? 'refused' : 'error ' + error.message);
}
`;

function contender(directory: string, startAt: number, holdMs: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, '--', directory, String(startAt), String(holdMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', () => resolve(output.trim())));
}

/** The id of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('close', resolve));
  return child.pid!;
}

describe('embedded database directory lock', () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'directory-lock-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('lets exactly one of many processes take over a stale lock they all find at once', async () => {
    for (let round = 0; round < 3; round++) {
      const directory = path.join(base, `data-${round}`);
      writeFileSync(`${directory}.lock`, String(await deadPid()));
      const startAt = Date.now() + 6_000;
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => contender(directory, startAt, 1_500)));
      expect(outcomes.filter((outcome) => outcome === 'locked'), outcomes.join(', ')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'refused')).toHaveLength(7);
    }
  }, 120_000);

  it('keeps others out of a live lock, and releases only its own', () => {
    const directory = path.join(base, 'live');
    const release = lockDataDirectory(directory);
    expect(readFileSync(`${directory}.lock`, 'utf8')).toBe(String(process.pid));
    expect(() => lockDataDirectory(directory)).toThrow(DirectoryLockedError);
    // Taken over by another process since: our release leaves its lock alone.
    writeFileSync(`${directory}.lock`, String(process.ppid));
    release();
    expect(readFileSync(`${directory}.lock`, 'utf8')).toBe(String(process.ppid));
  });
});
