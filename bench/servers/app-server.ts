/**
 * A benchmark server process: the real app (createApp) on a loopback port. Started by
 * bench/lib/server-process.ts with its options as JSON in argv[2]; reports its port and, on
 * request, its resident memory over the IPC channel; stops cleanly on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { prepareBenchDatabase } from '../lib/fixtures.js';
import { serveIpc } from './ipc.js';

export interface AppServerOptions {
  env: Record<string, string>;
  /** `full`: as deployed. `unauthenticated`: no token read and no directive transformers (benchmark baseline). */
  variant: 'full' | 'unauthenticated';
  /** Migrate and insert the fixtures first (each PGlite process has its own database). */
  prepareWithPasswordHash?: string;
}

const options = JSON.parse(process.argv[2]!) as AppServerOptions;
const config = loadConfig(options.env);
const db = await openDatabase({ url: config.database.url, poolSize: config.database.poolSize });
if (options.prepareWithPasswordHash) await prepareBenchDatabase(db, options.prepareWithPasswordHash);
const server = await createApp(
  config,
  db,
  options.variant === 'unauthenticated' ? { withoutAuthorization: true, benchmarkWithoutAuthentication: true } : {},
);
await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));

serveIpc((server.httpServer.address() as AddressInfo).port, async () => {
  await server.stop();
  await db.close();
});
