/**
 * The one place that reads the environment. Everything is parsed and validated once, at
 * start-up, into a typed `Config`; a wrong value stops the server with a line naming it.
 */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ALL_PERMISSIONS, isPermission, type Permission } from './kernel/permissions.js';

/**
 * ⚠ Development defaults. They exist so that `npm start` works on a fresh clone (its npm script
 * sets NODE_ENV=development), and apply only when NODE_ENV is development or test: unset is production.
 */
export const DEVELOPMENT_DEFAULTS = {
  jwtSecret: 'dev-only-insecure-jwt-secret-change-me-0123456789',
  seedPasswords: {
    admin: 'admin-password-dev',
    menu: 'menu-password-dev',
    user: 'user-password-dev',
  },
} as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "900", "900s", "15m", "12h", "30d" → seconds (the format is checked before). */
function toSeconds(value: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim())!;
  return Number(match[1]) * DURATION_UNITS[match[2] || 's']!;
}

const duration = z
  .string()
  .trim()
  .regex(/^\d+\s*[smhd]?$/, 'expected a duration such as 900, 15m, 12h or 30d')
  .transform(toSeconds)
  .refine((seconds) => seconds > 0, 'must be greater than zero');

/** A duration where 0 means "off". */
const durationOrOff = z
  .string()
  .trim()
  .regex(/^\d+\s*[smhd]?$/, 'expected a duration such as 0 (off), 30s or 1m')
  .transform(toSeconds);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();

/**
 * libuv threads that hashing may never take: DNS lookups (getaddrinfo, e.g. a database host
 * name), file reads and async crypto queue there too. libuv reads UV_THREADPOOL_SIZE once, when
 * its pool starts, which for an ESM program is before any of our code runs: it can only be set
 * in the environment that starts node, so the configuration checks hashing against it instead.
 */
export const SPARE_LIBUV_THREADS = 2;

/**
 * Argon2id hashes allowed at once when PASSWORD_HASH_CONCURRENCY is unset. A hash holds a core
 * for its whole duration, so one core is always left to the event loop (on 2 cores, 2 hashes at
 * once quadrupled the p99 of concurrent reads; BENCHMARKS.md, target 4), and the pool keeps its
 * spare threads.
 */
export function defaultPasswordHashConcurrency(threadPoolSize: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, threadPoolSize - SPARE_LIBUV_THREADS));
}

/** "5/15m": at most 5 within 15 minutes (and, once exceeded, blocked for 15 minutes). */
const rateLimit = z
  .string()
  .trim()
  .regex(/^\d+\s*\/\s*\d+\s*[smhd]?$/, 'expected attempts/window such as 5/15m or 60/1m')
  .transform((value) => {
    const [points, window] = value.split('/') as [string, string];
    return { points: Number(points.trim()), durationSeconds: toSeconds(window) };
  })
  .refine(({ points, durationSeconds }) => points > 0 && durationSeconds > 0, 'must allow at least one attempt in a window longer than zero');
export type RateLimitSetting = z.output<typeof rateLimit>;

/** Express's "trust proxy": false, true, a hop count, or a comma list of addresses, subnets and loopback/linklocal/uniquelocal. */
const trustProxy = z
  .string()
  .trim()
  .refine(
    (value) =>
      /^(true|false|\d+)$/.test(value) ||
      value.split(',').every((entry) => {
        const [address, bits] = entry.trim().split('/');
        return ['loopback', 'linklocal', 'uniquelocal'].includes(entry.trim()) || (isIP(address ?? '') !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
      }),
    'expected true, false, a hop count, or a comma list of IP addresses, subnets, loopback, linklocal or uniquelocal',
  )
  .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value));

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (url) => /^(postgres|postgresql):\/\/[^\s]+$/.test(url) || /^pglite:.+$/.test(url) || url === 'memory:',
    'expected postgres://…, postgresql://…, pglite:<directory> or memory:',
  )
  .refine((url) => !/^postgres/.test(url) || URL.canParse(url), 'is not a valid URL');

