/**
 * Soak test (issue 8): a sustained mixed workload — reads, writes, logins, refreshes — against
 * two real server processes sharing one PostgreSQL (and Redis when it answers), for a few
 * minutes. The instances run the production build (dist/main.js, compiled first), as the
 * Dockerfile runs them. Fails when any request gives an unexpected answer or when either
 * instance's memory is not flat: the median RSS of the last minute more than 10% above the
 * median of the minute after warm-up. Run: npm run bench:soak  (SOAK_SECONDS=180 SOAK_USERS=16)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { post, startServerProcess, type ServerProcess } from '../test/helpers/process.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const WARM_UP_SECONDS = 60;
const SAMPLE_EVERY_MS = 5_000;
const USERS = Number(process.env.SOAK_USERS ?? 16);
const PG_SERVER = process.env.SOAK_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

type Kind = 'menu' | 'myTasks' | 'createTask' | 'updateTask' | 'deleteTask' | 'refresh' | 'login';
const MIX: [Kind, number][] = [
  ['menu', 40],
  ['myTasks', 20],
  ['createTask', 15],
  ['updateTask', 8],
  ['deleteTask', 7],
  ['refresh', 6],
  ['login', 4],
];

const OPERATIONS = {
  signup: 'mutation ($input: SignupInput!) { signup(input: $input) { accessToken refreshToken } }',
  login: 'mutation ($input: LoginInput!) { login(input: $input) { accessToken refreshToken } }',
  refresh: 'mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { accessToken refreshToken } }',
  menu: '{ menuItems(first: 100) { edges { node { id name price description image } } } }',
  myTasks: '{ myTasks(first: 20) { edges { cursor node { id title done createdAt } } pageInfo { hasNextPage endCursor } } }',
  createTask: 'mutation ($title: String!) { createTask(input: { title: $title }) { id } }',
  updateTask: 'mutation ($id: ID!) { updateTask(id: $id, input: { done: true }) { id done } }',
  deleteTask: 'mutation ($id: ID!) { deleteTask(id: $id) { id } }',
};

function pick(): Kind {
  let roll = Math.random() * 100;
  for (const [kind, weight] of MIX) if ((roll -= weight) < 0) return kind;
  return 'menu';
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

/**
 * One instance's RSS after warm-up: medians of the minute after it and of the last minute (a
 * median, so that a sample taken just before a collection does not decide), and the slope of a
 * least-squares line through every sample after it.
 */
function memoryTrend(samples: { second: number; mb: number }[]) {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? NaN;
  };
  const steady = samples.filter((sample) => sample.second >= WARM_UP_SECONDS);
  const end = samples[samples.length - 1]!.second;
  const afterWarmUp = median(steady.filter((sample) => sample.second < WARM_UP_SECONDS + 60).map((sample) => sample.mb));
  const lastMinute = median(steady.filter((sample) => sample.second > end - 60).map((sample) => sample.mb));
  const meanX = steady.reduce((sum, sample) => sum + sample.second, 0) / steady.length;
  const meanY = steady.reduce((sum, sample) => sum + sample.mb, 0) / steady.length;
  const covariance = steady.reduce((sum, sample) => sum + (sample.second - meanX) * (sample.mb - meanY), 0);
  const variance = steady.reduce((sum, sample) => sum + (sample.second - meanX) ** 2, 0);
  return {
    afterWarmUpMb: afterWarmUp,
    lastMinuteMb: lastMinute,
    growthPercent: Number((((lastMinute - afterWarmUp) / afterWarmUp) * 100).toFixed(1)),
    slopeMbPerMinute: Number(((covariance / variance) * 60).toFixed(2)),
    minMb: Math.min(...steady.map((sample) => sample.mb)),
    maxMb: Math.max(...steady.map((sample) => sample.mb)),
  };
}

