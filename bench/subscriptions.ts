/**
 * Subscriptions (issue 22): 2,000 graphql-ws subscribers on one server process, one mutation a
 * second. For each event: the time from sending the mutation to each delivery (an upper bound of
 * commit → delivery: the commit happens inside that mutation), and the fan-out time (to the last
 * delivery). Three runs of the same 2,000 sockets:
 *   public   — anonymous sockets on menuItemChanged (@public, no per-event check);
 *   filtered — sockets of one user on taskChanged: every subscriber runs the owner check, and all pass,
 *              so both runs deliver 2,000 events and differ only by the per-subscriber check;
 *   spread   — 1,000 users with 2 sockets each on taskChanged: each event reaches its owner's 2 sockets.
 * The target: fan-out time filtered / public ≤ 1.2. RSS per subscriber: the server's RSS with the
 * 2,000 public subscriptions open, less its RSS before, over 2,000.
 */
import WebSocket from 'ws';
import { tokenFor } from './lib/environment.js';
import { benchUsers } from './lib/fixtures.js';
import { round, withBenchDatabase } from './lib/harness.js';
import { graphqlOnce } from './lib/load.js';
import type { Benchmark, BenchmarkResult } from './lib/result.js';
import { startServerProcess, urlOf } from './lib/server-process.js';
import { median, percentile } from './lib/stats.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 2000);
/** Events per run; the public and filtered runs are made twice each. */
const EVENTS = Number(process.env.BENCH_SUBSCRIPTION_EVENTS ?? 10);
const MENU_CHANGES = 'subscription { menuItemChanged { kind item { id name price } } }';
const TASK_CHANGES = 'subscription { taskChanged { kind task { id title done } } }';

interface Delivery {
  /** performance.now() in this process when the `next` message arrived. */
  at: number;
  /** The event's identity: the item's or task's name. */
  name: string;
}

interface Subscriber {
  ws: WebSocket;
  deliveries: Delivery[];
}

/** Opens one socket, waits for the ack, subscribes. */
function subscriber(url: string, query: string, token?: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const deliveries: Delivery[] = [];
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} })));
    ws.on('message', (data) => {
      const at = performance.now();
      const message = JSON.parse(data.toString()) as { type: string; payload?: { data?: Record<string, { item?: { name: string }; task?: { title: string } }> } };
      if (message.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        resolve({ ws, deliveries });
      } else if (message.type === 'next') {
        const change = Object.values(message.payload?.data ?? {})[0];
        deliveries.push({ at, name: change?.item?.name ?? change?.task?.title ?? '' });
      }
    });
    ws.on('close', (code) => reject(new Error(`socket closed with ${code}`)));
  });
}

async function openAll(url: string, query: string, tokens: (string | undefined)[]): Promise<Subscriber[]> {
  const opened: Subscriber[] = [];
  for (let start = 0; start < tokens.length; start += 100) opened.push(...(await Promise.all(tokens.slice(start, start + 100).map((token) => subscriber(url, query, token)))));
  // Let the last subscribe messages reach the server's event streams.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return opened;
}

const closeAll = async (subscribers: Subscriber[]) => {
  for (const { ws } of subscribers) ws.terminate();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
};

interface RunResult {
  latencies: number[];
  fanOuts: number[];
  expectedPerEvent: number;
  missing: number;
}

