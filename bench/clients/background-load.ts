/**
 * A load-generator process for disturbances (e.g. 20 clients logging in back to back), so that
 * the process measuring latency shares its event loop with nothing else. Started by
 * bench/lib/background-process.ts with its requests as JSON in argv[2] and the server's URL in
 * argv[3]; loads until told to stop over IPC, then reports and exits.
 */
import { backgroundLoad, type GraphQLRequest } from '../lib/load.js';

export type BackgroundMessage = { type: 'started' } | { type: 'stopped'; completed: number; failed: number };

const requests = JSON.parse(process.argv[2]!) as GraphQLRequest[];
const load = backgroundLoad(process.argv[3]!, requests);
process.once('message', async () => {
  const { completed, failed } = await load.stop();
  process.send!({ type: 'stopped', completed, failed } satisfies BackgroundMessage, () => process.exit(0));
});
process.send!({ type: 'started' } satisfies BackgroundMessage);