const externalIssuer = z.object({
  issuer: z.string().url(),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  jwksUri: z.string().url(),
  algorithms: z
    .array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']))
    .min(1)
    .default(['RS256']),
  /** Where the token carries its permissions: Auth0 RBAC's `permissions` array, or the space-separated `scope`. */
  permissionsClaim: z.enum(['permissions', 'scope']).default('permissions'),
  /** The most this issuer may grant: a token's other permissions are ignored. */
  grants: z
    .array(z.string().refine(isPermission, { error: (issue) => `unknown permission "${String(issue.input)}"; expected one of: ${ALL_PERMISSIONS.join(', ')}` }))
    .default([...ALL_PERMISSIONS])
    .transform((grants) => grants as Permission[]),
});
export type ExternalIssuerConfig = z.infer<typeof externalIssuer>;

const environment = z.object({
  // Unset means production: a bare `node dist/main.js` must not run on the published development secret.
  NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_POOL_SIZE: positiveInt.default(10),

  JWT_ALGORITHM: z.enum(['HS256', 'RS256', 'ES256']).default('HS256'),
  JWT_SECRET: z.string().optional(),
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_KEY_ID: z.string().min(1).optional(),
  JWT_PREVIOUS_SECRETS: z.string().optional(),
  JWT_PREVIOUS_PUBLIC_KEYS: z.string().optional(),
  JWT_ISSUER: z.string().url().default('http://localhost:4000/'),
  JWT_AUDIENCE: z.string().min(1).default('secure-graphql-api'),
  JWT_CLOCK_TOLERANCE: z.coerce.number().int().min(0).max(300).default(5),
  ACCESS_TOKEN_TTL: duration.default(15 * 60),
  REFRESH_TOKEN_TTL: duration.default(30 * 86400),
  REFRESH_REUSE_INTERVAL: durationOrOff.prefault('30s'),

  AUTH0_DOMAIN: z.string().trim().min(1).optional(),
  AUTH0_AUDIENCE: z.string().trim().min(1).optional(),
  OIDC_ISSUERS: z.string().optional(),
  OIDC_JWKS_CACHE_MAX_AGE: duration.default(10 * 60),
  OIDC_IDENTITY_CACHE_TTL: duration.default(30),

  SEED_DEMO_DATA: booleanFlag.optional(),
  SEED_ADMIN_PASSWORD: z.string().min(8).optional(),
  SEED_MENU_PASSWORD: z.string().min(8).optional(),
  SEED_USER_PASSWORD: z.string().min(8).optional(),

  PASSWORD_HASH_CONCURRENCY: positiveInt.optional(),
  // Read by libuv itself when the process starts (4 is its default); here only to check hashing leaves threads free.
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).default(4),
  // See src/heap.ts; 0 leaves V8's own heuristics.
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(50),

  CLIENT_ORIGIN_URL: z.string().default('http://localhost:3000,http://localhost:4040'),
  INTROSPECTION: booleanFlag.optional(),
  REDIS_URL: z.string().url().optional(),

  AUTHZ_UNAUTHORIZED: z.enum(['filter', 'reject']).default('filter'),
  GRAPHQL_EXECUTOR: z.enum(['jit', 'graphql-js']).default('jit'),
  RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
  RESPONSE_CACHE_TTL_SECONDS: positiveInt.default(30),
  RESPONSE_CACHE_MAX_MB: positiveInt.default(64),
  RESPONSE_CACHE_KEY_PREFIX: z.string().trim().min(1).max(100).default('response-cache'),

  // Unsuffixed: the signed-in tier (their names before the tiers came). Anonymous and trusted-document defaults below.
  GRAPHQL_MAX_DEPTH: positiveInt.default(8),
  GRAPHQL_MAX_ALIASES: positiveInt.default(15),
  GRAPHQL_MAX_COST: positiveInt.default(5000),
  GRAPHQL_MAX_PAGE_SIZE: positiveInt.default(100),
  GRAPHQL_MAX_DEPTH_ANONYMOUS: positiveInt.optional(),
  GRAPHQL_MAX_ALIASES_ANONYMOUS: positiveInt.optional(),
  GRAPHQL_MAX_COST_ANONYMOUS: positiveInt.optional(),
  GRAPHQL_MAX_DEPTH_TRUSTED: positiveInt.optional(),
  GRAPHQL_MAX_ALIASES_TRUSTED: positiveInt.optional(),
  GRAPHQL_MAX_TOKENS: positiveInt.default(1000),
  GRAPHQL_MAX_DIRECTIVES: positiveInt.default(10),
  GRAPHQL_MAX_QUERY_LENGTH: positiveInt.default(10_000),
  GRAPHQL_MAX_BODY_BYTES: positiveInt.default(100 * 1024),
  HTTP_MAX_HEADER_BYTES: z.coerce.number().int().min(1024).default(16 * 1024),
  TRUST_PROXY: trustProxy.default('loopback'),

  TRUSTED_DOCUMENTS: z.enum(['off', 'log', 'enforce']).optional(),
  TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: z.string().optional(),
  TRUSTED_DOCUMENTS_MANIFEST: z.string().trim().min(1).optional(),

  RATE_LIMIT_LOGIN_ACCOUNT_IP: rateLimit.prefault('5/15m'),
  RATE_LIMIT_LOGIN_ACCOUNT: rateLimit.prefault('50/1h'),
  RATE_LIMIT_LOGIN_IP: rateLimit.prefault('50/15m'),
  RATE_LIMIT_SIGNUP_ACCOUNT: rateLimit.prefault('5/1h'),
  RATE_LIMIT_SIGNUP_IP: rateLimit.prefault('10/1h'),
  RATE_LIMIT_REFRESH_ACCOUNT: rateLimit.prefault('30/1m'),
  RATE_LIMIT_REFRESH_IP: rateLimit.prefault('60/1m'),
  RATE_LIMIT_KEY_PREFIX: z.string().trim().min(1).max(100).default('throttle'),

  // --- issue 22 settings --- (subscriptions over graphql-ws; README "Subscriptions")
  SUBSCRIPTIONS_MAX_PER_SOCKET: positiveInt.default(20),
  SUBSCRIPTIONS_MAX_SOCKETS_PER_VIEWER: positiveInt.default(10),
  SUBSCRIPTIONS_MAX_SOCKETS_PER_ADDRESS: positiveInt.default(100),
  SUBSCRIPTIONS_KEEPALIVE: durationOrOff.prefault('12s'),
  SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT: duration.default(3),
  SUBSCRIPTIONS_MAX_BUFFERED_BYTES: positiveInt.default(1024 * 1024),
  SUBSCRIPTIONS_MAX_PAYLOAD_BYTES: positiveInt.default(100 * 1024),
  SUBSCRIPTIONS_RECHECK_INTERVAL: durationOrOff.prefault('30s'),
  SUBSCRIPTIONS_CHANNEL_PREFIX: z.string().trim().min(1).max(100).default('events'),
  // --- end of issue 22 settings ---
});

