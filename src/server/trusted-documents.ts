/**
 * Trusted documents: the manifest codegen writes (client/generated/trusted-documents.json), loaded
 * at start-up, and the Express middleware on /graphql that, before anything is parsed, swaps a
 * document's hash (`documentId`, or Apollo's `extensions.persistedQuery`) for its text and, in
 * `enforce` mode, refuses any other document unless the caller holds a permission allowed to send
 * arbitrary ones.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseUrl } from 'node:url';
import type { Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import type { Viewer } from '../kernel/viewer.js';
import type { Logger } from '../logger.js';

/** The manifest codegen writes, beside the server's code (src/server or dist/server alike). */
export const DEFAULT_MANIFEST = new URL('../../client/generated/trusted-documents.json', import.meta.url);

export class TrustedDocumentsError extends Error {
  override name = 'TrustedDocumentsError';
}

interface ManifestEntry {
  document: string;
  operationName: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The documents of the manifest, by the sha256 hex of their text (which is also Apollo's queryHash for them). */
export class TrustedDocuments {
  private constructor(private readonly byHash: ReadonlyMap<string, ManifestEntry>) {}

  static fromManifest(manifest: Record<string, ManifestEntry>): TrustedDocuments {
    const byHash = new Map<string, ManifestEntry>();
    for (const [hash, entry] of Object.entries(manifest)) {
      if (typeof entry?.document !== 'string' || sha256(entry.document) !== hash) throw new TrustedDocumentsError(`trusted documents manifest: entry ${hash} does not hash to its key`);
      byHash.set(hash, { document: entry.document, operationName: entry.operationName });
    }
    return new TrustedDocuments(byHash);
  }

  /** `mode` off tolerates a missing manifest (nothing is trusted); log and enforce need it. */
  static load(path: string | URL | undefined, mode: Config['trustedDocuments']['mode']): TrustedDocuments {
    let text: string;
    try {
      text = readFileSync(path ?? DEFAULT_MANIFEST, 'utf8');
    } catch (error) {
      if (mode === 'off') return new TrustedDocuments(new Map());
      throw new TrustedDocumentsError(`TRUSTED_DOCUMENTS=${mode} needs the manifest, and ${String(path ?? DEFAULT_MANIFEST.pathname)} cannot be read (${(error as Error).message}); run npm run codegen and ship client/generated/trusted-documents.json`);
    }
    try {
      return TrustedDocuments.fromManifest(JSON.parse(text) as Record<string, ManifestEntry>);
    } catch (error) {
      if (error instanceof TrustedDocumentsError) throw error;
      throw new TrustedDocumentsError(`trusted documents manifest ${String(path ?? DEFAULT_MANIFEST.pathname)} is not valid JSON`);
    }
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The document of `hash` (bare hex, or "sha256:<hex>" as a documentId carries it). */
  get(hash: string): ManifestEntry | undefined {
    return this.byHash.get(hash.replace(/^sha256:/, ''));
  }

  /** Whether the text Apollo runs, by its queryHash, is one of the manifest's documents. */
  has(queryHash: string | undefined): boolean {
    return queryHash !== undefined && this.byHash.has(queryHash);
  }

  /** The documentId ("sha256:<hex>") of the manifest's operation of that name, if it has one. */
  idOf(operationName: string): string | undefined {
    for (const [hash, entry] of this.byHash) if (entry.operationName === operationName) return `sha256:${hash}`;
    return undefined;
  }

  /** Whether `text` is exactly a manifest document. */
  hasText(text: string): boolean {
    return this.byHash.get(sha256(text))?.document === text;
  }
}

export interface TrustedDocumentsOptions {
  /** The decision, shared with the front door's early answers so that an unknown document is logged once. */
  gate: TrustedDocumentsGate;
  allowArbitrary: readonly string[];
  /** The request's viewer, verified once per request (the context reuses it); rejects on a bad token. */
  viewerOf: (req: Request, res: Response) => Promise<Viewer | null>;
}

function refuse(res: Response, code: string, message: string): void {
  res.status(400).json({ errors: [{ message, extensions: { code } }] });
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A request's GraphQL parameters, read as Apollo will read them, and a way to write them back. */
function parameters(req: Request) {
  if (req.method === 'GET') {
    const url = parseUrl(req.url);
    const search = new URLSearchParams(url.search ?? '');
    let extensions: unknown;
    try {
      extensions = search.has('extensions') ? JSON.parse(search.get('extensions')!) : undefined;
    } catch {
      // Apollo answers malformed extensions itself.
    }
    return {
      query: search.get('query') ?? undefined,
      operationName: search.get('operationName') ?? undefined,
      documentId: search.get('documentId') ?? undefined,
      extensions,
      replace(query: string, remainingExtensions: Record<string, unknown> | undefined) {
        search.set('query', query);
        search.delete('documentId');
        if (remainingExtensions) search.set('extensions', JSON.stringify(remainingExtensions));
        else search.delete('extensions');
        req.url = `${url.pathname ?? ''}?${search.toString()}`;
      },
    };
  }
  return jsonBodyParameters(isRecord(req.body) ? req.body : {});
}

/** The GraphQL parameters of a JSON POST's body, and a way to write them back into it. */
export function jsonBodyParameters(body: Record<string, unknown>) {
  return {
    query: body.query,
    operationName: body.operationName,
    documentId: body.documentId,
    extensions: body.extensions,
    replace(query: string, remainingExtensions: Record<string, unknown> | undefined) {
      body.query = query;
      delete body.documentId;
      if (remainingExtensions) body.extensions = remainingExtensions;
      else delete body.extensions;
    },
  };
}

/** A request's document as a client sends it: its text, and/or a hash (`documentId`, or Apollo's `extensions.persistedQuery`). */
export interface DocumentRequest {
  query: unknown;
  operationName: unknown;
  documentId: unknown;
  extensions: unknown;
}

/**
 * What the gate decided: run (with the document's text put in place of its hash when `replace` is
 * set, and no persisted-query extension left), pass the request on untouched, or refuse it.
 */
export type GateDecision =
  | { outcome: 'pass' }
  | { outcome: 'replace'; query: string; extensions: Record<string, unknown> | undefined }
  | { outcome: 'refuse'; code: 'PERSISTED_QUERY_NOT_FOUND' | 'TRUSTED_DOCUMENT_REQUIRED'; message: string };

/**
 * The trusted-documents decision for one request, whatever its transport (the HTTP middleware
 * below, and graphql-ws `subscribe` messages). `mayRunArbitrary` is asked only when it matters.
 */
export function trustedDocumentsGate({ mode, documents, logger }: { mode: Config['trustedDocuments']['mode']; documents: TrustedDocuments; logger: Logger }) {
  // Each unknown document is logged once; the cache bounds what a client inventing documents can grow.
  const logged = new LRUCache<string, true>({ max: 10_000 });

  return async (request: DocumentRequest, mayRunArbitrary: () => Promise<boolean>): Promise<GateDecision> => {
    const persistedQuery = isRecord(request.extensions) && isRecord(request.extensions.persistedQuery) ? request.extensions.persistedQuery : undefined;
    const hash = typeof request.documentId === 'string' ? request.documentId : typeof persistedQuery?.sha256Hash === 'string' ? persistedQuery.sha256Hash : undefined;
    const query = typeof request.query === 'string' ? request.query : undefined;

    const { persistedQuery: _hash, ...otherExtensions } = isRecord(request.extensions) ? request.extensions : {};
    const withoutHash = Object.keys(otherExtensions).length > 0 ? otherExtensions : undefined;

    if (hash !== undefined) {
      const entry = documents.get(hash);
      if (entry && (query === undefined || query === entry.document)) return { outcome: 'replace', query: entry.document, extensions: withoutHash };
      // Outside enforce mode an unknown Apollo hash is Apollo's (automatic persisted queries); a documentId is ours alone.
      if (query === undefined && (mode === 'enforce' || persistedQuery === undefined)) {
        return { outcome: 'refuse', code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' };
      }
    }

    if (query === undefined || mode === 'off' || documents.hasText(query)) return { outcome: 'pass' };
    if (mode === 'log') {
      const documentHash = createHash('sha256').update(query).digest('hex');
      if (!logged.has(documentHash)) {
        logged.set(documentHash, true);
        const operationName = typeof request.operationName === 'string' ? request.operationName : (/^\s*(?:query|mutation|subscription)\s+(\w+)/m.exec(query)?.[1] ?? null);
        logger.warn({ documentHash, operationName }, 'unknown document (not in the trusted documents manifest)');
      }
      return { outcome: 'pass' };
    }
    if (await mayRunArbitrary()) {
      // Apollo must not register it as a persisted query: it would then run by hash for anyone.
      return persistedQuery ? { outcome: 'replace', query, extensions: withoutHash } : { outcome: 'pass' };
    }
    return { outcome: 'refuse', code: 'TRUSTED_DOCUMENT_REQUIRED', message: 'Only trusted documents run here: send the hash of a document of the manifest (documentId or extensions.persistedQuery)' };
  };
}

export type TrustedDocumentsGate = ReturnType<typeof trustedDocumentsGate>;

/** Whether `viewer` holds a permission that may send documents outside the manifest. */
export const holdsArbitraryPermission = (viewer: Viewer | null, allowArbitrary: readonly string[]): boolean =>
  Boolean(viewer && allowArbitrary.some((permission) => viewer.permissions.has(permission)));

/**
 * Express middleware for /graphql, before Apollo. A known hash becomes its document (and the
 * request then carries no persisted-query extension, so Apollo neither looks it up nor registers
 * it). In `enforce` mode any other document is refused with TRUSTED_DOCUMENT_REQUIRED, and an
 * unknown hash with PERSISTED_QUERY_NOT_FOUND (HTTP 400 both), unless the caller's token holds one
 * of `allowArbitrary`; a bad token is left to the context, which answers 401 before Apollo parses.
 */
export function trustedDocumentsMiddleware({ gate, allowArbitrary, viewerOf }: TrustedDocumentsOptions): RequestHandler {
  const mayRunArbitrary = async (req: Request, res: Response): Promise<boolean> => {
    if (allowArbitrary.length === 0) return false;
    try {
      return holdsArbitraryPermission(await viewerOf(req, res), allowArbitrary);
    } catch {
      // A bad token: the context rejects it (401) before anything is parsed.
      return true;
    }
  };

  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    const request = parameters(req);
    const decision = await gate(request, () => mayRunArbitrary(req, res));
    if (decision.outcome === 'refuse') return refuse(res, decision.code, decision.message);
    if (decision.outcome === 'replace') request.replace(decision.query, decision.extensions);
    next();
  };
}
