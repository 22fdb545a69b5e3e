/** Runs backgroundLoad in a child process (bench/clients/background-load.ts) and stops it on demand. */
import { fork } from 'node:child_process';
import path from 'node:path';
import type { BackgroundMessage } from '../clients/background-load.js';
import type { Background, GraphQLRequest } from './load.js';

const ENTRY = path.resolve(import.meta.dirname, '../clients/background-load.ts');

export async function backgroundLoadProcess(url: string, requests: GraphQLRequest[]): Promise<Background> {
  const child = fork(ENTRY, [JSON.stringify(requests), url], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const nextMessage = () =>
    new Promise<BackgroundMessage>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`background load exited with code ${code}`)));
    });
  const started = await nextMessage();
  if (started.type !== 'started') throw new Error('background load did not start');
  return {
    async stop() {
      const stopped = nextMessage();
      child.send('stop');
      const result = await stopped;
      if (result.type !== 'stopped') throw new Error('background load did not report');
      return { completed: result.completed, failed: result.failed };
    },
  };
}
