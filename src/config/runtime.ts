/** The process: which environment it runs in, its logs and its heap. */
import { z } from 'zod';
import { defineSlice } from './slice.js';

export const isProductionEnvironment = (nodeEnv: string | undefined): boolean => nodeEnv === undefined || nodeEnv === 'production';

export const runtimeConfig = defineSlice({
  variables: {
    NODE_ENV: {
      // Unset means production: a bare `node dist/main.js` must not run on the published development secret.
      schema: z.enum(['development', 'test', 'production']).optional(),
      doc: `development | test | production. Unset means production (refuses development defaults and turns
off introspection, the Sandbox landing page and demo data unless asked); npm start / dev / cli /
db:* set development when it is unset.`,
    },
    LOG_LEVEL: {
      schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      doc: 'fatal | error | warn | info | debug | trace | silent',
      shown: 'info',
    },
    LOG_FORMAT: {
      schema: z.enum(['json', 'pretty']).optional(),
      doc: 'json | pretty. Unset: pretty (pino-pretty) in development when stdout is a terminal, JSON otherwise.',
    },
    HEAP_GROWTH_PERCENT: {
      // See src/heap.ts.
      schema: z.coerce.number().int().min(0).max(300).default(50),
      doc: `How far V8's old generation may grow past its live size before a full collection, in percent
(default 50). Keeps RSS flat under load at the price of more full collections (a few percent of
throughput on large reads); 0 leaves V8's own heuristics, under which RSS swings by up to 4x the
live heap. BENCHMARKS.md, target 6.`,
    },
  },
  build: (env) => ({
    env: env.NODE_ENV ?? 'production',
    isProduction: isProductionEnvironment(env.NODE_ENV),
    logLevel: env.LOG_LEVEL,
    /** Unset: pretty in development on a terminal, JSON otherwise (src/logger.ts decides). */
    logFormat: env.LOG_FORMAT,
    heapGrowthPercent: env.HEAP_GROWTH_PERCENT,
  }),
});
