/** Prometheus metrics, on a listener of their own. */
import { z } from 'zod';
import { defineSlice } from './slice.js';
import { port } from './values.js';

export const metricsConfig = defineSlice({
  variables: {
    METRICS_PORT: {
      schema: port.optional(),
      doc: `Prometheus metrics (GET /metrics) on a listener of their own, never PORT. Unset: 9464 in
development, off in test and production; 0 picks a free port (logged at start-up).`,
    },
    METRICS_HOST: {
      schema: z.string().min(1).default('127.0.0.1'),
      doc: `The metrics listener's address, never HOST's: loopback, so only this machine reads operation names,
denials and token-failure counts. For a scraper on another host or container set 0.0.0.0 (or one
interface's address) and keep METRICS_PORT closed to everyone but the scraper (firewall, network policy).`,
      shown: '127.0.0.1',
    },
  },
  build: (env, { nodeEnv }) => ({
    /** Where Prometheus scrapes /metrics; undefined: no metrics listener. Prometheus' default port in development only. */
    metricsPort: env.METRICS_PORT ?? (nodeEnv === 'development' ? 9464 : undefined),
    /** The metrics listener's address: loopback unless a scraper elsewhere must reach it (never HOST's). */
    metricsHost: env.METRICS_HOST,
  }),
});
