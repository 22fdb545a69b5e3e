/**
 * A copy of the project as `npm start` runs it (scripts/start.mjs runs .build/, which
 * scripts/start-build.mjs makes from src/): the sources, the start scripts and what the server
 * reads at run time, with the project's node_modules linked in. A copy, so that the project's own
 * .build/ is never rebuilt under another test.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const COPIED = [
  'package.json',
  'src',
  'scripts/start.mjs',
  'scripts/start-build.mjs',
  'scripts/development-env.mjs',
  'prisma/migrations',
  'client/operations',
  'client/generated/trusted-documents.json',
];

export interface StartCopy {
  directory: string;
  /** Runs scripts/start-build.mjs in the copy (what `npm start` runs first). */
  build(): void;
  remove(): void;
}

export function makeStartCopy(): StartCopy {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'start-copy-'));
  for (const entry of COPIED) cpSync(entry, path.join(directory, entry), { recursive: true });
  symlinkSync(path.resolve('node_modules'), path.join(directory, 'node_modules'), 'dir');
  return {
    directory,
    build: () => {
      execFileSync(process.execPath, [path.join(directory, 'scripts/start-build.mjs')]);
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
