/** Runs the real server (src/main.ts) as a child process, the way an operator starts an instance. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { TEST_ENV } from './server.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** The last few kilobytes of its stdout and stderr. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const OUTPUT_KEPT = 200_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `compiled`: run dist/main.js (`npm run build` first) as the Dockerfile does, instead of the TypeScript sources.
 * `startCopy`: run what `npm start` runs (scripts/start.mjs) in that copy of the project (helpers/start-copy.ts).
 * `nodeArgs`: extra node options placed before the entry (e.g. `--import` of a test probe).
 */
export async function startServerProcess(
  env: Record<string, string>,
  { timeoutMs = 90_000, compiled = false, startCopy = undefined as string | undefined, nodeArgs = [] as string[] } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  // `node --import tsx` rather than the tsx CLI: one process, which receives signals itself.
  const entry = startCopy ? ['scripts/start.mjs'] : compiled ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: startCopy,
    env: { PATH: process.env.PATH, ...TEST_ENV, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_KEPT));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode} before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start within ${timeoutMs} ms:\n${output}`);
    }
    const healthy = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    child,
    exited,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** POSTs a GraphQL operation and returns the parsed body. */
export async function post<Data = Record<string, unknown>>(url: string, query: string, variables?: Record<string, unknown>, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Data; errors?: { message: string; extensions?: { code?: string } }[] } };
}
