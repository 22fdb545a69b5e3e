/**
 * Load generation against a server on loopback. Closed-loop throughput runs use wrk when it is
 * installed (Debian's package `wrk`; BENCH_LOAD_GENERATOR=autocannon forces autocannon), autocannon
 * otherwise: autocannon parses answers in JavaScript on one of this machine's two cores, at a cost
 * that grows with each answer's headers, so that against a server sending helmet's dozen headers it
 * ran out of CPU first and measured itself (the server sat 43% idle under it; see BENCHMARKS.md).
 * A run that saw an error or a non-2xx answer throws: a fast failure must never pass for a fast server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { percentile } from './stats.js';

function wrkInstalled(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // `wrk --version` prints its version and exits 1: only a missing binary (ENOENT) means no wrk.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** The closed-loop generator of this run, reported by the benchmark runner. */
export const LOAD_GENERATOR: 'wrk' | 'autocannon' = process.env.BENCH_LOAD_GENERATOR !== 'autocannon' && wrkInstalled() ? 'wrk' : 'autocannon';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
}

export interface LoadOptions {
  url: string;
  request: GraphQLRequest;
  /** How long to run; or, with `amount`, how many requests to send. */
  seconds?: number;
  amount?: number;
  connections?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  /** Every response time in milliseconds (paced load only): for percentiles over several rounds. */
  samples?: number[];
}

export function requestHeaders(request: GraphQLRequest): Record<string, string> {
  return { 'content-type': 'application/json', ...(request.token && { authorization: `Bearer ${request.token}` }) };
}

/** Closed-loop load: each connection sends its next request as soon as the previous one is answered. */
export function load(options: LoadOptions): Promise<LoadResult> {
  return LOAD_GENERATOR === 'wrk' && options.seconds !== undefined && options.amount === undefined ? wrkLoad({ ...options, seconds: options.seconds }) : autocannonLoad(options);
}

