/**
 * Soak test (issue 8): a sustained mixed workload — reads, writes, logins, refreshes — against
 * two real server processes sharing one PostgreSQL (and Redis when it answers), for a few
 * minutes. Fails when any request gives an unexpected answer or when either instance's RSS
 * keeps growing. Run: npm run bench:soak  (SOAK_SECONDS=180 SOAK_USERS=16 by default)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { post, startServerProcess, type ServerProcess } from '../test/helpers/process.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
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
  menu: '{ menuItems { id name price description image } }',
  myTasks: '{ myTasks { id title done createdAt } }',
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

async function main() {
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
    instances.push(await startServerProcess(env));
    instances.push(await startServerProcess(env));
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
    }, 10_000);

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
    const firstFull = rss.find((sample) => sample.second >= 60) ?? rss[0]!;
    const last = rss[rss.length - 1]!;
    const growth = last.mb.map((mb, i) => (mb - firstFull.mb[i]!) / firstFull.mb[i]!);
    const result = {
      seconds: SECONDS,
      users: USERS,
      requests: total,
      requestsPerSecond: Math.round(total / SECONDS),
      byKind: Object.fromEntries(counts),
      latencyMs: { p50: Number(quantile(0.5)), p99: Number(quantile(0.99)) },
      unexpectedErrors: unexpected.length,
      rssMb: rss,
      rssGrowthAfterWarmUp: growth.map((g) => `${(g * 100).toFixed(1)}%`),
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/soak.json', `${JSON.stringify(result, null, 2)}\n`);
    console.table({ requests: total, 'req/s': result.requestsPerSecond, 'p50 ms': result.latencyMs.p50, 'p99 ms': result.latencyMs.p99, 'unexpected errors': unexpected.length });
    console.log('RSS (MB) every 10 s, per instance:', rss.map((sample) => sample.mb.join('/')).join(' '));
    console.log('RSS growth after the first minute:', result.rssGrowthAfterWarmUp.join(', '));
    for (const line of unexpected.slice(0, 10)) console.log('  unexpected:', line);
    const flat = growth.every((g) => g < 0.1);
    console.log(unexpected.length === 0 && flat ? 'PASS' : 'FAIL');
    process.exitCode = unexpected.length === 0 && flat ? 0 : 1;
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

await main();
