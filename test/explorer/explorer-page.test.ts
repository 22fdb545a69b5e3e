/**
 * The explorer's page over HTTP: where it is served, its Content-Security-Policy, its versioned and
 * long-cached assets, and the demo users it offers. test/explorer/explorer-browser.test.ts drives it in Chromium.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!', SEED_DEMO_DATA: 'false' };

interface Page {
  status: number;
  headers: Headers;
  html: string;
  assets: { url: string; integrity: string }[];
  settings: { graphqlPath: string; demoUsers: { email: string; role: string; password?: string }[]; sessionDocuments: Record<string, string> };
}

async function openExplorer(server: TestServer): Promise<Page> {
  const response = await fetch(`${server.url}/explorer`, { headers: { accept: 'text/html' } });
  const html = await response.text();
  const assets = [...html.matchAll(/(?:src|href)="(\/explorer\/assets\/[^"]+)" integrity="([^"]+)"/g)].map(([, url, integrity]) => ({ url: url!, integrity: integrity! }));
  const settingsJson = /<script type="application\/json" id="explorer-settings">(.*?)<\/script>/s.exec(html)?.[1];
  return { status: response.status, headers: response.headers, html, assets, settings: settingsJson ? JSON.parse(settingsJson) : undefined };
}

describe('the explorer page', () => {
  let database: Database;
  let server: TestServer | undefined;
  // One database for every server of this file: each test closes its server, not the database.
  const start = (env: Record<string, string>) => startTestServer(env, { db: { ...database, close: async () => {} } });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(() => database?.close());

  it('is served at /explorer outside production, under a CSP that allows no inline script and nothing from elsewhere', async () => {
    server = await start({});
    const page = await openExplorer(server);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');

    const csp = page.headers.get('content-security-policy')!;
    const directives = new Map(csp.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    // The one executable script is a file; the settings block is JSON, which no browser runs.
    expect(page.html.match(/<script(?![^>]*type="application\/json")[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" src="\/explorer\/assets\//)]);
  });

  it('serves its assets under content-hashed names, cached for a year, matching the integrity the page pins', async () => {
    server = await start({});
    const page = await openExplorer(server);
    expect(page.assets.map((asset) => asset.url)).toEqual([expect.stringMatching(/^\/explorer\/assets\/explorer-\w+\.css$/), expect.stringMatching(/^\/explorer\/assets\/explorer-\w+\.js$/)]);
    for (const { url, integrity } of page.assets) {
      const asset = await fetch(`${server.url}${url}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-type')).toMatch(url.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      const body = Buffer.from(await asset.arrayBuffer());
      expect(`sha384-${createHash('sha384').update(body).digest('base64')}`).toBe(integrity);
      // Offline means offline: the bundle names no other host to load from (GraphiQL's fonts are inlined).
      if (url.endsWith('.css')) expect(body.toString()).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
    }
    expect((await fetch(`${server.url}/explorer/assets/explorer-NOTAHASH.js`)).status).toBe(404);
  });

  it('offers the demo users outside production, with a password only while it is the published default', async () => {
    server = await start({ SEED_MENU_PASSWORD: 'a menu password of our own' });
    const { settings } = await openExplorer(server);
    expect(settings.graphqlPath).toBe('/graphql');
    expect(settings.demoUsers).toEqual([
      { email: 'admin@example.com', role: 'admin', password: 'admin-password-dev' },
      { email: 'menu@example.com', role: 'menu-admin' },
      { email: 'user@example.com', role: 'no role', password: 'user-password-dev' },
    ]);
  });

  it('is off in production unless EXPLORER=on, and then lists no demo users', async () => {
    server = await start(PRODUCTION);
    expect((await openExplorer(server)).status).toBe(404);
    await server.close();

    server = await start({ ...PRODUCTION, EXPLORER: 'on' });
    const page = await openExplorer(server);
    expect(page.status).toBe(200);
    expect(page.settings.demoUsers).toEqual([]);
    // Signing in works where only trusted documents run: the panel sends the manifest's documents by id.
    const manifest = JSON.parse(readFileSync(new URL('../../client/generated/trusted-documents.json', import.meta.url), 'utf8')) as Record<string, { operationName: string }>;
    const idOf = (name: string) => `sha256:${Object.entries(manifest).find(([, entry]) => entry.operationName === name)![0]}`;
    expect(page.settings.sessionDocuments).toEqual({ Login: idOf('Login'), RefreshToken: idOf('RefreshToken'), Logout: idOf('Logout'), Me: idOf('Me') });
  });

  it('is linked from the Sandbox landing page, and neither is there with EXPLORER=off', async () => {
    const landingPage = async () => (await fetch(`${server!.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    server = await start({});
    const html = await landingPage();
    expect(html).toContain('EmbeddedSandbox');
    const nonce = /<style nonce=([0-9a-f]+)>/.exec(html)?.[1];
    expect(html).toContain(`<style nonce="${nonce}">.explorer-link`);
    expect(html).toMatch(/<a class="explorer-link" href="\/explorer">/);
    await server.close();

    server = await start({ EXPLORER: 'off' });
    expect(await landingPage()).not.toContain('explorer-link');
    expect((await openExplorer(server)).status).toBe(404);
  });
});
