/**
 * What the paths that answer before Apollo (the response cache's hits, the compiled-query fast path)
 * take on: a JSON POST whose body is one plain operation and whose client accepts the JSON Apollo
 * would send. Anything else (GET, batches, extensions such as persisted queries, other media types,
 * malformed fields) is left to Apollo, which answers it as it always does.
 */
import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { ExecutionResult } from 'graphql';

export interface JsonOperation {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown> | undefined;
}

/** The request's operation, or undefined when Apollo must have it. */
export function jsonOperationOf(req: Request): JsonOperation | undefined {
  return req.method === 'POST' ? jsonOperationOfBody(req.body, req.headers.accept) : undefined;
}

/** The operation of a JSON POST's parsed body, whose client sent `accept`; undefined when Apollo must have it. */
export function jsonOperationOfBody(body: unknown, accept: string | undefined): JsonOperation | undefined {
  const fields = body as { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown } | undefined;
  if (!fields || typeof fields.query !== 'string' || fields.extensions !== undefined || !acceptsJson(accept)) return undefined;
  // Variables that are not an object are Apollo's to refuse.
  if (fields.variables != null && (typeof fields.variables !== 'object' || Array.isArray(fields.variables))) return undefined;
  const operationName = typeof fields.operationName === 'string' ? fields.operationName : fields.operationName == null ? null : undefined;
  if (operationName === undefined) return undefined;
  return { query: fields.query, operationName, variables: (fields.variables ?? undefined) as Record<string, unknown> | undefined };
}

/** Apollo's JSON for an answer without errors: its body, byte for byte (prettyJSONStringify). */
export const apolloJson = (result: ExecutionResult) => `${JSON.stringify({ data: result.data })}\n`;

/** Sends `result` (without errors) as Apollo would, without concatenating (and so copying) its JSON with the final newline. */
export function sendResultAnswer(res: ServerResponse, result: ExecutionResult, requestId: string): void {
  sendJsonAnswer(res, JSON.stringify({ data: result.data }), requestId, '\n');
}

/**
 * Sends a 200 JSON answer given before Apollo, with the headers Apollo's answer gets from Express
 * (whatever the response already carries — helmet's, CORS's — stays): written directly, since
 * Express's `send` copies the body into a Buffer first, to look for an ETag that is off.
 */
export function sendJsonAnswer(res: ServerResponse, body: string | Buffer, requestId: string, ending = ''): void {
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body) + Buffer.byteLength(ending));
  res.setHeader('x-request-id', requestId);
  if (!ending) {
    res.end(body);
    return;
  }
  // Corked: the headers, the body and its ending leave in one write.
  res.cork();
  res.write(body);
  res.end(ending, 'utf8');
  res.uncork();
}

/** Apollo answers `application/json` when there is no Accept header or it asks for JSON; other negotiations stay Apollo's. */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return /^\s*(application\/json|\*\/\*)\s*(;[^,]*)?$/i.test(accept);
}
