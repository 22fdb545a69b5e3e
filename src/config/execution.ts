/** How operations execute: what a denial does, and which executor runs them. */
import { z } from 'zod';
import { defineSlice } from './slice.js';

export const executionConfig = defineSlice({
  variables: {
    AUTHZ_UNAUTHORIZED: {
      schema: z.enum(['filter', 'reject']).default('filter'),
      doc: `What a denied field does (README, Authorization): filter = it answers null with one error and the
rest of the operation runs; reject = any denial stops the whole operation. Mutations with a denied
root field never run, in either mode.`,
      shown: 'filter',
    },
    GRAPHQL_EXECUTOR: {
      schema: z.enum(['jit', 'graphql-js']).default('jit'),
      doc: `What executes queries: jit = graphql-jit, each document compiled once (mutations always run on
graphql-js), with list pages written as JSON by the database where the plan allows (README, JSON
lists); graphql-js = the reference executor for everything, to measure one against the other.
README, Performance.`,
      shown: 'jit',
    },
  },
  build: (env) => ({
    /** What a denied selection does: `filter` answers it null with an error; `reject` stops the whole operation. */
    unauthorizedMode: env.AUTHZ_UNAUTHORIZED,
    /** What executes operations: graphql-jit (compiled once per document) or graphql-js. */
    executor: env.GRAPHQL_EXECUTOR,
  }),
});
