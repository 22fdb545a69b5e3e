/**
 * Starts a benchmark server process, the app's (bench/servers/app-server.ts, hosting the variants
 * asked for) or a peer's (bench/servers/peer-server.ts), so that the load generator and the
 * servers do not share an event loop and RSS is the server's alone, and talks to it over IPC.
 * Both run compiled, under plain node, with NODE_ENV=production.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { AppServerOptions, Variant } from '../servers/app-server.js';
import type { Peer } from '../servers/peers.js';
import type { MemorySample, ParentMessage, ServerMessage } from '../servers/ipc.js';
import { buildBenchServers, PEER_ENTRY, SERVER_ENTRY } from './build.js';
export interface ServerProcess {
  /** Each hosted variant's (or the peer's) base URL. */
  urls: Partial<Record<Variant | Peer, string>>;
  pid: number;
  /** The process's memoryUsage() (RSS, V8 heap, external), in bytes; after a full GC if asked (needs --expose-gc). */
  memory(options?: { collectGarbage?: boolean }): Promise<MemorySample>;
  /** Starts the V8 CPU profiler inside the server process. */
  startProfiling(): void;
  /** Stops it and writes the profile (.cpuprofile JSON) to `file`. */
  stopProfiling(file: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra flags for node (e.g. --expose-gc). */
  nodeFlags?: string[];
  /** Another build's app-server.js (a before/after of two commits); this checkout's build by default. */
  entry?: string;
}

/** libuv reads UV_THREADPOOL_SIZE from the process environment when node starts, before any configuration is loaded. */
const PROCESS_VARIABLES = ['UV_THREADPOOL_SIZE'];
/** BENCH_NODE_FLAGS: node/V8 flags for the server processes, to measure a deployment setting such as heap sizing. */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

export function startServerProcess(options: AppServerOptions, { nodeFlags = [], entry = SERVER_ENTRY }: StartOptions = {}): Promise<ServerProcess> {
  const processEnv = Object.fromEntries(Object.entries(options.env).filter(([name]) => PROCESS_VARIABLES.includes(name)));
  return forkServer(entry, JSON.stringify(options), processEnv, nodeFlags);
}

/** A peer (bench/servers/peers.ts) in a process of its own, which loads nothing of the app. */
export function startPeerProcess(peer: Peer): Promise<ServerProcess> {
  return forkServer(PEER_ENTRY, peer, {}, []);
}

async function forkServer(entry: string, argument: string, processEnv: Record<string, string>, nodeFlags: string[]): Promise<ServerProcess> {
  buildBenchServers();
  const child = fork(entry, [argument], {
    execArgv: [...NODE_FLAGS, ...nodeFlags],
    // Libraries (graphql-js, Express) take their production paths, as deployed; the app's own settings are in its options.
    env: { ...process.env, NODE_ENV: 'production', ...processEnv },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') resolve(message.ports);
    });
    child.once('exit', (code) => reject(new Error(`benchmark server exited with code ${code} before it was ready`)));
  });
  return {
    urls: Object.fromEntries(Object.entries(ports).map(([variant, port]) => [variant, `http://127.0.0.1:${port}`])),
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

/** The URL of a variant (or the peer) the process hosts. */
export function urlOf(server: ServerProcess, variant: Variant | Peer): string {
  const url = server.urls[variant];
  if (!url) throw new Error(`the server process does not host ${variant}`);
  return url;
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
