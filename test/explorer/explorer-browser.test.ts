/**
 * The explorer in a real browser: Debian's Chromium driven by puppeteer-core, against a real server
 * with the demo data. Every request the page makes is intercepted: anything not bound for the server
 * itself is refused and recorded, so the page is shown to work offline. Skipped when no Chromium is
 * installed, except in CI (CI=true), where a missing browser fails.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/setup/seed.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';

const CHROMIUM = '/usr/bin/chromium';
// The README's picture is rewritten only when asked (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(import.meta.dirname, '..', '..', 'docs', 'explorer.png') : path.join(tmpdir(), `explorer-${process.pid}.png`);
const browserFound = existsSync(CHROMIUM);
if (!browserFound && process.env.CI === 'true') throw new Error(`CI needs Chromium at ${CHROMIUM} for the explorer test (apt-get install -y chromium)`);

// A short access-token lifetime, with no clock tolerance, so the test sees the explorer refresh in time.
const ACCESS_TOKEN_SECONDS = 6;

const CREATE_ITEM = (name: string) => `mutation CreateMenuItem {
  createMenuItem(input: { name: "${name}", price: 350, description: "Cold", image: "https://example.com/ice-cream.png" }) {
    id
    name
    price
  }
}`;

/** The little of the DOM the page functions below use: this test is compiled with Node's types, not the browser's. */
interface PageElement {
  textContent: string | null;
  click(): void;
  /** GraphiQL 4's editors are CodeMirror 5 instances, reachable from their element. */
  CodeMirror: { getValue(): string; setValue(value: string): void };
}
declare const document: { querySelector(selector: string): PageElement | null };

/** Puts an operation in GraphiQL's editor, runs it with the execute button, and returns the response pane's JSON. */
async function runOperation(page: Page, operation: string, operationName: string): Promise<{ data?: Record<string, unknown> | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] }> {
  const responseText = () => document.querySelector('.graphiql-response .CodeMirror')!.CodeMirror.getValue();
  const before = await page.evaluate(responseText);
  await page.evaluate((text) => {
    document.querySelector('.graphiql-query-editor .CodeMirror')!.CodeMirror.setValue(text);
  }, operation);
  // The tab takes the operation's name once GraphiQL has parsed the new text (debounced): only then does the button run it.
  await page.waitForFunction((name) => document.querySelector('.graphiql-tab-active')?.textContent?.includes(name), {}, operationName);
  await page.evaluate(() => document.querySelector('.graphiql-execute-button')!.click());
  await page.waitForFunction(
    (previous) => {
      const text = document.querySelector('.graphiql-response .CodeMirror')!.CodeMirror.getValue();
      return text !== '' && text !== previous;
    },
    {},
    before,
  );
  return JSON.parse(await page.evaluate(responseText));
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.type('input[name=email]', email);
  await page.type('input[name=password]', password);
  await page.click('[data-testid=sign-in-button]');
  await page.waitForSelector('[data-testid=viewer-permissions]');
}

async function signInAsMenuAdmin(page: Page): Promise<void> {
  const [menuAdmin] = await page.$$('xpath/.//button[contains(., "menu@example.com")]');
  await menuAdmin!.click();
  await page.click('[data-testid=sign-in-button]');
  await page.waitForSelector('[data-testid=viewer-permissions]');
}

/** The operation a request body runs: by name, or by the name in its text (GraphiQL sends no operationName for a single operation). */
function operationNameOf(body: string): string {
  const { operationName, query } = JSON.parse(body) as { operationName?: string; query?: string };
  return operationName ?? /(?:query|mutation|subscription)\s+(\w+)/.exec(query ?? '')?.[1] ?? '';
}

const text = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent ?? '');

