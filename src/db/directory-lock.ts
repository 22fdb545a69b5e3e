/**
 * An embedded PGlite database is PostgreSQL running inside one process: a second process opening
 * the same directory (the admin CLI next to a running server, a second `npm start`) would write
 * it as its own and corrupt it, without any error. A lock file beside the data directory, holding
 * the owner's process id, keeps the second one out with a clear message. A lock left behind by a
 * process that no longer runs (killed, crashed) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

export class DirectoryLockedError extends Error {
  override name = 'DirectoryLockedError';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `directory` for this process; returns its release. */
export function lockDataDirectory(directory: string): () => void {
  const lockFile = `${directory}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new DirectoryLockedError(
        `The embedded database ${directory} is open in process ${owner}${owner === process.pid ? ' (this one)' : ''}. ` +
          'Stop that process first, or use PostgreSQL (DATABASE_URL) to share data between processes.',
      );
    }
    rmSync(lockFile, { force: true });
  }
  throw new DirectoryLockedError(`Could not lock the embedded database ${directory}: another process keeps taking ${lockFile}`);
}
