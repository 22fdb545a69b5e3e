/**
 * Start-up (imported by src/main.ts): load the configuration, open the database, migrate, sync
 * the permissions catalog, seed an empty database, listen (and serve metrics on their own port);
 * on SIGTERM/SIGINT drain, send the last spans and close cleanly.
 */
import type { AddressInfo } from 'node:net';
import { loadTokenKeys } from '../auth/token-keys.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { limitHeapGrowth } from '../heap.js';
import { chooseLogFormat, createLogger } from '../logger.js';
import type { MetricsServer } from '../observability/metrics.js';

/** Start-up failures that are the operator's to fix: their message alone is printed, without a stack. */
const EXPECTED_FAILURES = new Set(['ConfigError', 'DatabaseUnavailableError', 'DirectoryLockedError', 'MigrationError', 'AuthorizationAuditError', 'TrustedDocumentsError']);

async function main(): Promise<void> {
  const config = loadConfig();
  limitHeapGrowth(config.heapGrowthPercent);
  const logger = createLogger(
    config.logLevel,
    chooseLogFormat({ requested: config.logFormat, environment: config.env, isTTY: Boolean(process.stdout.isTTY) }),
  );
  // Keys are checked (RSA length, curve) before anything else is touched.
  const keys = loadTokenKeys(config.tokens);
  const opening = openDatabase({ url: config.database.url, poolSize: config.database.poolSize });
  opening.catch(() => {}); // awaited below, after the imports
  // The server's modules load while the embedded database boots in its worker thread (BENCHMARKS.md, start-up).
  const [{ createApp }, { prepareDatabase }, { startMetricsServer }, { shutdownTracing }] = await Promise.all([
    import('./app.js'),
    import('../setup/prepare.js'),
    import('../observability/metrics.js'),
    import('../observability/spans.js'),
  ]);
  const db = await opening;

  const server = await createApp(config, db, { logger, keys });
  const { applied, seeded } = await prepareDatabase(db, {
    demoData: config.seed.demoData ? { hasher: server.services.passwords, passwords: config.seed.passwords } : undefined,
  });
  if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
  if (seeded) logger.info('seeded demo data into the empty database');

  // Before the API listens, so a passing health check means /metrics answers too.
  let metricsServer: MetricsServer | undefined;
  if (config.metricsPort !== undefined) {
    // Never on HOST: operation names, denials and token failures are for the scraper, not the public.
    metricsServer = await startMetricsServer(server.metrics.registry, config.metricsPort, config.metricsHost);
    logger.info({ metricsPort: metricsServer.port, metricsHost: config.metricsHost }, `metrics at http://${config.metricsHost}:${metricsServer.port}/metrics`);
  }
  await new Promise<void>((resolve, reject) => {
    server.httpServer.once('error', reject);
    server.httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = server.httpServer.address() as AddressInfo;
  logger.info({ port, database: db.kind }, `API ready at http://localhost:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    try {
      await server.stop();
      await metricsServer?.close();
      await db.close();
      await shutdownTracing();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof Error && EXPECTED_FAILURES.has(error.name)) {
    console.error(`Start-up failed: ${(error as Error).message}`);
  } else if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    console.error(`Start-up failed: port ${(error as { port?: number }).port ?? ''} is already in use (set PORT, or METRICS_PORT)`);
  } else {
    console.error('Start-up failed:', error);
  }
  process.exit(1);
});
