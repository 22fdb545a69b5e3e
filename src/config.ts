/**
 * The one place that reads the environment. Each concern declares its slice in src/config/ (its
 * variables, their defaults and .env.example lines, its cross-checks); this file reads them all,
 * once, at start-up, into one typed `Config`. A wrong value stops the server with a line naming it.
 */
import { type BuildContext, type ConfigSlice, ConfigError, parseVariables, readSlice, type Variables } from './config/slice.js';
import { databaseConfig } from './config/database.js';
import { executionConfig } from './config/execution.js';
import { explorerConfig } from './config/explorer.js';
import { externalIssuerConfig } from './config/external-issuers.js';
import { federationConfig } from './config/federation.js';
import { httpConfig } from './config/http.js';
import { metricsConfig } from './config/metrics.js';
import { operationLimitsConfig } from './config/operation-limits.js';
import { passwordHashingConfig } from './config/password-hashing.js';
import { redisConfig } from './config/redis.js';
import { responseCacheConfig } from './config/response-cache.js';
import { isProductionEnvironment, runtimeConfig } from './config/runtime.js';
import { seedConfig } from './config/seed.js';
import { subscriptionsConfig } from './config/subscriptions.js';
import { throttleConfig } from './config/throttle.js';
import { tokenConfig } from './config/tokens.js';
import { tracingConfig, tracingRequested as tracingRequestedBy } from './config/tracing.js';
import { trustedDocumentsConfig } from './config/trusted-documents.js';

export { ConfigError } from './config/slice.js';
export { DEVELOPMENT_DEFAULTS } from './config/development-defaults.js';
export { DEFAULT_PASSWORD_HASH_QUEUE_LIMIT, defaultPasswordHashConcurrency, MAX_DEFAULT_PASSWORD_HASH_CONCURRENCY } from './config/password-hashing.js';
export type { ExternalIssuerConfig } from './config/external-issuers.js';
export type { LimitTier, TierLimits } from './config/operation-limits.js';
export type { RateLimitSetting } from './config/throttle.js';

/** Every slice, in the order .env.example lists them. */
export const CONFIG_SLICES = [
  runtimeConfig,
  httpConfig,
  explorerConfig,
  metricsConfig,
  tracingConfig,
  databaseConfig,
  redisConfig,
  tokenConfig,
  externalIssuerConfig,
  seedConfig,
  passwordHashingConfig,
  executionConfig,
  responseCacheConfig,
  operationLimitsConfig,
  trustedDocumentsConfig,
  throttleConfig,
  subscriptionsConfig,
  federationConfig,
] as const;

/** What a slice builds. */
type Built<Slice> = Slice extends ConfigSlice<Variables, infer Output> ? Output : never;
/** Every slice's output merged into one object type. */
type Merged<Union> = (Union extends unknown ? (value: Union) => void : never) extends (value: infer Intersection) => void ? Intersection : never;
type SliceValues = Merged<Built<(typeof CONFIG_SLICES)[number]>>;

function compose(parsed: Record<string, unknown>, context: BuildContext) {
  const config = Object.assign({}, ...CONFIG_SLICES.map((slice: ConfigSlice<Variables, object>) => readSlice(slice, parsed, context))) as SliceValues;
  // The defaults that come from another slice.
  return { ...config, responseCache: { ...config.responseCache, redisUrl: config.responseCache.redisUrl ?? config.redisUrl } };
}

export type Config = ReturnType<typeof compose>;

/** The checks that span two concerns. */
function crossCheck(config: Config, { fail }: BuildContext): void {
  if (config.metricsPort !== undefined && config.metricsPort !== 0 && config.metricsPort === config.port) fail('METRICS_PORT must differ from PORT');
  if (config.externalIssuers.some((issuer) => issuer.issuer === config.tokens.issuer)) fail('JWT_ISSUER must differ from every external issuer');
  if (config.subgraph.enabled && config.trustedDocuments.mode === 'enforce') {
    fail("SUBGRAPH=on cannot enforce trusted documents: a gateway's query plans are not in the manifest. Enforce them at the gateway and set TRUSTED_DOCUMENTS=off (or log) on the subgraph");
  }
}

/** See src/config/tracing.ts; reads process.env by default. */
export const tracingRequested = (source: Record<string, string | undefined> = process.env): boolean => tracingRequestedBy(source);

/** Parses the environment (process.env by default); throws ConfigError with a one-line message. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
  const parsed = parseVariables(CONFIG_SLICES, present);
  // NODE_ENV decides the other slices' defaults.
  const nodeEnv = parsed.NODE_ENV as BuildContext['nodeEnv'];
  const context: BuildContext = {
    nodeEnv,
    production: isProductionEnvironment(nodeEnv),
    fail: (message) => {
      throw new ConfigError(`Invalid configuration: ${message}`);
    },
  };
  const config = compose(parsed, context);
  crossCheck(config, context);
  return config;
}
