/**
 * The explorer at /explorer: a static page, its bundled assets (./explorer-assets.ts) and a strict
 * Content-Security-Policy. It has no logic of its own on the server: the page signs in through the
 * public mutations and sends everything to /graphql like any other client.
 */
import express from 'express';
import helmet from 'helmet';
import { DEVELOPMENT_DEFAULTS, type Config } from '../../config.js';
import { DEMO_USERS } from '../../setup/seed.js';
import type { TrustedDocuments } from '../trusted-documents.js';
import { explorerAssets, type ExplorerAsset } from './explorer-assets.js';
import { SESSION_OPERATIONS, type ExplorerDemoUser, type ExplorerPageSettings, type SessionOperation } from './browser/settings.js';

export type { ExplorerDemoUser };

export interface ExplorerOptions {
  /** Where the page sends its operations (HTTP, and WebSocket on the same path). */
  graphqlPath: string;
  demoUsers: readonly ExplorerDemoUser[];
  /** The trusted documents' ids of the sign-in panel's operations (see ExplorerPageSettings). */
  sessionDocuments: Partial<Record<SessionOperation, string>>;
}

export const EXPLORER_PATH = '/explorer';
const ASSETS_PATH = '/assets';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * No inline script at all (script-src 'self': the page's one script is a file, pinned by its integrity
 * hash). Styles: GraphiQL's stylesheet is a file too; its editors and React set element styles through
 * the CSSOM, which style-src does not govern, so no 'unsafe-inline' is needed. Fonts are data: URLs
 * inside that stylesheet. connect-src 'self' covers /graphql and the same origin's ws:/wss:.
 */
const pageSecurity = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  crossOriginEmbedderPolicy: false,
});

/** JSON inside a <script type="application/json"> block: `<` escaped so no text can close the block. */
const jsonForHtml = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function pageHtml(settings: ExplorerPageSettings, script: ExplorerAsset, stylesheet: ExplorerAsset): string {
  const assetUrl = (asset: ExplorerAsset) => escapeAttribute(`${EXPLORER_PATH}${ASSETS_PATH}/${asset.name}`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width,initial-scale=1" />
    <title>Explorer · secure-graphql-api</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${assetUrl(stylesheet)}" integrity="${stylesheet.integrity}" />
    <script type="module" src="${assetUrl(script)}" integrity="${script.integrity}"></script>
  </head>
  <body>
    <script type="application/json" id="explorer-settings">${jsonForHtml(settings)}</script>
    <noscript>The explorer needs JavaScript; use curl or any GraphQL client on ${escapeAttribute(settings.graphqlPath)} instead.</noscript>
    <div id="explorer"></div>
  </body>
</html>
`;
}

function sendAsset(req: express.Request, res: express.Response, asset: ExplorerAsset): void {
  res.set('cache-control', IMMUTABLE).set('content-type', asset.contentType).set('vary', 'accept-encoding');
  if (req.acceptsEncodings('gzip') === 'gzip') {
    res.set('content-encoding', 'gzip').send(asset.gzipped);
  } else {
    res.send(asset.body);
  }
}

/** The router to mount at EXPLORER_PATH. The bundle is built on the first request (about a second), not at start-up. */
export function explorerRouter(options: ExplorerOptions): express.Router {
  const router = express.Router();
  const settings: ExplorerPageSettings = { graphqlPath: options.graphqlPath, demoUsers: options.demoUsers, sessionDocuments: options.sessionDocuments };

  router.get('/', pageSecurity, async (_req, res, next) => {
    try {
      const { script, stylesheet } = await explorerAssets();
      // The page names the current bundle: it is never cached, its assets always are.
      res.set('cache-control', 'no-cache').type('html').send(pageHtml(settings, script, stylesheet));
    } catch (error) {
      next(error);
    }
  });

  router.get(`${ASSETS_PATH}/:name`, async (req, res, next) => {
    try {
      const asset = (await explorerAssets()).byName.get(req.params.name);
      if (!asset) {
        res.status(404).json({ message: 'Not Found' });
        return;
      }
      sendAsset(req, res, asset);
    } catch (error) {
      next(error);
    }
  });

  return router;
}

/** The README's demo users, offered outside production; a password only while it is the published default. */
function demoUsersFor(config: Config): ExplorerDemoUser[] {
  if (config.isProduction || !config.seed.demoData) return [];
  return DEMO_USERS.map((user) => {
    const password = config.seed.passwords[user.key];
    return { email: user.email, role: user.roles.join(', ') || 'no role', ...(password === DEVELOPMENT_DEFAULTS.seedPasswords[user.key] && { password }) };
  });
}

/** The explorer as this configuration and manifest want it. */
export function explorerRouterFor(config: Config, trustedDocuments: TrustedDocuments): express.Router {
  const sessionDocuments: Partial<Record<SessionOperation, string>> = {};
  for (const name of SESSION_OPERATIONS) {
    const id = trustedDocuments.idOf(name);
    if (id) sessionDocuments[name] = id;
  }
  return explorerRouter({ graphqlPath: '/graphql', demoUsers: demoUsersFor(config), sessionDocuments });
}
