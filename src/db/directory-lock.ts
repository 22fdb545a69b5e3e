/**
 * An embedded PGlite database is PostgreSQL running inside one process: a second process opening
 * the same directory (the admin CLI next to a running server, a second `npm start`) would write
 * it as its own and corrupt it, without any error. A lock file beside the data directory, holding
 * the owner's process id, keeps the second one out with a clear message. A lock left behind by a
 * process that no longer runs (killed, crashed) is taken over.
 *
 * Taking the lock is atomic (a whole file linked into place, which fails when one exists). Taking a stale one over is fenced: the stale file is moved
 * aside by an atomic rename and checked to be the very one found stale; a process that moved a
 * live lock instead (another one took the stale lock over first) puts it back and backs off. Two
 * processes that both find the same stale lock therefore never both hold it.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

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

function readOwner(lockFile: string): string | undefined {
  try {
    return readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Moves the stale lock `seen` aside, unless the file is no longer that one; true when it was removed. */
function removeStale(lockFile: string, seen: string): boolean {
  const aside = `${lockFile}.${process.pid}.${randomUUID()}`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (readFileSync(aside, 'utf8') === seen) {
    rmSync(aside, { force: true });
    return true;
  }
  // Another process took the stale lock over first and this moved its live lock: put it back.
  try {
    linkSync(aside, lockFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  rmSync(aside, { force: true });
  return false;
}

/** Takes the lock of `directory` for this process; returns its release. */
export function lockDataDirectory(directory: string): () => void {
  const lockFile = `${directory}.lock`;
  const mine = String(process.pid);
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written whole, then linked into place (which fails if the lock exists): nobody ever reads a half-written lock.
    const draft = `${lockFile}.${process.pid}.${randomUUID()}`;
    writeFileSync(draft, mine, { flag: 'wx' });
    try {
      linkSync(draft, lockFile);
      // Only our own lock is removed: never one another process took over after us.
      return () => {
        if (readOwner(lockFile) === mine) rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(draft, { force: true });
    }
    const seen = readOwner(lockFile);
    if (seen === undefined) continue;
    const owner = Number.parseInt(seen, 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new DirectoryLockedError(
        `The embedded database ${directory} is open in process ${owner}${owner === process.pid ? ' (this one)' : ''}. ` +
          'Stop that process first, or use PostgreSQL (DATABASE_URL) to share data between processes.',
      );
    }
    removeStale(lockFile, seen);
  }
  throw new DirectoryLockedError(`Could not lock the embedded database ${directory}: another process keeps taking ${lockFile}`);
}