/** One mutation a second; each event's deliveries measured from the moment its mutation was sent. */
async function measure(subscribers: Subscriber[], mutate: (name: string) => Promise<void>, expectedPerEvent: (name: string) => number, tag: string): Promise<RunResult> {
  const latencies: number[] = [];
  const fanOuts: number[] = [];
  let missing = 0;
  for (let index = 0; index < EVENTS; index += 1) {
    const name = `${tag} ${index} ${Date.now()}`;
    const sent = performance.now();
    await mutate(name);
    const expected = expectedPerEvent(name);
    const deadline = Date.now() + 5_000;
    const arrivals = () => subscribers.flatMap(({ deliveries }) => deliveries.filter((delivery) => delivery.name === name));
    while (arrivals().length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const got = arrivals();
    missing += expected - got.length;
    for (const { at } of got) latencies.push(at - sent);
    if (got.length > 0) fanOuts.push(Math.max(...got.map(({ at }) => at)) - sent);
    // One mutation a second.
    const rest = 1_000 - (performance.now() - sent);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
  return { latencies, fanOuts, expectedPerEvent: expectedPerEvent(''), missing };
}

const merged = (runs: RunResult[]): RunResult => ({
  latencies: runs.flatMap((run) => run.latencies),
  fanOuts: runs.flatMap((run) => run.fanOuts),
  expectedPerEvent: runs[0]!.expectedPerEvent,
  missing: runs.reduce((sum, run) => sum + run.missing, 0),
});

const summary = (run: RunResult) => ({ p50: round(percentile(run.latencies, 50), 1), p99: round(percentile(run.latencies, 99), 1), fanOut: round(median(run.fanOuts), 1) });

export const subscriptionsBenchmark: Benchmark = {
  name: 'subscriptions',
  description: `Issue 22: ${SUBSCRIBERS} graphql-ws subscribers, one mutation a second; fan-out with the per-subscriber owner check versus a public event`,
  async run(): Promise<BenchmarkResult[]> {
    return withBenchDatabase(async ({ database, env, prepareWithPasswordHash }) => {
      // --expose-gc: memory is compared after a full collection, so garbage from the warm-up does not count as sockets.
      const server = await startServerProcess({ env, variants: ['full'], prepareWithPasswordHash }, { nodeFlags: ['--expose-gc'] });
      try {
        const url = urlOf(server, 'full');
        const admin = tokenFor();
        const users = benchUsers().slice(1);
        const owner = users[0]!;
        const ownerToken = tokenFor(owner.id);
        const createItem = async (name: string) => {
          await graphqlOnce(url, { query: `mutation { createMenuItem(input: { name: "${name}", price: 100, description: "Bench", image: "https://example.com/b.png" }) { id } }`, token: admin });
        };
        const createTask = (token: string) => async (title: string) => {
          await graphqlOnce(url, { query: `mutation { createTask(input: { title: "${title}" }) { id } }`, token });
        };
        // Warm both paths (JIT, statement caches) with a few subscribers before measuring either.
        for (const [query, token, mutate] of [[MENU_CHANGES, undefined, createItem], [TASK_CHANGES, ownerToken, createTask(ownerToken)]] as const) {
          const warm = await openAll(url, query, Array.from({ length: 100 }, () => token));
          for (let index = 0; index < 20; index += 1) await mutate(`warm ${index} ${Date.now()}`);
          await closeAll(warm);
        }

        const before = await server.memory({ collectGarbage: true });
        let withPublic = before;
        const publicRuns: RunResult[] = [];
        const filteredRuns: RunResult[] = [];
        // A B B A: drift in the machine's speed (neighbours, JIT) falls on both sides alike.
        for (const kind of ['public', 'filtered', 'filtered', 'public'] as const) {
          if (kind === 'public') {
            const subscribers = await openAll(url, MENU_CHANGES, Array.from({ length: SUBSCRIBERS }, () => undefined));
            if (publicRuns.length === 0) withPublic = await server.memory({ collectGarbage: true });
            publicRuns.push(await measure(subscribers, createItem, () => SUBSCRIBERS, 'public'));
            await closeAll(subscribers);
          } else {
            const subscribers = await openAll(url, TASK_CHANGES, Array.from({ length: SUBSCRIBERS }, () => ownerToken));
            filteredRuns.push(await measure(subscribers, createTask(ownerToken), () => SUBSCRIBERS, 'filtered'));
            await closeAll(subscribers);
          }
        }
        const publicRun = merged(publicRuns);
        const filteredRun = merged(filteredRuns);

        const spreadOwners = Array.from({ length: SUBSCRIBERS }, (_, index) => users[Math.floor(index / 2) % users.length]!.id);
        const spreadSubscribers = await openAll(url, TASK_CHANGES, spreadOwners.map((id) => tokenFor(id)));
        const ownerSockets = spreadOwners.filter((id) => id === owner.id).length;
        const spreadRun = await measure(spreadSubscribers, createTask(ownerToken), () => ownerSockets, 'spread');
        await closeAll(spreadSubscribers);

        const [publicSummary, filteredSummary, spreadSummary] = [summary(publicRun), summary(filteredRun), summary(spreadRun)];
        const rssPerSubscriberKiB = round((withPublic.rss - before.rss) / SUBSCRIBERS / 1024, 1);
        console.log(`    public:   p50 ${publicSummary.p50} ms, p99 ${publicSummary.p99} ms, fan-out ${publicSummary.fanOut} ms`);
        console.log(`    filtered: p50 ${filteredSummary.p50} ms, p99 ${filteredSummary.p99} ms, fan-out ${filteredSummary.fanOut} ms`);
        console.log(`    spread:   p50 ${spreadSummary.p50} ms, p99 ${spreadSummary.p99} ms (each event to its owner's ${ownerSockets} sockets among ${SUBSCRIBERS})`);
        console.log(`    RSS ${round(before.rss / 2 ** 20)} → ${round(withPublic.rss / 2 ** 20)} MiB with ${SUBSCRIBERS} subscribers: ${rssPerSubscriberKiB} KiB each`);
        return [
          {
            id: '22',
            name: `Fan-out of one event to ${SUBSCRIBERS} subscribers: owner check per subscriber / public`,
            ratio: filteredSummary.fanOut / publicSummary.fanOut,
            target: { comparison: '<=', value: 1.2 },
            ratioOf: 'median time from sending the mutation to the last delivery, taskChanged (2,000 owner checks, all passing) / menuItemChanged (public)',
            context: {
              subscribers: SUBSCRIBERS,
              eventsPerKind: EVENTS * 2,
              publicP50Ms: publicSummary.p50,
              publicP99Ms: publicSummary.p99,
              publicFanOutMs: publicSummary.fanOut,
              filteredP50Ms: filteredSummary.p50,
              filteredP99Ms: filteredSummary.p99,
              filteredFanOutMs: filteredSummary.fanOut,
              spreadP50Ms: spreadSummary.p50,
              spreadP99Ms: spreadSummary.p99,
              rssPerSubscriberKiB,
              missingDeliveries: publicRun.missing + filteredRun.missing + spreadRun.missing,
              database: database.kind,
            },
            notes: [
              'Latencies run from sending the mutation (its commit is inside it) to the arrival of the event at the subscriber, all sockets read by this one process.',
              ...(database.note ? [database.note] : []),
            ],
          },
        ];
      } finally {
        await server.stop();
      }
    }, { SUBSCRIPTIONS_MAX_SOCKETS_PER_ADDRESS: String(SUBSCRIBERS * 2), SUBSCRIPTIONS_MAX_SOCKETS_PER_VIEWER: String(SUBSCRIBERS * 2) });
  },
};
