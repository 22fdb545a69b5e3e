/** Prometheus metrics, on a listener of their own. */
import { defineSlice } from './slice.js';
import { port } from './values.js';

export const metricsConfig = defineSlice({
  variables: {
    METRICS_PORT: {
      schema: port.optional(),
      doc: `Prometheus metrics (GET /metrics) on a listener of their own, never PORT. Unset: 9464 in
development, off in test and production; 0 picks a free port (logged at start-up).`,
    },
  },
  build: (env, { nodeEnv }) => ({
    /** Where Prometheus scrapes /metrics; undefined: no metrics listener. Prometheus' default port in development only. */
    metricsPort: env.METRICS_PORT ?? (nodeEnv === 'development' ? 9464 : undefined),
  }),
});
