/**
 * `npm start` runs .build/, a JavaScript copy of src/ (scripts/start-build.mjs): the copy must
 * follow the sources, or a developer would run yesterday's code.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const buildForStart = () => execFileSync(process.execPath, ['scripts/start-build.mjs'], { encoding: 'utf8' });
const builtAt = () => statSync('.build/heap.js').mtimeMs;

describe('the copy npm start runs', () => {
  it('is compiled again when a source changed, and only then', () => {
    buildForStart();
    const before = builtAt();
    buildForStart();
    expect(builtAt()).toBe(before);

    const source = statSync('src/heap.ts');
    try {
      utimesSync('src/heap.ts', source.atime, new Date(source.mtimeMs + 60_000));
      buildForStart();
      expect(builtAt()).toBeGreaterThan(before);
      expect(readFileSync('.build/heap.js', 'utf8')).toContain('function limitHeapGrowth(percent)');
    } finally {
      utimesSync('src/heap.ts', source.atime, source.mtime);
    }
  });
});
