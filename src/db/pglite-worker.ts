/**
 * The embedded database off the main thread: a worker thread owns PGlite and serves it over the
 * PostgreSQL wire protocol on a Unix socket, so the server talks to it through `pg` and Prisma's pg
 * adapter exactly as it talks to PostgreSQL. PGlite runs Postgres itself (compiled to WebAssembly)
 * on whichever thread owns it: on the main thread, every statement stalled every other request
 * (BENCHMARKS.md). One client connection at a time: PGlite is one Postgres session.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { openPgliteCluster } from './pglite-template.js';

export interface PgliteWorkerData {
  /** The data directory, or undefined for an in-memory database. */
  dataDirectory: string | undefined;
  /** Where to listen: `<directory>/.s.PGSQL.5432`, as libpq and `pg` name a socket. */
  socketPath: string;
}

/** Messages from the worker to its owner. */
export type PgliteWorkerMessage = { ready: true } | { error: string } | { closed: true };

const STARTUP_HEADER = 8;
/** PostgreSQL's own limit on a startup packet (MAX_STARTUP_PACKET_LENGTH). */
const MAX_STARTUP_PACKET = 10_000;
const SSL_REQUEST = 80_877_103;
const CANCEL_REQUEST = 80_877_102;

/** A frame whose length cannot be right: the connection is closed, as PostgreSQL closes it. */
class FramingError extends Error {}

/**
 * Splits a client's byte stream into whole protocol messages: the untyped startup packet first
 * (length, then protocol version), then `type byte + int32 length` messages.
 */
class MessageFramer {
  private buffered: Buffer = Buffer.alloc(0);
  private started = false;

  /** The whole messages (or runs of them) that `chunk` completes; `N` stands for a refused SSLRequest, to answer as is. */
  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      if (!this.started) {
        if (this.buffered.length < STARTUP_HEADER) break;
        const length = this.buffered.readInt32BE(0);
        // Shorter than its own header (0, negative) would never advance: refused, never looped on.
        if (length < STARTUP_HEADER || length > MAX_STARTUP_PACKET) throw new FramingError(`invalid startup packet length ${length}`);
        if (this.buffered.length < length) break;
        const code = this.buffered.readInt32BE(4);
        const packet = this.buffered.subarray(0, length);
        this.buffered = this.buffered.subarray(length);
        // No TLS on a local socket ('N'); a cancel request is not supported and gets no answer.
        if (code === SSL_REQUEST) messages.push(Buffer.from('N'));
        else if (code !== CANCEL_REQUEST) {
          this.started = true;
          messages.push(packet);
        }
        continue;
      }
      // Every whole message buffered so far, as one run: PGlite takes several at once, and runs
      // them as Postgres would (after an error, it skips to the next Sync).
      let end = 0;
      while (this.buffered.length - end >= 5) {
        // The length counts itself: under 4 is no message (and -1 would never advance).
        const length = this.buffered.readInt32BE(end + 1);
        if (length < 4) throw new FramingError(`invalid message length ${length}`);
        if (this.buffered.length - end < 1 + length) break;
        end += 1 + length;
      }
      if (end > 0) messages.push(this.buffered.subarray(0, end));
      this.buffered = this.buffered.subarray(end);
      break;
    }
    return messages;
  }
}

async function serve({ dataDirectory, socketPath }: PgliteWorkerData): Promise<void> {
  const pglite = await openPgliteCluster(dataDirectory);
  // Everything PGlite runs, in arrival order: one Postgres session, one statement at a time.
  let queue = Promise.resolve();
  let current: net.Socket | undefined;

  const server = net.createServer((socket) => {
    // The pool holds one connection and opens a new one only after discarding the last (pg-pool
    // discards a client whose query failed). Whatever the old one left open is rolled back first.
    current?.destroy();
    current = socket;
    socket.setNoDelay(true);
    queue = queue.then(async () => {
      if (pglite.isInTransaction()) await pglite.exec('ROLLBACK');
    });
    const framer = new MessageFramer();
    socket.on('data', (chunk) => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch {
        // A bad frame: whatever the session had open is rolled back when the next client connects.
        socket.destroy();
        return;
      }
      if (messages.length === 0) return;
      queue = queue
        .then(async () => {
          for (const message of messages) {
            if (socket.destroyed) return;
            if (message.length === 1) {
              socket.write(message);
              continue;
            }
            // Streamed: execProtocolRaw gathers the answer into one buffer first, which cost ten
            // times the query itself for a 100-row page (BENCHMARKS.md). Each chunk is a view of
            // PGlite's memory, copied before the next one overwrites it.
            await pglite.execProtocolRawStream(new Uint8Array(message.buffer, message.byteOffset, message.length), {
              onRawData: (chunk) => {
                if (chunk.length > 0 && !socket.destroyed) socket.write(Buffer.from(chunk));
              },
            });
          }
        })
        .catch(() => {
          socket.destroy();
        });
    });
    socket.on('error', () => {});
  });

  rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  parentPort!.postMessage({ ready: true } satisfies PgliteWorkerMessage);

  parentPort!.on('message', async (message: { close: true }) => {
    if (!message.close) return;
    server.close();
    await queue;
    // Flushes a file-backed database before the thread ends.
    await pglite.close();
    rmSync(socketPath, { force: true });
    parentPort!.postMessage({ closed: true } satisfies PgliteWorkerMessage);
  });
}

if (parentPort) {
  serve(workerData as PgliteWorkerData).catch((error: unknown) => {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies PgliteWorkerMessage);
  });
}
