/**
 * Adds a link to the local explorer on Apollo's Sandbox landing page: Sandbox loads from Apollo's CDN,
 * so offline (or behind a strict proxy) that page stays empty, and the link is the way out.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Config } from '../../config.js';
import { EXPLORER_PATH } from './explorer.js';

/** Apollo's page pins its styles to a nonce in its own CSP meta tag; the link's style reuses that nonce. */
export function addExplorerLink(html: string): string {
  const nonce = /<style nonce=["']?([0-9a-f]+)/.exec(html)?.[1];
  if (!nonce) return html;
  const link =
    `<style nonce="${nonce}">.explorer-link{position:fixed;right:12px;bottom:12px;z-index:10;padding:6px 10px;border-radius:6px;` +
    `background:#1f2937;color:#fff;font:14px system-ui,sans-serif;text-decoration:none}</style>` +
    `<a class="explorer-link" href="${EXPLORER_PATH}">Offline, or want to sign in? Open the local explorer</a>`;
  return html.replace('<body>', `<body>\n    ${link}`);
}

/** Wraps Apollo's landing-page plugin so that its page carries the link. */
export function withExplorerLink<TContext extends BaseContext>(plugin: ApolloServerPlugin<TContext>): ApolloServerPlugin<TContext> {
  return {
    ...plugin,
    async serverWillStart(service) {
      const listener = await plugin.serverWillStart?.(service);
      if (!listener?.renderLandingPage) return listener;
      const render = listener.renderLandingPage.bind(listener);
      return {
        ...listener,
        async renderLandingPage() {
          const page = await render();
          const html = page.html;
          return { html: typeof html === 'string' ? addExplorerLink(html) : async () => addExplorerLink(await html()) };
        },
      };
    },
  };
}

/** Apollo Sandbox (from Apollo's CDN), the development landing page, with the link when the explorer is on. */
export function sandboxLandingPage(config: Config): ApolloServerPlugin<BaseContext> {
  const sandbox = ApolloServerPluginLandingPageLocalDefault({ embed: true });
  return config.explorer.enabled ? withExplorerLink(sandbox) : sandbox;
}
