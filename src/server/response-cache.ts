/**
 * The response cache: whole query answers, shared only by viewers whose permissions give the same
 * answer, dropped by type when a mutation touches that type. In memory, or in Redis (REDIS_URL) so
 * that a write through one instance is seen by the next read on any other.
 *
 * What may be cached is decided from the operation alone, before any viewer: a query whose every
 * guard is `@hasPermission` (or none, `@public`) and whose root fields return objects. `@auth`
 * fields (`me`, `myTasks`: the answer depends on who asks) and `@ownerOrPermission` ones are never
 * cached. An answer with an error is never stored, nor one whose resolvers read the viewer.
 *
 * Invalidation is by version: each type has a counter, an entry's key holds the counters of the
 * types it touches, and a mutation increments the counters of the types it returns and of every
 * type that embeds them (lists, connections). A stale entry is then never looked up again; a read
 * that raced the write stores under the old counters, where nobody looks.
 *
 * The key holds only the variables the operation declares (junk variables cannot mint new entries),
 * an answer larger than `maxEntryBytes` is not stored, and in Redis the bytes stored per key prefix
 * are bounded too: at most `maxBytes` over any TTL (half of it per TTL-long window).
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  printSchema,
} from 'graphql';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { connectRedis } from '../kernel/optional-packages.js';
import type { Viewer } from '../kernel/viewer.js';
import { apolloJson, jsonOperationOf, sendJsonAnswer, type JsonOperation } from './json-operation.js';
import { permissionFingerprint, type Planner } from '../authz/planner/planner.js';
import { findOperation } from '../authz/planner/analyze.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';

export interface ResponseCacheOptions {
  ttlSeconds: number;
  /** The most the stored bodies may take: in memory, or per key prefix in Redis. */
  maxBytes: number;
  /** An answer larger than this is not stored (256 KiB when unset). */
  maxEntryBytes?: number;
  /** Set: entries and type versions live in Redis, shared by every instance. */
  redisUrl?: string;
  /** Redis keys start with it: deployments sharing one Redis must each have their own. */
  keyPrefix: string;
  logger: Logger;
  metrics: Metrics;
}

/** A stored answer: its UTF-8 bytes in memory (encoded once, not on every hit), a string from Redis. */
type StoredBody = string | Buffer;

/** Where entries and type versions live. `versions` and `get` are one round trip in Redis. */
interface Store {
  /** The current versions of `tags`, and the entry stored under `key` at those versions. */
  lookup(key: string, tags: readonly string[]): Promise<{ versions: string; body: StoredBody | undefined }>;
  set(key: string, versions: string, body: string): Promise<void>;
  invalidate(tags: readonly string[]): Promise<void>;
  /** Resolves once commands can be sent (at once in memory); rejects after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

class MemoryStore implements Store {
  private readonly versions = new Map<string, number>();
  private readonly entries: LRUCache<string, Buffer>;

  constructor(ttlSeconds: number, maxBytes: number) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (body) => body.length || 1, ttl: ttlSeconds * 1000 });
  }

  async lookup(key: string, tags: readonly string[]) {
    const versions = tags.map((tag) => this.versions.get(tag) ?? 0).join('.');
    return { versions, body: this.entries.get(`${key}:${versions}`) };
  }

  async set(key: string, versions: string, body: string) {
    this.entries.set(`${key}:${versions}`, Buffer.from(body, 'utf8'));
  }

  async invalidate(tags: readonly string[]) {
    for (const tag of tags) this.versions.set(tag, (this.versions.get(tag) ?? 0) + 1);
  }

  async ready() {}

  async close() {}
}

/** KEYS: the tags' version keys; ARGV[1]: the entry key. Returns the versions and the entry (nil when absent). */
const LOOKUP_SCRIPT = `
local parts = {}
for i, key in ipairs(KEYS) do parts[i] = redis.call('GET', key) or '0' end
local versions = table.concat(parts, '.')
return { versions, redis.call('GET', ARGV[1] .. ':' .. versions) }
`;

/**
 * KEYS[1]: the entry, KEYS[2]: the current window's byte count. ARGV: body, its size, the
 * window's allowance, the TTL. Counts the body against the window, and stores it only within it.
 */
const STORE_SCRIPT = `
local used = redis.call('INCRBY', KEYS[2], ARGV[2])
if used == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[2], 2 * tonumber(ARGV[4])) end
if used > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[4])
return 1
`;

class RedisStore implements Store {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly ttlSeconds: number,
    private readonly prefix: string,
    private readonly maxBytes: number,
    logger: Logger,
  ) {
    // As the login throttle's connection: no offline queue, so an unreachable Redis fails fast and the cache steps aside.
    this.redis = connectRedis(url, { enableOfflineQueue: false });
    // Once per outage, as the login throttle does: every request would otherwise log it.
    let available = true;
    this.redis.on('error', (error: Error) => {
      if (!available) return;
      available = false;
      logger.warn({ err: error }, 'response cache bypassed: its Redis does not answer');
    });
    this.redis.on('ready', () => {
      if (available) return;
      available = true;
      logger.info('response cache: Redis answers again');
    });
  }

