/**
 * A small typed client over the generated documents: signs in, rotates the refresh token,
 * creates a menu item with the new access token, and reads the whole menu a page at a time. `npm run client:example` runs it against a
 * server (by default http://localhost:4000/graphql as the demo menu admin).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import {
  CreateMenuItemDocument,
  LoginDocument,
  MenuItemsDocument,
  RefreshTokenDocument,
  type CreateMenuItemMutation,
  type MenuItemFieldsFragment,
  type MenuItemsQuery,
} from './generated/graphql.js';

export class GraphQLRequestError extends Error {
  override name = 'GraphQLRequestError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** A persisted document goes by its hash ("sha256:<hex>"); any other by its text. */
function documentOf(document: DocumentNode): { documentId: string } | { query: string } {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  return hash ? { documentId: hash } : { query: print(document) };
}

/**
 * One request: the result type and the variables are the document's own. The document is sent as
 * its hash alone (codegen's `__meta__.hash`): a production server runs only trusted documents.
 */
export async function request<Result, Variables>(
  url: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  accessToken?: string,
): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accessToken && { authorization: `Bearer ${accessToken}` }) },
    body: JSON.stringify({ ...documentOf(document), variables }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: { message: string; extensions?: { code?: string } }[] };
  const error = body.errors?.[0];
  if (error) throw new GraphQLRequestError(error.message, error.extensions?.code);
  if (!body.data) throw new GraphQLRequestError(`No data in the response (HTTP ${response.status})`, undefined);
  return body.data;
}

/**
 * Every menu item, a page at a time: each request asks for the rows after the previous page's
 * endCursor, until hasNextPage is false. A page holds at most GRAPHQL_MAX_PAGE_SIZE (100) rows.
 */
export async function readWholeMenu(url: string, pageSize = 20): Promise<{ items: MenuItemFieldsFragment[]; pages: number }> {
  const items: MenuItemFieldsFragment[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const { menuItems }: MenuItemsQuery = await request(url, MenuItemsDocument, { first: pageSize, after });
    items.push(...menuItems.edges.map(({ node }) => node));
    if (!menuItems.pageInfo.hasNextPage) return { items, pages };
    after = menuItems.pageInfo.endCursor;
  }
}

export interface ExampleOptions {
  url: string;
  email: string;
  password: string;
  /** Rows per page when the example reads the menu back. */
  pageSize?: number;
}

export interface ExampleResult {
  user: { id: string; fullName: string };
  /** The refresh token before and after rotation: only `after` works once REFRESH_REUSE_INTERVAL has passed. */
  refreshTokens: { before: string; after: string };
  createdMenuItem: NonNullable<CreateMenuItemMutation['createMenuItem']>;
  /** The whole menu afterwards, read page by page. */
  menu: { items: MenuItemFieldsFragment[]; pages: number };
}

export async function runExample({ url, email, password, pageSize }: ExampleOptions): Promise<ExampleResult> {
  const { login } = await request(url, LoginDocument, { input: { email, password } });
  const { refreshToken: rotated } = await request(url, RefreshTokenDocument, { refreshToken: login.refreshToken });
  const { createMenuItem } = await request(
    url,
    CreateMenuItemDocument,
    { input: { name: 'Lemonade', price: 249, description: 'Fresh and cold', image: 'https://example.com/lemonade.png' } },
    rotated.accessToken,
  );
  // A guarded field answers null only with an error beside it, which request() has already thrown.
  if (!createMenuItem) throw new GraphQLRequestError('createMenuItem answered null', undefined);
  const menu = await readWholeMenu(url, pageSize);
  return { user: rotated.user, refreshTokens: { before: login.refreshToken, after: rotated.refreshToken }, createdMenuItem: createMenuItem, menu };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://localhost:4000/graphql' },
      email: { type: 'string', default: 'menu@example.com' },
      password: { type: 'string', default: 'menu-password-dev' },
    },
  });
  const result = await runExample({ url: values.url, email: values.email, password: values.password });
  console.log(`Signed in as ${result.user.fullName} (${result.user.id})`);
  console.log('Rotated the refresh token: the first one is refused once the reuse interval (30 s) has passed');
  console.log(`Created menu item ${result.createdMenuItem.id}: ${result.createdMenuItem.name}, ${result.createdMenuItem.price} cents`);
  console.log(`Read the menu back: ${result.menu.items.length} items in ${result.menu.pages} page(s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof GraphQLRequestError ? `${error.code ?? 'ERROR'}: ${error.message}` : error);
    process.exit(1);
  });
}