/** wrk's durations are whole seconds: a run is rounded up to the next one. */
async function wrkLoad({ url, request, seconds, connections = 10 }: LoadOptions & { seconds: number }): Promise<LoadResult> {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-wrk-'));
  try {
    const bodyFile = path.join(directory, 'body.json');
    writeFileSync(bodyFile, JSON.stringify({ query: request.query, variables: request.variables }));
    const headers = Object.entries(requestHeaders(request)).map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
    const script = path.join(directory, 'request.lua');
    writeFileSync(script, [`wrk.method = "POST"`, `local file = io.open(${JSON.stringify(bodyFile)}, "rb")`, 'wrk.body = file:read("*a")', 'file:close()', ...headers, ''].join('\n'));
    const output = await new Promise<string>((resolve, reject) =>
      execFile('wrk', ['-t1', `-c${connections}`, `-d${Math.max(1, Math.ceil(seconds))}s`, '--latency', '-s', script, `${url}/graphql`], (error, stdout, stderr) => (error ? reject(new Error(`wrk failed: ${stderr || error.message}`)) : resolve(stdout))),
    );
    return parseWrk(url, output);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const MILLISECONDS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

export function parseWrk(url: string, output: string): LoadResult {
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN);
  const nonSuccess = number(/Non-2xx or 3xx responses:\s+(\d+)/);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = socketErrors ? socketErrors.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0;
  if (errors > 0 || nonSuccess > 0) throw new Error(`load on ${url} saw ${errors} socket errors (${socketErrors?.[0] ?? 'none'}) and ${Number.isNaN(nonSuccess) ? 0 : nonSuccess} non-2xx responses`);
  const requests = number(/(\d+) requests in/);
  const requestsPerSecond = number(/Requests\/sec:\s+([\d.]+)/);
  if (!(requests > 0) || !(requestsPerSecond > 0)) throw new Error(`load on ${url} got no response:\n${output}`);
  const latency = (quantile: number) => {
    const match = new RegExp(`^\\s+${quantile}%\\s+([\\d.]+)(us|ms|s|m)$`, 'm').exec(output);
    return match ? Number(match[1]) * MILLISECONDS[match[2]!]! : Number.NaN;
  };
  return { requestsPerSecond, requests, p50: latency(50), p99: latency(99) };
}

function autocannonLoad({ url, request, seconds, amount, connections = 10 }: LoadOptions): Promise<LoadResult> {
  const responseTimes: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/graphql`,
        method: 'POST',
        headers: requestHeaders(request),
        body: JSON.stringify({ query: request.query, variables: request.variables }),
        connections,
        ...(amount ? { amount } : { duration: seconds }),
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.errors > 0 || result.non2xx > 0) {
          return reject(new Error(`load on ${url} saw ${result.errors} errors and ${result.non2xx} non-2xx responses`));
        }
        if (responseTimes.length === 0) return reject(new Error(`load on ${url} got no response`));
        resolve({
          requestsPerSecond: result.requests.total / result.duration,
          requests: result.requests.total,
          p50: percentile(responseTimes, 50),
          p99: percentile(responseTimes, 99),
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      responseTimes.push(responseTime);
    });
  });
}

/**
 * Open-loop load at a steady rate, for latency: one request every 1/rate seconds whether or not
 * earlier ones were answered (autocannon's rate limit sends each second's quota in one burst,
 * which would measure its own queueing). Keep-alive connections, opened as needed.
 */
export async function pacedLoad({ url, request, seconds, rate }: { url: string; request: GraphQLRequest; seconds: number; rate: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const body = JSON.stringify({ query: request.query, variables: request.variables });
  const target = new URL(`${url}/graphql`);
  const headers = { ...requestHeaders(request), 'content-length': String(Buffer.byteLength(body)) };
  const latencies: number[] = [];
  const failures: string[] = [];
  const send = () =>
    new Promise<void>((resolve) => {
      const started = process.hrtime.bigint();
      const outgoing = http.request(target, { method: 'POST', agent, headers }, (response) => {
        response.resume();
        response.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (response.statusCode !== 200) failures.push(`HTTP ${response.statusCode}`);
          resolve();
        });
      });
      outgoing.on('error', (error) => {
        failures.push(error.message);
        resolve();
      });
      outgoing.end(body);
    });

  const total = Math.round(seconds * rate);
  const interval = 1000 / rate;
  const began = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let sent = 0; sent < total; sent++) {
    const wait = began + sent * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  agent.destroy();
  if (failures.length > 0) throw new Error(`paced load on ${url}: ${failures.length} failures (${failures[0]})`);
  return {
    requestsPerSecond: latencies.length / ((performance.now() - began) / 1000),
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    samples: latencies,
  };
}

export interface Background {
  /** Stops the load and reports how many requests completed, and how many failed (non-2xx or a GraphQL error). */
  stop(): Promise<{ completed: number; failed: number }>;
}

/** Load that runs until stopped, one connection per request given, each repeating its request (e.g. logins). */
export function backgroundLoad(url: string, requests: GraphQLRequest[]): Background {
  let completed = 0;
  let failed = 0;
  const instances = requests.map((request) => {
    let resolveDone: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const instance = autocannon(
      {
        url: `${url}/graphql`,
        connections: 1,
        duration: 3600,
        requests: [
          {
            method: 'POST',
            headers: requestHeaders(request),
            body: JSON.stringify({ query: request.query, variables: request.variables }),
            onResponse: (status, body) => {
              completed++;
              if (status !== 200 || body.includes('"errors"')) failed++;
            },
          },
        ],
      },
      () => resolveDone(),
    );
    return { instance, done };
  });
  return {
    async stop() {
      for (const { instance } of instances) instance.stop();
      await Promise.all(instances.map(({ done }) => done));
      return { completed, failed };
    },
  };
}

/** One request with fetch, for checking that a server answers what the benchmark expects. */
export async function graphqlOnce<Data>(url: string, request: GraphQLRequest): Promise<Data> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: requestHeaders(request),
    body: JSON.stringify({ query: request.query, variables: request.variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (!response.ok || body.errors || !body.data) {
    throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  }
  return body.data;
}