  async lookup(key: string, tags: readonly string[]) {
    const [versions, body] = (await this.redis.eval(LOOKUP_SCRIPT, tags.length, ...tags.map(this.versionKey), this.entryKey(key))) as [string, string | null];
    return { versions, body: body ?? undefined };
  }

  /**
   * Stores within the budget: entries live one TTL, so the bytes stored in the current and the
   * previous TTL-long window are all that can be live; each window may take half the budget.
   */
  async set(key: string, versions: string, body: string) {
    const window = Math.floor(Date.now() / 1000 / this.ttlSeconds);
    const windowKey = `${this.prefix}:budget:${window}`;
    await this.redis.eval(STORE_SCRIPT, 2, `${this.entryKey(key)}:${versions}`, windowKey, body, Buffer.byteLength(body), Math.floor(this.maxBytes / 2), this.ttlSeconds);
  }

  async invalidate(tags: readonly string[]) {
    const pipeline = this.redis.pipeline();
    for (const tag of tags) pipeline.incr(this.versionKey(tag));
    const failed = (await pipeline.exec())?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async ready(timeoutMs: number) {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the response cache's Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close() {
    this.redis.disconnect();
  }

  private readonly versionKey = (tag: string) => `${this.prefix}:version:${tag}`;
  private readonly entryKey = (key: string) => `${this.prefix}:entry:${key}`;
}


/** A cacheable query: the types it touches, sorted (its tags), its operation's name as Apollo reports it, and the variables it declares. */
interface Shape {
  tags: readonly string[];
  operationName: string | null;
  variables: readonly string[];
}

/** A lookup that missed: where to store the answer, at the versions read before executing. */
export interface PendingEntry {
  key: string;
  versions: string;
}

const DEFAULT_MAX_ENTRY_BYTES = 256 * 1024;

/** A miss found before Apollo ran (the HTTP fast path), handed to the executor on the context. */
const PENDING = Symbol('response cache miss');

/** What the executor gets for a query: a stored answer, or where to store the one it computes. */
export type QueryLookup = { hit: ExecutionResult } | { miss: PendingEntry };

export class ResponseCache {
  private readonly backend: Store;
  /** Per schema: a new build's answers never meet an old build's entries in a shared Redis. */
  private readonly schemaId: string;
  /** Cacheability by document and operation name (false: not cacheable), learned as operations execute. */
  private readonly shapes = new LRUCache<string, Shape | false>({ max: 2000 });
  /** The sha256 of query texts the HTTP fast path has seen (Apollo's queryHash), so a hit hashes no text; at most 2 MB of texts. */
  private readonly documentKeys = new LRUCache<string, string>({ maxSize: 2 * 1024 * 1024, sizeCalculation: (_hash, text) => text.length || 1 });
  /** Keys already computed, by what they hash, so that a repeated read hashes nothing; at most 2 MB of it. */
  private readonly keys = new LRUCache<string, string>({ maxSize: 2 * 1024 * 1024, sizeCalculation: (_key, material) => material.length || 1 });
  private readonly mutationTags = new WeakMap<DocumentNode, Map<string, readonly string[]>>();
  /** Types from which each type can be reached through fields: what a change to it may show up in. */
  private readonly embedders: Map<string, Set<string>>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly planner: Planner,
    private readonly options: ResponseCacheOptions,
  ) {
    this.backend = options.redisUrl ? new RedisStore(options.redisUrl, options.ttlSeconds, options.keyPrefix, options.maxBytes, options.logger) : new MemoryStore(options.ttlSeconds, options.maxBytes);
    this.schemaId = createHash('sha256').update(printSchema(schema)).digest('base64url').slice(0, 16);
    this.embedders = embeddersOf(schema);
  }

