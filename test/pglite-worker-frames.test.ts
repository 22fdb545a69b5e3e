/**
 * The PGlite worker's wire protocol front: a frame whose length cannot be right closes that
 * connection at once, and the worker goes on serving the next client. Before issue 27 a startup
 * packet shorter than 8 bytes, or a length of -1, made the frame parser spin forever on the
 * worker's thread, and the database never answered again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgliteWorker } from '../src/db/database.js';

const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
/** A valid startup packet: protocol 3.0, user postgres. */
const startup = () => {
  const body = Buffer.concat([int32(196_608), Buffer.from('user\0postgres\0database\0postgres\0\0')]);
  return Buffer.concat([int32(body.length + 4), body]);
};

describe('PGlite worker frames', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'pglite-frames-'));
  const socketPath = path.join(directory, '.s.PGSQL.5432');
  let worker: Worker;

  beforeAll(async () => {
    worker = startPgliteWorker({ dataDirectory: undefined, socketPath });
    await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
  }, 60_000);
  afterAll(async () => {
    await worker?.terminate();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Sends `bytes` on a new connection; resolves with how it ended ('closed', or 'open' after `waitMs`). */
  function send(bytes: Buffer, waitMs = 3_000): Promise<'closed' | 'open'> {
    return new Promise((resolve) => {
      const socket = net.connect(socketPath, () => socket.write(bytes));
      const timer = setTimeout(() => {
        socket.destroy();
        resolve('open');
      }, waitMs);
      socket.on('data', () => {});
      socket.on('error', () => {});
      socket.once('close', () => {
        clearTimeout(timer);
        resolve('closed');
      });
    });
  }

  async function answersQueries(): Promise<void> {
    const client = new pg.Client({ host: directory, port: 5432, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
    await client.connect();
    try {
      expect((await client.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await client.end();
    }
  }

  it.each([
    ['a startup packet of length 4', Buffer.concat([int32(4), int32(196_608)])],
    ['a startup packet of length 0', Buffer.concat([int32(0), int32(196_608)])],
    ['a startup packet of length -1', Buffer.concat([int32(-1), int32(196_608)])],
    ['a startup packet over 10,000 bytes', Buffer.concat([int32(1_000_000), int32(196_608)])],
    ['a message of length -1 after the startup', Buffer.concat([startup(), Buffer.from('Q'), int32(-1)])],
    ['a message of length 2 after the startup', Buffer.concat([startup(), Buffer.from('Q'), int32(2), Buffer.from('xx')])],
  ])('closes the connection on %s, and keeps serving the next client', async (_, frame) => {
    expect(await send(frame)).toBe('closed');
    await answersQueries();
  }, 30_000);
});
