/**
 * The password-hashing process's program (forked by hashing-process.ts): Argon2id hashes and
 * verifications asked for over its IPC channel, at the lowest CPU priority, so that a burst of
 * logins leaves the cores to the server's event loop and the database first. Plain JavaScript,
 * so that it runs as it is under tsx, Vitest and the compiled build alike.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import argon2 from 'argon2';

/** OWASP's recommended Argon2id parameters: 19 MiB, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const LOWEST_PRIORITY = 19;

/**
 * Linux keeps a nice value per thread, and a new thread takes its creator's. The main thread is
 * lowered first, so that libuv's pool (started on the first hash) inherits it; the threads node
 * started before this code ran (V8's helpers) are lowered one by one.
 */
function lowerPriority() {
  os.setPriority(LOWEST_PRIORITY);
  let threads = [];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    // Not Linux: the priority belongs to the whole process, set above.
  }
  for (const thread of threads) {
    try {
      os.setPriority(thread, LOWEST_PRIORITY);
    } catch (error) {
      // A thread that ended since the directory was read.
      if (error.info?.code !== 'ESRCH') throw error;
    }
  }
}

try {
  lowerPriority();
} catch (error) {
  // Hashing still works, only at the server's priority again: said loudly, not fatal.
  console.error(`password hashing: could not lower the hashing process's priority (${error.message})`);
}

process.on('message', async ({ id, operation, password, hash }) => {
  let answer;
  try {
    const result = operation === 'hash' ? await argon2.hash(password, ARGON2_OPTIONS) : await argon2.verify(hash, password).catch(() => false);
    answer = { id, result };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  // The callback takes a send on a channel closed meanwhile (the server is gone), which would otherwise throw.
  process.send(answer, undefined, {}, () => {});
});

// The server closed the channel (it is closing, or it died): nobody is left to answer.
process.on('disconnect', () => process.exit(0));
