/**
 * The refresh-token store (RFC 9700 rotation with reuse detection). Only SHA-256 hashes are
 * stored. Each refresh rotates the token in one conditional UPDATE. A rotated token presented
 * again within the reuse interval (a double-fired refresh: two tabs, a retry) gets a sibling of
 * its successor, up to MAX_LIVE_TOKENS_PER_FAMILY live tokens; after the interval, or past the
 * cap, it counts as theft and revokes its family.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../db/database.js';
import type { LocalTokens } from '../../auth/access-tokens.js';
import type { RevocationReason, SessionEvents } from './session.events.js';

/** SECURITY.md: the most live refresh tokens one session (family) may hold. */
export const MAX_LIVE_TOKENS_PER_FAMILY = 5;

/** First key of the two-key advisory locks that serialize a family's reuse-interval siblings. */
const FAMILY_LOCK_CLASS = 0x52_46_54; // "RFT"

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type RotationResult =
  | { ok: true; userId: string; refreshToken: string; sessionId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export class RefreshTokenStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: LocalTokens,
    private readonly ttlSeconds: number,
    /** 0 turns the reuse interval off: any second presentation is reuse. */
    private readonly reuseIntervalSeconds: number,
    /** Where revocations are announced (subscription sockets close on them); absent: nowhere. */
    private readonly events?: SessionEvents,
  ) {}

  /** Starts a new family (a new login); its id is the session's, carried by access tokens as `sid`. */
  async issue(userId: string): Promise<{ refreshToken: string; sessionId: string }> {
    const familyId = randomUUID();
    return { refreshToken: await this.insert(this.prisma, { userId, familyId, parentId: null }), sessionId: familyId };
  }

  async rotate(token: string): Promise<RotationResult> {
    const tokenHash = hashToken(token);
    const now = new Date();
    const rotated = await this.prisma.$transaction(async (tx) => {
      const current = await tx.refreshToken.updateManyAndReturn({
        where: { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { rotatedAt: now },
      });
      const row = current[0];
      if (!row) return undefined;
      return { userId: row.userId, sessionId: row.familyId, refreshToken: await this.insert(tx, { userId: row.userId, familyId: row.familyId, parentId: row.id }) };
    });
    if (rotated) return { ok: true, ...rotated };

    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash } });
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'revoked' };
    if (!row.rotatedAt) return { ok: false, reason: 'expired' };
    if (row.expiresAt > now && this.withinReuseInterval(row.rotatedAt, now)) {
      const sibling = await this.issueSibling(tokenHash);
      if (sibling) return { ok: true, ...sibling };
    }
    await this.revokeFamily(row.userId, row.familyId, 'refresh-reuse');
    return { ok: false, reason: 'reused' };
  }

  private withinReuseInterval(rotatedAt: Date, now: Date): boolean {
    // A loser of a race may have read the clock before the winner rotated: its elapsed time is negative.
    return this.reuseIntervalSeconds > 0 && now.getTime() - rotatedAt.getTime() <= this.reuseIntervalSeconds * 1000;
  }

  /**
   * Another successor for a token rotated moments ago, or undefined past the cap. Concurrent
   * presentations in one family queue on a transaction-scoped advisory lock, so each counts the
   * live tokens the ones before it added, and together they cannot exceed the cap.
   */
  private issueSibling(tokenHash: string): Promise<{ userId: string; refreshToken: string; sessionId: string } | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const presented = await tx.refreshToken.findUnique({ where: { tokenHash } });
      if (!presented) return undefined;
      await lockFamily(tx, presented.familyId);
      // Read again under the lock: a presentation past the cap may have revoked the family meanwhile.
      const now = new Date();
      const row = await tx.refreshToken.findUnique({ where: { tokenHash } });
      if (!row?.rotatedAt || row.revokedAt || row.expiresAt <= now || !this.withinReuseInterval(row.rotatedAt, now)) return undefined;
      const live = await tx.refreshToken.count({ where: { familyId: row.familyId, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } } });
      if (live >= MAX_LIVE_TOKENS_PER_FAMILY) return undefined;
      return { userId: row.userId, sessionId: row.familyId, refreshToken: await this.insert(tx, { userId: row.userId, familyId: row.familyId, parentId: row.id }) };
    });
  }

  /** Revokes the session (family) the token belongs to; false when the token is unknown. */
  async revokeSessionOf(token: string): Promise<boolean> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!row) return false;
    await this.revokeFamily(row.userId, row.familyId, 'logout');
    return true;
  }

  async revokeAllOf(userId: string, reason: RevocationReason = 'logout-all'): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await this.events?.revoked({ userId, reason });
  }

  /** Of `sessionIds`, those with a token not revoked yet (a socket's session is still alive). */
  async liveSessions(sessionIds: readonly string[]): Promise<Set<string>> {
    if (sessionIds.length === 0) return new Set();
    const rows = await this.prisma.refreshToken.findMany({ where: { familyId: { in: [...sessionIds] }, revokedAt: null }, select: { familyId: true }, distinct: ['familyId'] });
    return new Set(rows.map((row) => row.familyId));
  }

  /** Under the family's lock, so that no sibling being issued at the same moment outlives the revocation. */
  private async revokeFamily(userId: string, familyId: string, reason: RevocationReason): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await lockFamily(tx, familyId);
      await tx.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
    });
    await this.events?.revoked({ userId, sessionId: familyId, reason });
  }

  private async insert(client: PrismaClient | Transaction, row: { userId: string; familyId: string; parentId: string | null }): Promise<string> {
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const token = this.tokens.issueRefreshToken(row.userId, id, expiresAt);
    await client.refreshToken.create({ data: { id, tokenHash: hashToken(token), ...row, expiresAt } });
    return token;
  }
}

/** Held until the transaction ends; serializes sibling issuance and revocation within one family. */
async function lockFamily(tx: Transaction, familyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FAMILY_LOCK_CLASS}::int, hashtext(${familyId}))`;
}