export type Config = ReturnType<typeof buildConfig>;

/** Who an operation's depth, alias and cost limits are chosen for. */
export type LimitTier = 'anonymous' | 'signedIn' | 'trusted';
/** `maxCost` undefined: no cost limit (trusted documents). */
export interface TierLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number | undefined;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[A-Za-z0-9+/=\s]+-----END \1-----/g;

/** The PEM blocks of `text`, in order; undefined when anything but blocks and whitespace is there. */
function pemBlocks(text: string): string[] | undefined {
  const blocks = text.match(PEM_BLOCK) ?? [];
  return text.replace(PEM_BLOCK, '').trim() === '' ? blocks : undefined;
}

function issueLine(issue: z.core.$ZodIssue): string {
  const variable = issue.path.join('.') || 'environment';
  return `Invalid configuration: ${variable} ${issue.message}`;
}

function buildConfig(env: z.infer<typeof environment>) {
  const production = env.NODE_ENV === undefined || env.NODE_ENV === 'production';
  const fail = (message: string): never => {
    throw new ConfigError(`Invalid configuration: ${message}`);
  };

  const jwtSecret = env.JWT_SECRET ?? (production ? undefined : DEVELOPMENT_DEFAULTS.jwtSecret);
  if (env.JWT_ALGORITHM === 'HS256') {
    if (!jwtSecret) fail('JWT_SECRET is required in production (at least 32 random bytes)');
    if (Buffer.byteLength(jwtSecret!) < 32) fail('JWT_SECRET must be at least 32 bytes long');
    if (production && jwtSecret === DEVELOPMENT_DEFAULTS.jwtSecret) {
      fail('JWT_SECRET is the development default; set a real secret in production');
    }
  } else if (!env.JWT_PRIVATE_KEY) {
    fail(`JWT_PRIVATE_KEY (PEM) is required when JWT_ALGORITHM is ${env.JWT_ALGORITHM}`);
  }

  // Verification only: tokens signed before a key rotation stay valid (README, "Rotating the signing key").
  const previousSecrets = (env.JWT_PREVIOUS_SECRETS ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);
  if (previousSecrets.length > 0) {
    if (env.JWT_ALGORITHM !== 'HS256') fail('JWT_PREVIOUS_SECRETS applies to HS256 only; list previous RS256/ES256 keys in JWT_PREVIOUS_PUBLIC_KEYS');
    if (previousSecrets.some((secret) => Buffer.byteLength(secret) < 32)) fail('JWT_PREVIOUS_SECRETS: each secret must be at least 32 bytes long');
    if (production && previousSecrets.includes(DEVELOPMENT_DEFAULTS.jwtSecret)) fail('JWT_PREVIOUS_SECRETS holds the development default; remove it');
  }
  const previousKeyPems = pemBlocks(env.JWT_PREVIOUS_PUBLIC_KEYS?.replace(/\\n/g, '\n') ?? '');
  if (previousKeyPems === undefined) fail('JWT_PREVIOUS_PUBLIC_KEYS must hold one or more PEM keys (public keys, or the previous private key), one after another');
  if (previousKeyPems!.length > 0 && env.JWT_ALGORITHM === 'HS256') fail('JWT_PREVIOUS_PUBLIC_KEYS applies to RS256 and ES256 only; list previous HS256 secrets in JWT_PREVIOUS_SECRETS');

  const issuers: ExternalIssuerConfig[] = [];
  if (env.AUTH0_DOMAIN || env.AUTH0_AUDIENCE) {
    if (!env.AUTH0_DOMAIN || !env.AUTH0_AUDIENCE) fail('AUTH0_DOMAIN and AUTH0_AUDIENCE must be set together');
    const domain = env.AUTH0_DOMAIN!.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    issuers.push({
      issuer: `https://${domain}/`,
      audience: env.AUTH0_AUDIENCE!,
      jwksUri: `https://${domain}/.well-known/jwks.json`,
      algorithms: ['RS256'],
      permissionsClaim: 'permissions',
      grants: [...ALL_PERMISSIONS],
    });
  }
  if (env.OIDC_ISSUERS) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.OIDC_ISSUERS);
    } catch {
      fail('OIDC_ISSUERS must be a JSON array of { issuer, audience, jwksUri, algorithms, permissionsClaim, grants }');
    }
    const parsed = z.array(externalIssuer).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      fail(`OIDC_ISSUERS[${issue.path.join('.')}] ${issue.message}`);
    }
    issuers.push(...parsed.data!);
  }
  if (issuers.some((issuer) => issuer.issuer === env.JWT_ISSUER)) {
    fail('JWT_ISSUER must differ from every external issuer');
  }

  // The metrics listener is never the public API's: Prometheus' default port in development only.
  const metricsPort = env.METRICS_PORT ?? (env.NODE_ENV === 'development' ? 9464 : undefined);
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === env.PORT) fail('METRICS_PORT must differ from PORT');

  const seedDemoData = env.SEED_DEMO_DATA ?? !production;
  const seedPassword = (value: string | undefined, fallback: string, variable: string) => {
    if (value) return value;
    if (seedDemoData && production) fail(`${variable} is required to seed demo users in production`);
    return fallback;
  };

  const allowArbitrary = (env.TRUSTED_DOCUMENTS_ALLOW_ARBITRARY ?? '')
    .split(',')
    .map((permission) => permission.trim())
    .filter(Boolean);
  const unknownPermission = allowArbitrary.find((permission) => !isPermission(permission));
  if (unknownPermission) fail(`TRUSTED_DOCUMENTS_ALLOW_ARBITRARY names an unknown permission "${unknownPermission}"; expected some of: ${ALL_PERMISSIONS.join(', ')}`);

  const passwordHashConcurrency = env.PASSWORD_HASH_CONCURRENCY ?? defaultPasswordHashConcurrency(env.UV_THREADPOOL_SIZE);
  if (passwordHashConcurrency > env.UV_THREADPOOL_SIZE - SPARE_LIBUV_THREADS) {
    fail(
      `PASSWORD_HASH_CONCURRENCY (${passwordHashConcurrency}) must leave ${SPARE_LIBUV_THREADS} of libuv's ${env.UV_THREADPOOL_SIZE} threads free; ` +
        `lower it or raise UV_THREADPOOL_SIZE in the environment that starts node`,
    );
  }

  return {
    env: env.NODE_ENV ?? 'production',
    isProduction: production,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    /** Unset: pretty in development on a terminal, JSON otherwise (src/logger.ts decides). */
    logFormat: env.LOG_FORMAT,
    /** Where Prometheus scrapes /metrics; undefined: no metrics listener. */
    metricsPort,
    database: {
      url: env.DATABASE_URL ?? 'pglite:.data/pglite',
      poolSize: env.DATABASE_POOL_SIZE,
    },
    tokens: {
      algorithm: env.JWT_ALGORITHM,
      secret: env.JWT_ALGORITHM === 'HS256' ? jwtSecret! : undefined,
      privateKeyPem: env.JWT_PRIVATE_KEY?.replace(/\\n/g, '\n'),
      keyId: env.JWT_KEY_ID,
      previousSecrets,
      previousKeyPems: previousKeyPems!,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      clockToleranceSeconds: env.JWT_CLOCK_TOLERANCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL,
      refreshReuseIntervalSeconds: env.REFRESH_REUSE_INTERVAL,
    },
    externalIssuers: issuers,
    externalIssuerCache: {
      jwksMaxAgeSeconds: env.OIDC_JWKS_CACHE_MAX_AGE,
      identityTtlSeconds: env.OIDC_IDENTITY_CACHE_TTL,
    },
    seed: {
      demoData: seedDemoData,
      passwords: {
        admin: seedPassword(env.SEED_ADMIN_PASSWORD, DEVELOPMENT_DEFAULTS.seedPasswords.admin, 'SEED_ADMIN_PASSWORD'),
        menu: seedPassword(env.SEED_MENU_PASSWORD, DEVELOPMENT_DEFAULTS.seedPasswords.menu, 'SEED_MENU_PASSWORD'),
        user: seedPassword(env.SEED_USER_PASSWORD, DEVELOPMENT_DEFAULTS.seedPasswords.user, 'SEED_USER_PASSWORD'),
      },
    },
    passwordHashConcurrency,
    libuvThreadPoolSize: env.UV_THREADPOOL_SIZE,
    heapGrowthPercent: env.HEAP_GROWTH_PERCENT,
    clientOrigins: env.CLIENT_ORIGIN_URL.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    introspection: env.INTROSPECTION ?? !production,
    redisUrl: env.REDIS_URL,
    /** What a denied selection does: `filter` answers it null with an error; `reject` stops the whole operation. */
    unauthorizedMode: env.AUTHZ_UNAUTHORIZED,
    /**
     * Which documents may run (README, "Trusted documents"): `off` any, `log` any while logging unknown
     * ones, `enforce` only those of the manifest, sent by hash, except for holders of `allowArbitrary`.
     */
    trustedDocuments: {
      mode: env.TRUSTED_DOCUMENTS ?? (production ? 'enforce' : 'off'),
      allowArbitrary: allowArbitrary as Permission[],
      /** Relative to the working directory; unset: the manifest codegen writes, beside the server's code. */
      manifestPath: env.TRUSTED_DOCUMENTS_MANIFEST,
    },
    /** What executes operations: graphql-jit (compiled once per document) or graphql-js. */
    executor: env.GRAPHQL_EXECUTOR,
    /** Shared answers of permission-only queries (src/server/response-cache.ts); in Redis when REDIS_URL is set. */
    responseCache: {
      enabled: env.RESPONSE_CACHE === 'on',
      ttlSeconds: env.RESPONSE_CACHE_TTL_SECONDS,
      maxBytes: env.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
      keyPrefix: env.RESPONSE_CACHE_KEY_PREFIX,
    },
    graphqlLimits: {
      /**
       * Depth, alias and cost limits by caller: anonymous (never looser than signed-in), signed-in,
       * and trusted documents (never stricter than signed-in, and free of the cost limit).
       */
      tiers: {
        anonymous: {
          maxDepth: env.GRAPHQL_MAX_DEPTH_ANONYMOUS ?? Math.min(6, env.GRAPHQL_MAX_DEPTH),
          maxAliases: env.GRAPHQL_MAX_ALIASES_ANONYMOUS ?? Math.min(5, env.GRAPHQL_MAX_ALIASES),
          maxCost: env.GRAPHQL_MAX_COST_ANONYMOUS ?? Math.min(2500, env.GRAPHQL_MAX_COST),
        },
        signedIn: { maxDepth: env.GRAPHQL_MAX_DEPTH, maxAliases: env.GRAPHQL_MAX_ALIASES, maxCost: env.GRAPHQL_MAX_COST },
        trusted: {
          maxDepth: env.GRAPHQL_MAX_DEPTH_TRUSTED ?? Math.max(12, env.GRAPHQL_MAX_DEPTH),
          maxAliases: env.GRAPHQL_MAX_ALIASES_TRUSTED ?? Math.max(30, env.GRAPHQL_MAX_ALIASES),
          maxCost: undefined,
        },
      } satisfies Record<LimitTier, TierLimits>,
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxCost: env.GRAPHQL_MAX_COST,
      /** The most rows a connection returns in one page: a larger `first` or `last` is refused. */
      maxPageSize: env.GRAPHQL_MAX_PAGE_SIZE,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxQueryLength: env.GRAPHQL_MAX_QUERY_LENGTH,
    },
    http: {
      maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      maxHeaderBytes: env.HTTP_MAX_HEADER_BYTES,
      trustProxy: env.TRUST_PROXY,
    },
    // --- issue 22 settings ---
    /** Subscriptions over graphql-ws on /graphql (src/server/subscriptions/): limits, keep-alive, and the pub/sub channels. */
    subscriptions: {
      maxPerSocket: env.SUBSCRIPTIONS_MAX_PER_SOCKET,
      maxSocketsPerViewer: env.SUBSCRIPTIONS_MAX_SOCKETS_PER_VIEWER,
      maxSocketsPerAddress: env.SUBSCRIPTIONS_MAX_SOCKETS_PER_ADDRESS,
      /** Ping every this many seconds; a socket without a pong by the next ping is dropped. 0: no pings. */
      keepAliveSeconds: env.SUBSCRIPTIONS_KEEPALIVE,
      connectionInitTimeoutSeconds: env.SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT,
      /** Bytes a socket may have queued unsent before it is dropped as a slow consumer. */
      maxBufferedBytes: env.SUBSCRIPTIONS_MAX_BUFFERED_BYTES,
      /** The largest message a client may send. */
      maxPayloadBytes: env.SUBSCRIPTIONS_MAX_PAYLOAD_BYTES,
      /** How often each instance checks the database for revoked sessions and disabled users of its open sockets (what a lost pub/sub message would miss). 0: never. */
      recheckIntervalSeconds: env.SUBSCRIPTIONS_RECHECK_INTERVAL,
      channelPrefix: env.SUBSCRIPTIONS_CHANNEL_PREFIX,
    },
    // --- end of issue 22 settings ---
    throttle: {
      keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
      login: { accountIp: env.RATE_LIMIT_LOGIN_ACCOUNT_IP, account: env.RATE_LIMIT_LOGIN_ACCOUNT, ip: env.RATE_LIMIT_LOGIN_IP },
      signup: { account: env.RATE_LIMIT_SIGNUP_ACCOUNT, ip: env.RATE_LIMIT_SIGNUP_IP },
      refresh: { account: env.RATE_LIMIT_REFRESH_ACCOUNT, ip: env.RATE_LIMIT_REFRESH_IP },
    },
  };
}

/**
 * Whether OpenTelemetry tracing is asked for, by the standard variables: an OTLP endpoint or a
 * traces exporter other than `none`, unless OTEL_SDK_DISABLED. The SDK reads the rest itself.
 * Decided before the configuration is loaded, since tracing must start before the server's modules.
 */
export function tracingRequested(source: Record<string, string | undefined> = process.env): boolean {
  if (source.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = source.OTEL_TRACES_EXPORTER?.trim();
  if (exporter) return exporter !== 'none';
  return Boolean(source.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || source.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** Parses the environment (process.env by default); throws ConfigError with a one-line message. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environment.safeParse(present);
  if (!parsed.success) throw new ConfigError(issueLine(parsed.error.issues[0]!));
  return buildConfig(parsed.data);
}
