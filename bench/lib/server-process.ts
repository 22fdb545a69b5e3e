/**
 * Starts a benchmark server in its own Node process (so that the load generator and the
 * server do not share an event loop, and RSS is the server's alone) and talks to it over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { AppServerOptions } from '../servers/app-server.js';
import type { ParentMessage, ServerMessage } from '../servers/ipc.js';

const SERVERS_DIRECTORY = path.resolve(import.meta.dirname, '../servers');

export interface ServerProcess {
  url: string;
  pid: number;
  /** The server's process.memoryUsage() (RSS, V8 heap, external), in bytes; after a full GC if asked (needs --expose-gc). */
  memory(options?: { collectGarbage?: boolean }): Promise<NodeJS.MemoryUsage>;
  /** Starts the V8 CPU profiler inside the server. */
  startProfiling(): void;
  /** Stops it and writes the profile (.cpuprofile JSON) to `file`. */
  stopProfiling(file: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra flags for node (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Extra process environment (e.g. UV_THREADPOOL_SIZE); the app's configuration travels in AppServerOptions.env. */
  processEnv?: Record<string, string>;
}

/** Variables src/threadpool.ts reads from the process environment, before the app's configuration is loaded. */
const THREAD_POOL_VARIABLES = ['PASSWORD_HASH_CONCURRENCY', 'UV_THREADPOOL_SIZE'];

export function startAppServer(options: AppServerOptions, start: StartOptions = {}): Promise<ServerProcess> {
  const threadPool = Object.fromEntries(Object.entries(options.env).filter(([name]) => THREAD_POOL_VARIABLES.includes(name)));
  return startServerProcess('app-server.ts', [JSON.stringify(options)], { ...start, processEnv: { ...threadPool, ...start.processEnv } });
}

export function startBareServer(start: StartOptions = {}): Promise<ServerProcess> {
  return startServerProcess('bare-server.ts', [], start);
}

async function startServerProcess(entry: string, args: string[], { nodeFlags = [], processEnv = {} }: StartOptions): Promise<ServerProcess> {
  const child = fork(path.join(SERVERS_DIRECTORY, entry), args, {
    execArgv: ['--import', 'tsx', ...nodeFlags],
    env: { ...process.env, NODE_ENV: 'production', ...processEnv },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type === 'ready') resolve(message.port);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`benchmark server ${entry} exited with code ${code} before it was ready`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    memory: async ({ collectGarbage = false } = {}) => {
      const reply = await ask(child, { type: 'memory', collectGarbage }, 'memory');
      if (reply.type !== 'memory') throw new Error('unexpected reply');
      return reply.usage;
    },
    startProfiling: () => child.send({ type: 'profile-start' } satisfies ParentMessage),
    stopProfiling: async (file) => {
      await ask(child, { type: 'profile-stop', file }, 'profile-written');
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function ask(child: ChildProcess, message: ParentMessage, answer: ServerMessage['type']): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (reply: ServerMessage) => {
      if (reply.type !== answer) return;
      child.off('message', onMessage);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}