async function main() {
  if (SECONDS < WARM_UP_SECONDS + 120) throw new Error(`SOAK_SECONDS must be at least ${WARM_UP_SECONDS + 120}: a minute of warm-up, then two to compare`);
  const name = `soak_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  const redis: Record<string, string> = (await portOpen(6379)) ? { REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_KEY_PREFIX: name } : {};
  const env: Record<string, string> = {
    DATABASE_URL: url.toString(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_LOGIN_ACCOUNT_IP: '100000/15m',
    RATE_LIMIT_LOGIN_ACCOUNT: '100000/15m',
    RATE_LIMIT_LOGIN_IP: '1000000/15m',
    RATE_LIMIT_SIGNUP_ACCOUNT: '100000/1h',
    RATE_LIMIT_SIGNUP_IP: '1000000/1h',
    RATE_LIMIT_REFRESH_ACCOUNT: '100000/1m',
    RATE_LIMIT_REFRESH_IP: '1000000/1m',
    ...redis,
  };
  const instances: ServerProcess[] = [];
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
    instances.push(await startServerProcess(env, { compiled: true }));
    instances.push(await startServerProcess(env, { compiled: true }));
    console.log(`soak: ${SECONDS}s, ${USERS} users, 2 instances on PostgreSQL${redis.REDIS_URL ? ' + Redis' : ''}`);

    const counts = new Map<Kind, number>();
    const latencies: number[] = [];
    const unexpected: string[] = [];
    const rss: { second: number; mb: number[] }[] = [];
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    let turn = 0;
    const instanceUrl = () => instances[turn++ % instances.length]!.url;

    const sampler = setInterval(() => {
      rss.push({ second: Math.round((Date.now() - started) / 1000), mb: instances.map((instance) => Math.round(rssMb(instance.child.pid!))) });
    }, SAMPLE_EVERY_MS);

    await Promise.all(
      Array.from({ length: USERS }, async (_, index) => {
        const credentials = { email: `soak-${index}-${name}@example.com`, password: `soak password ${index} ${name}` };
        const signed = await post<{ signup: { accessToken: string; refreshToken: string } }>(instanceUrl(), OPERATIONS.signup, {
          input: { ...credentials, fullName: `Soak ${index}` },
        });
        let session = signed.body.data!.signup;
        const tasks: string[] = [];
        while (Date.now() < deadline) {
          const kind = pick();
          const t0 = performance.now();
          let variables: Record<string, unknown> = {};
          let query: string = OPERATIONS[kind === 'refresh' ? 'refresh' : kind];
          if (kind === 'login') variables = { input: credentials };
          if (kind === 'refresh') variables = { token: session.refreshToken };
          if (kind === 'createTask') variables = { title: `task ${Date.now()}` };
          if (kind === 'updateTask' || kind === 'deleteTask') {
            const id = kind === 'deleteTask' ? tasks.pop() : tasks[tasks.length - 1];
            if (!id) {
              query = OPERATIONS.myTasks;
            } else {
              variables = { id };
            }
          }
          const auth = kind === 'login' || kind === 'refresh' ? undefined : session.accessToken;
          const response = await post<Record<string, { id?: string; accessToken?: string; refreshToken?: string }>>(instanceUrl(), query, variables, auth);
          latencies.push(performance.now() - t0);
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
          if (response.status !== 200 || response.body.errors) {
            unexpected.push(`${kind}: ${response.status} ${JSON.stringify(response.body.errors ?? response.body).slice(0, 200)}`);
            continue;
          }
          const data = Object.values(response.body.data ?? {})[0];
          if ((kind === 'login' || kind === 'refresh') && data?.accessToken) session = data as typeof session;
          if (kind === 'createTask' && data?.id) tasks.push(data.id);
        }
      }),
    );
    clearInterval(sampler);

    latencies.sort((a, b) => a - b);
    const total = latencies.length;
    const quantile = (q: number) => latencies[Math.min(total - 1, Math.floor(q * total))]!.toFixed(1);
    const memory = instances.map((_, index) => memoryTrend(rss.map((sample) => ({ second: sample.second, mb: sample.mb[index]! }))));
    const result = {
      seconds: SECONDS,
      users: USERS,
      requests: total,
      requestsPerSecond: Math.round(total / SECONDS),
      byKind: Object.fromEntries(counts),
      latencyMs: { p50: Number(quantile(0.5)), p99: Number(quantile(0.99)) },
      unexpectedErrors: unexpected.length,
      rssMb: rss,
      memory,
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/soak.json', `${JSON.stringify(result, null, 2)}\n`);
    console.table({ requests: total, 'req/s': result.requestsPerSecond, 'p50 ms': result.latencyMs.p50, 'p99 ms': result.latencyMs.p99, 'unexpected errors': unexpected.length });
    console.log(`RSS (MB) every ${SAMPLE_EVERY_MS / 1000} s, per instance:`, rss.map((sample) => sample.mb.join('/')).join(' '));
    memory.forEach((trend, index) =>
      console.log(
        `instance ${index + 1}: median RSS ${trend.afterWarmUpMb} MB in the minute after warm-up, ${trend.lastMinuteMb} MB in the last minute ` +
          `(${trend.growthPercent >= 0 ? '+' : ''}${trend.growthPercent}%); slope after warm-up ${trend.slopeMbPerMinute} MB/min; range ${trend.minMb}–${trend.maxMb} MB`,
      ),
    );
    for (const line of unexpected.slice(0, 10)) console.log('  unexpected:', line);
    const flat = memory.every((trend) => trend.growthPercent < 10);
    console.log(unexpected.length === 0 && flat ? 'PASS' : 'FAIL');
    process.exitCode = unexpected.length === 0 && flat ? 0 : 1;
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

await main();
