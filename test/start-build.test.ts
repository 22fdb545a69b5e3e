/**
 * `npm start` runs .build/ (scripts/start-build.mjs): the server bundled into a few files, beside a
 * file-by-file JavaScript copy of src/ that holds what the sources find next to themselves. The copy
 * must follow the sources, or a developer would run yesterday's code, and the bundle must serve what
 * the sources serve. Run on a copy of the project (helpers/start-copy.ts), so that the .build/ of
 * the project itself is never rebuilt under other tests.
 */
import { readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startServerProcess, type ServerProcess } from './helpers/process.js';
import { makeStartCopy } from './helpers/start-copy.js';
import { openSocket } from './helpers/subscriptions.js';

const copy = makeStartCopy();
afterAll(() => copy.remove());

const built = (file: string) => path.join(copy.directory, '.build', file);
const source = (file: string) => path.join(copy.directory, 'src', file);

describe('the copy npm start runs', () => {
  it('is compiled again when a source changed, and only then', () => {
    copy.build();
    const before = statSync(built('heap.js')).mtimeMs;
    copy.build();
    expect(statSync(built('heap.js')).mtimeMs).toBe(before);

    const heap = statSync(source('heap.ts'));
    utimesSync(source('heap.ts'), heap.atime, new Date(heap.mtimeMs + 60_000));
    copy.build();
    expect(statSync(built('heap.js')).mtimeMs).toBeGreaterThan(before);
    expect(readFileSync(built('heap.js'), 'utf8')).toContain('function limitHeapGrowth(percent)');
  });

  it('carries what the sources read at run time: the SDL, the hashing process, the explorer page sources', () => {
    copy.build();
    expect(readFileSync(built('modules/menu/menu.graphql'), 'utf8')).toContain('type MenuItem');
    expect(statSync(built('auth/hashing-child.mjs')).isFile()).toBe(true);
    expect(statSync(built('server/explorer/browser/main.tsx')).isFile()).toBe(true);
  });

  it('bundles the server: its entry point imports the server from chunks beside it, not from the copy', () => {
    copy.build();
    const entry = readFileSync(built('main.js'), 'utf8');
    expect(entry).not.toMatch(/["']\.\/server\/start\.js["']/);
    expect(entry).toMatch(/import\(["']\.\/start-[A-Z0-9]+\.js["']\)/);
  });
});

const SIGNUP = 'mutation ($input: SignupInput!) { signup(input: $input) { accessToken } }';
const BOOKS = '{ books { edges { node { title } } } }';

describe('the bundled server, started as npm start starts it', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    copy.build();
    server = await startServerProcess({ DATABASE_URL: 'memory:', SEED_DEMO_DATA: 'true' }, { startCopy: copy.directory });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves the public menu, signs a user up, and gives the books to their token only', async () => {
    const menu = await post<{ menuItems: { edges: { node: { name: string } }[] } }>(server.url, '{ menuItems { edges { node { name } } } }');
    expect(menu.body.data!.menuItems.edges.map(({ node }) => node.name)).toEqual(expect.arrayContaining(['Burger', 'Pizza', 'Salad']));

    const signup = await post<{ signup: { accessToken: string } }>(server.url, SIGNUP, { input: { email: 'bundle@example.com', password: 'a long bundled secret', fullName: 'Bundle Reader' } });
    const token = signup.body.data!.signup.accessToken;
    const books = await post<{ books: { edges: unknown[] } }>(server.url, BOOKS, undefined, token);
    expect(books.body.errors).toBeUndefined();
    expect(books.body.data!.books.edges.length).toBeGreaterThan(0);

    const anonymous = await post(server.url, BOOKS);
    expect(anonymous.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('sends a signed-in subscriber the change to their task over graphql-ws', async () => {
    const signup = await post<{ signup: { accessToken: string } }>(server.url, SIGNUP, { input: { email: 'subscriber@example.com', password: 'a long bundled secret', fullName: 'Sub Scriber' } });
    const token = signup.body.data!.signup.accessToken;
    const socket = await openSocket(server.url);
    try {
      await socket.init({ authorization: `Bearer ${token}` });
      socket.subscribe('tasks', 'subscription { taskChanged { kind task { title } } }');
      // The subscription is registered once the server has read the subscribe message; retry the write until it is heard.
      const created = async () => post(server.url, 'mutation { createTask(input: { title: "Bundled" }) { id } }', undefined, token);
      let events: Awaited<ReturnType<typeof socket.next>> = [];
      for (let attempt = 0; attempt < 20 && events.length === 0; attempt++) {
        expect((await created()).body.errors).toBeUndefined();
        events = await socket.next('tasks', 1, 500).catch(() => []);
      }
      expect(events[0]).toEqual({ data: { taskChanged: { kind: 'CREATED', task: { title: 'Bundled' } } } });
    } finally {
      await socket.close();
    }
  });

  it('serves the explorer page and the script it names', async () => {
    const page = await fetch(`${server.url}/explorer`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const script = (await page.text()).match(/src="([^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script!, server.url));
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(10_000);
  });

  it('serves the schema as a federation subgraph when SUBGRAPH=on', async () => {
    const subgraph = await startServerProcess({ DATABASE_URL: 'memory:', SUBGRAPH: 'on' }, { startCopy: copy.directory });
    try {
      const service = await post<{ _service: { sdl: string } }>(subgraph.url, '{ _service { sdl } }');
      expect(service.body.data!._service.sdl).toMatch(/type MenuItem\b[^{]*@key\(fields: "id"\)/);
    } finally {
      await subgraph.stop();
    }
  });
});
