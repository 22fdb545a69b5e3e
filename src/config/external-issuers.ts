/** External OpenID Connect / Auth0 issuers whose tokens are verified through their JWKS. */
import { z } from 'zod';
import { ALL_PERMISSIONS, isPermission, type Permission } from '../kernel/permissions.js';
import { type BuildContext, defineSlice, type ParsedVariables } from './slice.js';
import { duration } from './values.js';

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

const variables = {
  AUTH0_DOMAIN: {
    schema: z.string().trim().min(1).optional(),
    doc: "External issuers. Auth0, with the tutorials' names (issuer https://<domain>/, RS256):",
  },
  AUTH0_AUDIENCE: { schema: z.string().trim().min(1).optional() },
  OIDC_ISSUERS: {
    schema: z.string().optional(),
    doc: `Any OpenID Connect providers, as JSON:
[{"issuer":"https://id.example.com/","audience":"my-api","jwksUri":"https://id.example.com/jwks","algorithms":["RS256"]}]
Optional per issuer: "permissionsClaim": "permissions" (default, Auth0 RBAC) or "scope" (only if the
provider lets clients ask for no scope they should not have), and "grants": ["create:items", ...],
the most this issuer may grant (default: every permission of the catalog).`,
  },
  OIDC_JWKS_CACHE_MAX_AGE: {
    schema: duration.default(10 * 60),
    doc: `How long a key fetched from an issuer's JWKS is trusted before the JWKS is read again (a key the
issuer removed is refused after that). While the JWKS endpoint is unreachable, cached keys keep
working for one more hour at most.`,
    shown: '10m',
  },
  OIDC_IDENTITY_CACHE_TTL: {
    schema: duration.default(30),
    doc: `How long the local user behind an external identity (and whether it is disabled) is reused before
it is read again: a disabled user's external tokens are refused within this time.`,
    shown: '30s',
  },
};

function auth0Issuer(env: ParsedVariables<typeof variables>, { fail }: BuildContext): ExternalIssuerConfig[] {
  if (!env.AUTH0_DOMAIN && !env.AUTH0_AUDIENCE) return [];
  if (!env.AUTH0_DOMAIN || !env.AUTH0_AUDIENCE) fail('AUTH0_DOMAIN and AUTH0_AUDIENCE must be set together');
  const domain = env.AUTH0_DOMAIN!.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return [
    {
      issuer: `https://${domain}/`,
      audience: env.AUTH0_AUDIENCE!,
      jwksUri: `https://${domain}/.well-known/jwks.json`,
      algorithms: ['RS256'],
      permissionsClaim: 'permissions',
      grants: [...ALL_PERMISSIONS],
    },
  ];
}

function oidcIssuers(json: string | undefined, { fail }: BuildContext): ExternalIssuerConfig[] {
  if (!json) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    fail('OIDC_ISSUERS must be a JSON array of { issuer, audience, jwksUri, algorithms, permissionsClaim, grants }');
  }
  const parsed = z.array(externalIssuer).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`OIDC_ISSUERS[${issue.path.join('.')}] ${issue.message}`);
  }
  return parsed.data!;
}

export const externalIssuerConfig = defineSlice({
  variables,
  build: (env, context) => ({
    externalIssuers: [...auth0Issuer(env, context), ...oidcIssuers(env.OIDC_ISSUERS, context)],
    externalIssuerCache: {
      jwksMaxAgeSeconds: env.OIDC_JWKS_CACHE_MAX_AGE,
      identityTtlSeconds: env.OIDC_IDENTITY_CACHE_TTL,
    },
  }),
});