describe.skipIf(!browserFound)('the explorer in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let profile: string;

  beforeAll(async () => {
    server = await startTestServer({ ACCESS_TOKEN_TTL: `${ACCESS_TOKEN_SECONDS}s`, JWT_CLOCK_TOLERANCE: '0' });
    await seedDemoData(server.db, server.server.services.passwords, server.config.seed.passwords);
    profile = mkdtempSync(path.join(tmpdir(), 'explorer-chromium-'));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs in as the demo menu admin, creates a menu item, refreshes its token, signs out and explains the denial, all without leaving localhost', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 760 });
    const origin = new URL(server.url).origin;
    const elsewhere: string[] = [];
    const pageErrors: string[] = [];
    const operations: { name: string; authorization?: string }[] = [];
    const policyViolations: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || new URL(url).origin === origin) {
        const body = request.postData();
        if (body) operations.push({ name: operationNameOf(body), authorization: request.headers().authorization });
        void request.continue();
      } else {
        elsewhere.push(url);
        void request.abort('internetdisconnected');
      }
    });

    await page.goto(`${server.url}/explorer`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    expect(await text(page, '[data-testid=demo-users]')).toContain('menu@example.com');

    // Sign in by picking the demo user, as a newcomer would.
    await signInAsMenuAdmin(page);
    const signedInAt = Date.now();
    expect(await text(page, '[data-testid=viewer-name]')).toBe('Manu Menu');
    expect(await text(page, '[data-testid=viewer-roles]')).toBe('menu-admin');
    expect((await text(page, '[data-testid=viewer-permissions]')).split(', ').sort()).toEqual(['create:items', 'delete:items', 'update:items']);

    // The access token lives 6 s: the explorer rotates it before then, and keeps working past its expiry.
    await expect.poll(() => operations.some((operation) => operation.name === 'RefreshToken'), { timeout: 20_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, signedInAt + ACCESS_TOKEN_SECONDS * 1000 + 500 - Date.now())));
    const created = await runOperation(page, CREATE_ITEM('Ice cream'), 'CreateMenuItem');
    expect(created).toEqual({ data: { createMenuItem: { id: expect.any(String), name: 'Ice cream', price: 350 } } });
    const login = operations.find((operation) => operation.name === 'Login')!;
    const mutation = operations.findLast((operation) => operation.name === 'CreateMenuItem')!;
    expect(login.authorization).toBeUndefined();
    expect(mutation.authorization).toMatch(/^Bearer ey/);
    expect(await server.db.prisma.menuItem.count({ where: { name: 'Ice cream' } })).toBe(1);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // Signing out revokes the session and drops the header: the same mutation is now denied, and explained.
    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('[data-testid=sign-in]');
    expect(operations.at(-1)).toEqual({ name: 'Logout', authorization: undefined });
    const denied = await runOperation(page, CREATE_ITEM('Ice cream 2'), 'CreateMenuItem');
    // Mutations are all or nothing: nothing ran, so the answer is the denial alone.
    expect(denied.data ?? null).toBeNull();
    expect(denied.errors).toEqual([expect.objectContaining({ path: ['createMenuItem'], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    expect(operations.at(-1)).toEqual({ name: 'CreateMenuItem', authorization: undefined });
    await page.waitForSelector('[data-testid=denials]');
    const denial = await text(page, '[data-testid=denials]');
    expect(denial).toContain('createMenuItem');
    expect(denial).toContain('UNAUTHENTICATED');
    expect(denial).toContain('rule hasPermission');
    expect(denial).toContain('required create:items');

    // Signed out, a subscription that needs a token is refused over the socket, with the same explained denial.
    const subscription = await runOperation(page, 'subscription Books {\n  bookAdded { title }\n}', 'Books');
    expect(subscription.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    const menu = await runOperation(page, 'query Menu {\n  menuItems(first: 1) { edges { node { name } } }\n}', 'Menu');
    expect(menu.errors).toBeUndefined();

    expect(pageErrors).toEqual([]);
    // Nothing the page does needs more than its policy allows (no inline script or style, no other origin).
    expect(policyViolations).toEqual([]);
    expect(elsewhere).toEqual([]);
  }, 120_000);

  /**
   * Subscriptions go over graphql-ws on /graphql with the access token in connectionParams: the
   * signed-in menu admin receives the events of an @auth subscription, and after a reload (tokens
   * are kept in memory only) the same subscription is refused.
   */
  it('runs subscriptions over graphql-ws on /graphql as the signed-in viewer, and refuses them after a reload signs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/explorer`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    await signInAsMenuAdmin(page);

    // Books are added until the first one reaches the page: the subscription starts once the button is pressed.
    const received = runOperation(page, 'subscription Books {\n  bookAdded { title }\n}', 'Books');
    let added = 0;
    let answer: Awaited<typeof received> | undefined;
    void received.then((result) => (answer = result));
    while (!answer && added < 40) {
      await server.server.services.books.create({ title: `Live book ${added++}`, author: 'A. Writer', publishedYear: 2026 });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await received).toEqual({ data: { bookAdded: { title: expect.stringMatching(/^Live book \d+$/) } } });

    await page.reload({ waitUntil: 'networkidle0' });
    await page.waitForSelector('[data-testid=sign-in]');
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    const refused = await runOperation(page, 'subscription Books {\n  bookAdded { title }\n}', 'Books');
    expect(refused.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
  }, 90_000);

  it('signs in where only trusted documents run (production), and runs other documents only for the permission allowed to', async () => {
    const production = await startTestServer({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!',
      SEED_DEMO_DATA: 'false',
      EXPLORER: 'on',
      INTROSPECTION: 'true',
      TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: 'manage:users',
    });
    try {
      expect(production.config.trustedDocuments.mode).toBe('enforce');
      const admin = await production.createUser({ email: 'ops@example.com', roles: ['admin'] });
      await production.createUser({ email: 'reader@example.com' });
      const page = await browser.newPage();
      await page.goto(`${production.url}/explorer`, { waitUntil: 'networkidle0' });
      await page.waitForSelector('.graphiql-query-editor .CodeMirror');
      expect(await page.$('[data-testid=demo-users]')).toBeNull();
      const arbitrary = 'query WhoAmI {\n  me { email }\n}';

      await signIn(page, 'ops@example.com', TEST_PASSWORD);
      expect(await text(page, '[data-testid=viewer-permissions]')).toContain('manage:users');
      expect(await runOperation(page, arbitrary, 'WhoAmI')).toEqual({ data: { me: { email: admin.user.email } } });
      await page.click('[data-testid=sign-out]');
      await page.waitForSelector('[data-testid=sign-in]');

      await signIn(page, 'reader@example.com', TEST_PASSWORD);
      expect(await text(page, '[data-testid=viewer-permissions]')).toBe('none');
      const refused = await runOperation(page, arbitrary, 'WhoAmI');
      expect(refused.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    } finally {
      await production.close();
    }
  }, 90_000);
});
