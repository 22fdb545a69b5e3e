// Best effort, at install time: runs PGlite's initdb once and stores the result where
// src/db/pglite-template.ts looks for it, so that even the first `npm start` and every test's
// in-memory database load a template instead of running initdb (BENCHMARKS.md, start-up).
// Plain JavaScript, since it runs before anything is compiled; a failure only costs speed.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The same path as pgliteTemplateFile() in src/db/pglite-template.ts (test/pglite-template.test.ts checks it). */
export function templatePath() {
  let folder = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(folder, 'package.json'))) folder = path.dirname(folder);
  const { version } = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
  return path.join(folder, '..', '..', '.cache', 'secure-graphql-api', `pglite-${version}-initdb.tar`);
}

if (process.argv[2] === '--print-path') {
  console.log(templatePath());
} else {
  try {
    const file = templatePath();
    if (!existsSync(file)) {
      const { PGlite } = await import('@electric-sql/pglite');
      const pglite = new PGlite();
      await pglite.waitReady;
      const dump = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
      await pglite.close();
      mkdirSync(path.dirname(file), { recursive: true });
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, dump);
      renameSync(partial, file);
    }
  } catch (error) {
    console.warn(`PGlite template not prepared (${error instanceof Error ? error.message : error}); the first database will run initdb.`);
  }
}
