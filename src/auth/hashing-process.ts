/**
 * Argon2id in a process of its own (hashing-child.mjs, at the lowest CPU priority), so that a
 * burst of logins cannot take cores from the event loop: on libuv's pool in the server, a hash
 * competed with request work at equal priority (BENCHMARKS.md, target 4). Started on first use;
 * at most `concurrency` requests are in the process at once and `queueLimit` more may wait, and
 * anything beyond is refused at once. When the process dies, the requests it held fail and the
 * next one starts a new process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rateLimited } from '../kernel/errors.js';

// The sibling .mjs file, beside the sources and beside the compiled modules (allowJs copies it).
const CHILD_ENTRY = fileURLToPath(new URL('./hashing-child.mjs', import.meta.url));

export type HashingRequest = { operation: 'hash'; password: string } | { operation: 'verify'; hash: string; password: string };
type Answer = { id: number; result: string | boolean } | { id: number; error: string };

interface Pending {
  request: HashingRequest;
  resolve(result: string | boolean): void;
  reject(error: Error): void;
}

/** The hashing process failed a request: it died holding it, Argon2 threw, or the hasher was closed. Masked as INTERNAL_SERVER_ERROR. */
export class HashingProcessError extends Error {
  override name = 'HashingProcessError';
}

export class HashingProcess {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly inFlight = new Map<number, Pending>();
  private readonly waiting: Pending[] = [];
  private closed = false;
  /** Requests handed to the process so far, by operation. */
  readonly sent = { hash: 0, verify: 0 };

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  /** The running process's id (if one runs), and how many requests it holds and how many wait. */
  get state(): { pid: number | undefined; inFlight: number; waiting: number } {
    return { pid: this.child?.pid, inFlight: this.inFlight.size, waiting: this.waiting.length };
  }

  /** Throws RATE_LIMITED, before anything is sent, when `concurrency` requests are in the process and `queueLimit` more wait. */
  run(request: HashingRequest): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new HashingProcessError('the password hasher is closed'));
    if (this.inFlight.size >= this.concurrency && this.waiting.length >= this.queueLimit) {
      return Promise.reject(rateLimited('Too many logins and signups in progress; try again in 1 second', 1));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  /** Refuses what waits, fails what the process holds, and ends the process. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new HashingProcessError('the password hasher was closed');
    for (const pending of this.waiting.splice(0)) pending.reject(error);
    const child = this.child;
    if (!child) return;
    // Until 'exit' is seen, this.child is still the process (gone() clears it then).
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Nothing in it needs flushing, and SIGKILL ends even a stopped process. Referenced again, so
    // that the event loop waits for the exit rather than ending with this promise unsettled.
    child.ref();
    child.kill('SIGKILL');
    await exited;
  }

  private dispatch(): void {
    while (this.inFlight.size < this.concurrency && this.waiting.length > 0) {
      const pending = this.waiting.shift()!;
      const child = this.child ?? this.start();
      const id = this.nextId++;
      this.inFlight.set(id, pending);
      this.sent[pending.request.operation]++;
      // A send on a channel that just closed fails here and is answered by the 'exit' that follows.
      child.send({ id, ...pending.request }, () => {});
    }
    this.holdEventLoop();
  }

  private start(): ChildProcess {
    const child = fork(CHILD_ENTRY, [], {
      // None of the server's own flags: no TypeScript loader (the entry is plain JavaScript), no inspector port.
      execArgv: [],
      // Nothing of the server's environment (its secrets included): the child reads none of it. Only
      // libuv's pool size, read when the child starts: one thread per hash it may run at once.
      env: { UV_THREADPOOL_SIZE: String(this.concurrency) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    // Only unanswered requests keep the server's event loop alive (holdEventLoop), never the process itself.
    child.unref();
    child.on('message', (answer: Answer) => this.answer(answer));
    child.once('exit', (code, signal) => this.gone(child, signal ? `was killed (${signal})` : `exited (code ${code})`));
    // A process that could not be started at all ('error' with no pid) sends no 'exit'.
    child.on('error', (error) => {
      if (child.pid === undefined) this.gone(child, `could not start (${error.message})`);
    });
    return child;
  }

  private answer(answer: Answer): void {
    const pending = this.inFlight.get(answer.id);
    if (!pending) return;
    this.inFlight.delete(answer.id);
    if ('error' in answer) pending.reject(new HashingProcessError(`Argon2 failed in the password-hashing process: ${answer.error}`));
    else pending.resolve(answer.result);
    this.dispatch();
  }

  private gone(child: ChildProcess, how: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.inFlight.size > 0) {
      const error = new HashingProcessError(`the password-hashing process ${how} before answering ${this.inFlight.size} request(s)`);
      for (const pending of this.inFlight.values()) pending.reject(error);
      this.inFlight.clear();
    }
    // What was still waiting had not been sent: a new process takes it.
    if (!this.closed) this.dispatch();
  }

  /** The channel keeps the event loop alive only while an answer is awaited: an idle hasher never holds up an exit (the CLI, tests). */
  private holdEventLoop(): void {
    const channel = this.child?.channel;
    if (this.inFlight.size > 0) channel?.ref();
    else channel?.unref();
  }
}
