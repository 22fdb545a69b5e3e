/** The tokens this server signs: algorithm, keys (current and previous), issuer, audience, lifetimes. */
import { z } from 'zod';
import { DEVELOPMENT_DEFAULTS } from './development-defaults.js';
import { type BuildContext, defineSlice, type ParsedVariables } from './slice.js';
import { commaList, duration, durationOrOff } from './values.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[A-Za-z0-9+/=\s]+-----END \1-----/g;

/** The PEM blocks of `text`, in order; undefined when anything but blocks and whitespace is there. */
function pemBlocks(text: string): string[] | undefined {
  const blocks = text.match(PEM_BLOCK) ?? [];
  return text.replace(PEM_BLOCK, '').trim() === '' ? blocks : undefined;
}

const unescapeNewlines = (pem: string | undefined) => pem?.replace(/\\n/g, '\n');

const variables = {
  JWT_ALGORITHM: {
    schema: z.enum(['HS256', 'RS256', 'ES256']).default('HS256'),
    doc: `Tokens this server issues. HS256 (default) needs JWT_SECRET (>= 32 bytes; a marked development
default is used outside production). RS256 / ES256 need JWT_PRIVATE_KEY (PEM; "\\n" escapes allowed);
the public key is then published at /.well-known/jwks.json.`,
    shown: 'HS256',
  },
  JWT_SECRET: { schema: z.string().optional() },
  JWT_PRIVATE_KEY: { schema: z.string().optional() },
  JWT_KEY_ID: { schema: z.string().min(1).optional(), doc: "Defaults to the key's RFC 7638 thumbprint." },
  JWT_PREVIOUS_SECRETS: {
    schema: z.string().optional(),
    doc: `Key rotation (README, "Rotating the signing key"): keys that verify tokens signed before the
rotation and never sign. HS256: previous secrets, comma-separated, each >= 32 bytes. RS256/ES256:
previous keys as PEM blocks one after another ("\\n" escapes allowed), published in the JWKS under
their thumbprint; list the old private key (not only its public key) to keep old refresh tokens.`,
  },
  JWT_PREVIOUS_PUBLIC_KEYS: { schema: z.string().optional() },
  JWT_ISSUER: { schema: z.string().url().default('http://localhost:4000/'), shown: 'http://localhost:4000/' },
  JWT_AUDIENCE: { schema: z.string().min(1).default('secure-graphql-api'), shown: 'secure-graphql-api' },
  JWT_CLOCK_TOLERANCE: {
    schema: z.coerce.number().int().min(0).max(300).default(5),
    doc: 'Seconds of clock skew tolerated on exp / nbf (0-300).',
    shown: '5',
  },
  ACCESS_TOKEN_TTL: { schema: duration.default(15 * 60), doc: 'Durations: 900, 900s, 15m, 12h, 30d', shown: '15m' },
  REFRESH_TOKEN_TTL: { schema: duration.default(30 * 86400), shown: '30d' },
  REFRESH_REUSE_INTERVAL: {
    schema: durationOrOff.prefault('30s'),
    doc: `A rotated refresh token presented again within this long (two tabs, a retried request) gets a new
token of the same session instead of revoking it, up to 5 live tokens per session; 0 turns it off
(every second presentation is reuse and revokes the session). SECURITY.md.`,
    shown: '30s',
  },
};

type TokenVariables = ParsedVariables<typeof variables>;

/** The current signing key: HS256's secret (the development default outside production), or a private key. */
function signingSecret(env: TokenVariables, { production, fail }: BuildContext): string | undefined {
  if (env.JWT_ALGORITHM !== 'HS256') {
    if (!env.JWT_PRIVATE_KEY) fail(`JWT_PRIVATE_KEY (PEM) is required when JWT_ALGORITHM is ${env.JWT_ALGORITHM}`);
    return undefined;
  }
  const secret = env.JWT_SECRET ?? (production ? undefined : DEVELOPMENT_DEFAULTS.jwtSecret);
  if (!secret) fail('JWT_SECRET is required in production (at least 32 random bytes)');
  if (Buffer.byteLength(secret!) < 32) fail('JWT_SECRET must be at least 32 bytes long');
  if (production && secret === DEVELOPMENT_DEFAULTS.jwtSecret) fail('JWT_SECRET is the development default; set a real secret in production');
  return secret;
}

/** Verification-only keys: tokens signed before a key rotation stay valid (README, "Rotating the signing key"). */
function previousKeys(env: TokenVariables, { production, fail }: BuildContext) {
  const previousSecrets = commaList(env.JWT_PREVIOUS_SECRETS);
  if (previousSecrets.length > 0) {
    if (env.JWT_ALGORITHM !== 'HS256') fail('JWT_PREVIOUS_SECRETS applies to HS256 only; list previous RS256/ES256 keys in JWT_PREVIOUS_PUBLIC_KEYS');
    if (previousSecrets.some((secret) => Buffer.byteLength(secret) < 32)) fail('JWT_PREVIOUS_SECRETS: each secret must be at least 32 bytes long');
    if (production && previousSecrets.includes(DEVELOPMENT_DEFAULTS.jwtSecret)) fail('JWT_PREVIOUS_SECRETS holds the development default; remove it');
  }
  const previousKeyPems = pemBlocks(unescapeNewlines(env.JWT_PREVIOUS_PUBLIC_KEYS) ?? '');
  if (previousKeyPems === undefined) fail('JWT_PREVIOUS_PUBLIC_KEYS must hold one or more PEM keys (public keys, or the previous private key), one after another');
  if (previousKeyPems!.length > 0 && env.JWT_ALGORITHM === 'HS256') fail('JWT_PREVIOUS_PUBLIC_KEYS applies to RS256 and ES256 only; list previous HS256 secrets in JWT_PREVIOUS_SECRETS');
  return { previousSecrets, previousKeyPems: previousKeyPems! };
}

export const tokenConfig = defineSlice({
  variables,
  build: (env, context) => ({
    tokens: {
      algorithm: env.JWT_ALGORITHM,
      secret: signingSecret(env, context),
      privateKeyPem: unescapeNewlines(env.JWT_PRIVATE_KEY),
      keyId: env.JWT_KEY_ID,
      ...previousKeys(env, context),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      clockToleranceSeconds: env.JWT_CLOCK_TOLERANCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL,
      refreshReuseIntervalSeconds: env.REFRESH_REUSE_INTERVAL,
    },
  }),
});
