/**
 * The refresh-token store (RFC 9700 rotation with reuse detection). Only SHA-256 hashes are
 * stored. Each refresh rotates the token in one conditional UPDATE, so of two concurrent
 * refreshes exactly one wins; presenting a token that was already rotated revokes its family.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../db/database.js';
import type { LocalTokens } from '../../auth/access-tokens.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type RotationResult =
  | { ok: true; userId: string; refreshToken: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export class RefreshTokenStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: LocalTokens,
    private readonly ttlSeconds: number,
  ) {}

  /** Starts a new family (a new login). */
  issue(userId: string): Promise<string> {
    return this.insert(this.prisma, userId, randomUUID());
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
      return { userId: row.userId, refreshToken: await this.insert(tx, row.userId, row.familyId) };
    });
    if (rotated) return { ok: true, ...rotated };

    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash } });
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'revoked' };
    if (row.rotatedAt) {
      await this.revokeFamily(row.familyId);
      return { ok: false, reason: 'reused' };
    }
    return { ok: false, reason: 'expired' };
  }

  /** Revokes the session (family) the token belongs to; false when the token is unknown. */
  async revokeSessionOf(token: string): Promise<boolean> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!row) return false;
    await this.revokeFamily(row.familyId);
    return true;
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async insert(client: PrismaClient | Transaction, userId: string, familyId: string): Promise<string> {
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const token = this.tokens.issueRefreshToken(userId, id, expiresAt);
    await client.refreshToken.create({ data: { id, tokenHash: hashToken(token), familyId, userId, expiresAt } });
    return token;
  }
}
