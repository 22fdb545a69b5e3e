/**
 * `npm start` runs .build/, a JavaScript copy of src/ (scripts/start-build.mjs): the copy must
 * follow the sources, or a developer would run yesterday's code. Run on a copy of the project's
 * sources, so that the .build/ other tests start servers from is never rebuilt under them.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const project = mkdtempSync(path.join(os.tmpdir(), 'start-build-'));
cpSync('src', path.join(project, 'src'), { recursive: true });
cpSync('scripts/start-build.mjs', path.join(project, 'scripts/start-build.mjs'));
symlinkSync(path.resolve('node_modules'), path.join(project, 'node_modules'), 'dir');
afterAll(() => rmSync(project, { recursive: true, force: true }));

const buildForStart = () => execFileSync(process.execPath, [path.join(project, 'scripts/start-build.mjs')], { encoding: 'utf8' });
const built = (file: string) => path.join(project, '.build', file);
const source = (file: string) => path.join(project, 'src', file);

describe('the copy npm start runs', () => {
  it('is compiled again when a source changed, and only then', () => {
    buildForStart();
    const before = statSync(built('heap.js')).mtimeMs;
    buildForStart();
    expect(statSync(built('heap.js')).mtimeMs).toBe(before);

    const heap = statSync(source('heap.ts'));
    utimesSync(source('heap.ts'), heap.atime, new Date(heap.mtimeMs + 60_000));
    buildForStart();
    expect(statSync(built('heap.js')).mtimeMs).toBeGreaterThan(before);
    expect(readFileSync(built('heap.js'), 'utf8')).toContain('function limitHeapGrowth(percent)');
  });

  it('carries what the sources read at run time: the SDL, the hashing process, the explorer page sources', () => {
    buildForStart();
    expect(readFileSync(built('modules/menu/menu.graphql'), 'utf8')).toContain('type MenuItem');
    expect(statSync(built('auth/hashing-child.mjs')).isFile()).toBe(true);
    expect(statSync(built('server/explorer/browser/main.tsx')).isFile()).toBe(true);
  });
});