  /**
   * The key of one answer: the operation, the permission set (never the viewer's identity) and the
   * declared variables that were given, in the order of their definitions. Anything else a request
   * sends as a variable changes nothing in the answer, so it must not change the key.
   */
  private keyFor(documentKey: string, operationName: string | null | undefined, viewer: Viewer | null, variables: unknown, declared: readonly string[]): string {
    const given = (variables ?? {}) as Record<string, unknown>;
    const used = declared.filter((name) => Object.hasOwn(given, name)).map((name) => [name, given[name]]);
    const material = `${this.schemaId}\n${documentKey}\n${operationName ?? ''}\n${permissionFingerprint(viewer)}\n${JSON.stringify(used)}`;
    let key = this.keys.get(material);
    if (key === undefined) this.keys.set(material, (key = createHash('sha256').update(material).digest('base64url')));
    return key;
  }

  private shapeOf(document: DocumentNode, operationName: string | null | undefined, documentKey: string): Shape | false {
    const name = `${documentKey}\n${operationName ?? ''}`;
    const known = this.shapes.get(name);
    if (known !== undefined) return known;
    const analysis = this.planner.analyze(document, operationName, documentKey);
    const cacheable = analysis.operation.operation === 'query' && analysis.guarded.every(({ guard }) => guard.rule === 'hasPermission') && rootFieldsReturnObjects(this.schema, analysis.operation);
    const shape = cacheable && {
      tags: typesTouched(this.schema, document, analysis.operation),
      operationName: analysis.operation.name?.value ?? null,
      variables: (analysis.operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value),
    };
    this.shapes.set(name, shape);
    return shape;
  }

  private async lookup(key: string, tags: readonly string[]): Promise<{ versions: string; body: StoredBody | undefined } | undefined> {
    try {
      const found = await this.backend.lookup(key, tags);
      this.options.metrics.responseCacheLookup(found.body !== undefined);
      return found;
    } catch (error) {
      // The store logs an outage once; a failed lookup is a miss that stores nothing.
      this.options.logger.debug({ err: error }, 'response cache lookup failed');
      return undefined;
    }
  }

  /** For the executor, before a query executes: undefined when the operation is not cacheable. */
  async beforeQuery(request: { document: DocumentNode; operationName: string | null | undefined; documentKey: string; viewer: Viewer | null; variables: unknown; context: object }): Promise<QueryLookup | undefined> {
    const shape = this.shapeOf(request.document, request.operationName, request.documentKey);
    if (!shape) return undefined;
    const pending = (request.context as { [PENDING]?: PendingEntry })[PENDING];
    if (pending) return { miss: pending };
    const key = this.keyFor(request.documentKey, request.operationName, request.viewer, request.variables, shape.variables);
    const found = await this.lookup(key, shape.tags);
    if (!found) return undefined;
    if (found.body !== undefined) return { hit: JSON.parse(found.body.toString()) as ExecutionResult };
    return { miss: { key, versions: found.versions } };
  }

  /** Stores an answer without errors, computed without reading the viewer. */
  async save(entry: PendingEntry, result: ExecutionResult): Promise<void> {
    if (result.errors?.length || result.data == null) return;
    const body = apolloJson(result);
    if (Buffer.byteLength(body) > (this.options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES)) return;
    try {
      await this.backend.set(entry.key, entry.versions, body);
    } catch (error) {
      this.options.logger.debug({ err: error }, 'response cache store failed');
    }
  }

  /** After a mutation executed (even in part): the types it returns, and those embedding them, change version. */
  async afterMutation(document: DocumentNode, operationName: string | null | undefined): Promise<void> {
    let byName = this.mutationTags.get(document);
    if (!byName) this.mutationTags.set(document, (byName = new Map()));
    let tags = byName.get(operationName ?? '');
    if (!tags) {
      const touched = typesTouched(this.schema, document, findOperation(document, operationName));
      tags = [...new Set(touched.flatMap((type) => [type, ...(this.embedders.get(type) ?? [])]))].sort();
      byName.set(operationName ?? '', tags);
    }
    try {
      await this.backend.invalidate(tags);
    } catch (error) {
      // The entries of these types now live until their TTL: say so loudly.
      this.options.logger.error({ err: error, types: tags }, 'response cache invalidation failed: cached answers of these types may be stale until their TTL');
    }
  }

