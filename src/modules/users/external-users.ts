/**
 * The local users behind external identities (issuer + subject), created on first sight. Lookups
 * are cached for a short, bounded time, so disabling a user reaches their external tokens within
 * that time on every instance.
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ExternalIdentities, ExternalIdentity, ExternalIdentityClaims } from '../../auth/external-identities.js';
import type { PrismaClient } from '../../db/database.js';
import { EXTERNAL_PLACEHOLDER_DOMAIN } from './users.service.js';

const MAX_CACHED_IDENTITIES = 10_000;

export class ExternalUsers implements ExternalIdentities {
  private readonly cache: LRUCache<string, ExternalIdentity>;

  constructor(
    private readonly prisma: PrismaClient,
    /** How long a lookup (including "disabled") is reused: OIDC_IDENTITY_CACHE_TTL. */
    cacheTtlSeconds: number,
  ) {
    this.cache = new LRUCache({ max: MAX_CACHED_IDENTITIES, ttl: cacheTtlSeconds * 1000 });
  }

  async resolve({ issuer, subject, name }: ExternalIdentityClaims): Promise<ExternalIdentity> {
    const key = `${issuer}\n${subject}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const existing = await this.prisma.externalIdentity.findUnique({
      where: { issuer_subject: { issuer, subject } },
      select: { user: { select: { id: true, disabledAt: true } } },
    });
    const identity = existing ? { userId: existing.user.id, disabled: existing.user.disabledAt !== null } : await this.create(issuer, subject, name);
    this.cache.set(key, identity);
    return identity;
  }

  private async create(issuer: string, subject: string, name: string | undefined): Promise<ExternalIdentity> {
    // The token's email claim is not trusted to link accounts. A random placeholder in a domain
    // signup refuses keeps emails unique without being guessable: nobody can take it first.
    for (let attempt = 0; ; attempt++) {
      const email = `${randomUUID()}@${EXTERNAL_PLACEHOLDER_DOMAIN}`;
      try {
        const user = await this.prisma.user.create({
          data: { email, fullName: name?.slice(0, 100) || subject.slice(0, 100), externalIdentities: { create: { issuer, subject } } },
        });
        return { userId: user.id, disabled: false };
      } catch (error) {
        if ((error as { code?: string }).code !== 'P2002') throw error;
        // Two first requests of the same identity raced, and the other one created it; otherwise
        // the placeholder itself was taken (by a row older than this rule): draw another.
        const identity = await this.prisma.externalIdentity.findUnique({
          where: { issuer_subject: { issuer, subject } },
          select: { user: { select: { id: true, disabledAt: true } } },
        });
        if (identity) return { userId: identity.user.id, disabled: identity.user.disabledAt !== null };
        if (attempt >= 2) throw error;
      }
    }
  }
}
