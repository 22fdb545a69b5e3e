/** Runs the real server (src/main.ts) as a child process, the way an operator starts an instance. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_ENV } from './server.js';

const TSX = path.resolve('node_modules/.bin/tsx');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startServerProcess(env: Record<string, string>, { timeoutMs = 60_000 } = {}): Promise<ServerProcess> {
  const child = spawn(TSX, ['src/main.ts'], {
    env: { PATH: process.env.PATH, ...TEST_ENV, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /"port":(\d+)[^\n]*API ready/.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.on('data', (more: Buffer) => (output += more.toString()));
      resolve({
        url: `http://127.0.0.1:${ready[1]}`,
        child,
        exited,
        output: () => output,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
    });
  });
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