  /**
   * Before Apollo: the stored answer of a JSON operation already known to be cacheable, for the
   * viewer `viewerOf` resolves to, or the miss the executor should fill. Undefined for anything
   * else (an operation not known to be cacheable, bad credentials, a store that does not answer):
   * Apollo answers it as it always does.
   */
  async find(operation: JsonOperation, viewerOf: () => Promise<Viewer | null>): Promise<{ hit: CacheHit } | { miss: PendingEntry } | undefined> {
    const { operationName } = operation;
    let documentKey = this.documentKeys.get(operation.query);
    if (documentKey === undefined) this.documentKeys.set(operation.query, (documentKey = createHash('sha256').update(operation.query).digest('hex')));
    const shape = this.shapes.get(`${documentKey}\n${operationName ?? ''}`);
    if (!shape) return undefined;
    let viewer: Viewer | null;
    try {
      viewer = await viewerOf();
    } catch {
      return undefined;
    }
    const key = this.keyFor(documentKey, operationName, viewer, operation.variables, shape.variables);
    const found = await this.lookup(key, shape.tags);
    if (!found) return undefined;
    if (found.body === undefined) return { miss: { key, versions: found.versions } };
    return { hit: { body: found.body, viewer, operationName: shape.operationName } };
  }

  /**
   * The HTTP fast path, before Apollo: a JSON POST of a query already known to be cacheable is
   * answered from the cache with the bytes Apollo would send. Anything else, and every miss, goes on
   * to Apollo (with the viewer and the miss carried in `res.locals` for the context). A request the
   * front door already looked up (`responseCacheChecked`) goes straight on.
   */
  middleware(viewerOf: (req: Request, res: Response) => Promise<Viewer | null>, onHit: (req: Request, hit: CacheHit, started: number) => string): RequestHandler {
    return async (req, res, next) => {
      const started = performance.now();
      if (res.locals.responseCacheChecked) return next();
      const operation = jsonOperationOf(req);
      const found = operation && (await this.find(operation, () => viewerOf(req, res)));
      if (!found) return next();
      if ('miss' in found) {
        res.locals.responseCacheMiss = found.miss;
        return next();
      }
      sendJsonAnswer(res, found.hit.body, onHit(req, found.hit, started));
    };
  }

  /** For the context function: hands the fast path's miss on to the executor. */
  carry(locals: Record<string, unknown>, context: object): void {
    const miss = locals.responseCacheMiss as PendingEntry | undefined;
    // On the context itself: Apollo hands the executor a shallow copy of it, which keeps symbol-keyed properties.
    if (miss) (context as { [PENDING]?: PendingEntry })[PENDING] = miss;
  }

  /** For a short-lived process (the CLI): waits until the store takes commands. */
  ready(timeoutMs = 5_000): Promise<void> {
    return this.backend.ready(timeoutMs);
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/** A hit: the stored answer's bytes, and for the log, who asked what. */
export interface CacheHit {
  body: StoredBody;
  viewer: Viewer | null;
  operationName: string | null;
}

/** Root fields answering a scalar have no type a mutation could name: such queries are not cached. */
function rootFieldsReturnObjects(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const query = schema.getQueryType();
  return operation.selectionSet.selections.every((selection) => {
    if (selection.kind !== Kind.FIELD) return false;
    if (selection.name.value === '__typename') return true;
    const field = query?.getFields()[selection.name.value];
    if (!field) return false;
    const type = getNamedType(field.type);
    return isObjectType(type) || isAbstractType(type);
  });
}

/** Every object type an operation selects (abstract ones as their possible types), root types left out. */
function typesTouched(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  const types = new Set<string>();
  const add = (type: GraphQLNamedType) => {
    if (isAbstractType(type)) for (const possible of schema.getPossibleTypes(type)) types.add(possible.name);
    else if (isObjectType(type) && !roots.has(type.name)) types.add(type.name);
  };
  const typeInfo = new TypeInfo(schema);
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  visit(
    { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] },
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (type) add(getNamedType(type));
      },
    }),
  );
  return [...types].sort();
}

function embeddersOf(schema: GraphQLSchema): Map<string, Set<string>> {
  const direct = new Map<string, Set<string>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      const targets = isAbstractType(target) ? schema.getPossibleTypes(target) : isObjectType(target) ? [target] : [];
      for (const reached of targets) {
        if (!direct.has(reached.name)) direct.set(reached.name, new Set());
        direct.get(reached.name)!.add(type.name);
      }
    }
  }
  const closure = new Map<string, Set<string>>();
  for (const name of direct.keys()) {
    const seen = new Set<string>();
    const stack = [...(direct.get(name) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    closure.set(name, seen);
  }
  return closure;
}
