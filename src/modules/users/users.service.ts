/** Users: registration, roles, and disabling. */
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { assertAcceptablePassword } from '../../auth/passwords.js';
import { isRoleName, ROLE_NAMES } from '../../kernel/permissions.js';
import { badUserInput, conflict, notFound, notFoundIfMissing } from '../../kernel/errors.js';
import { isUuid, parseInput, text } from '../../kernel/validation.js';
import { cursorKey, readPage, type Connection, type KeysetOrder, type PageArgs } from '../../kernel/pagination.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { USER_WITH_ROLES, type UserEntity } from './users.mappers.js';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const roleChange = z.object({ userId: z.string(), role: z.string().trim() });
const disabledChange = z.object({ userId: z.string(), disabled: z.boolean() });

/** The placeholder domain of users behind external identities (RFC 2606 reserves `.invalid`): nobody signs up with it. */
export const EXTERNAL_PLACEHOLDER_DOMAIN = 'external.invalid';
const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'))
  .refine((address) => !/\.invalid$/i.test(address), 'must be a deliverable address (the .invalid domain is reserved)');
const registration = z.object({ email, password: z.string(), fullName: text(1, 100) });

const EMAIL_TAKEN = 'An account with this email already exists';

/** Ends every session of a user (the refresh-token store). */
export interface SessionRevoker {
  revokeAllOf(userId: string, reason: 'user-disabled'): Promise<void>;
}

/** Oldest first, so new sign-ups land on the last page; the id breaks ties. */
const USERS_OLDEST_FIRST: KeysetOrder<UserEntity> = {
  kind: 'users',
  order: [
    ['createdAt', 'asc'],
    ['id', 'asc'],
  ],
  keyOf: (user) => [user.createdAt.toISOString(), user.id],
  key: z.tuple([cursorKey.date, cursorKey.uuid]),
};

export class UsersService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessions: SessionRevoker,
    private readonly maxPageSize: number,
  ) {}

  find(id: string): Promise<UserEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.user.findUnique({ where: { id }, include: USER_WITH_ROLES });
  }

  /** The users of these ids that exist, with their roles: one read per batch, whatever its size. */
  findMany(ids: readonly string[]): Promise<UserEntity[]> {
    return this.prisma.user.findMany({ where: { id: { in: ids.filter(isUuid) } }, include: USER_WITH_ROLES });
  }

  async require(id: string): Promise<UserEntity> {
    const user = await this.find(id);
    if (!user) throw notFound('User');
    return user;
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.prisma.user.findUnique({ where: { email: normalizeEmail(email) }, include: USER_WITH_ROLES });
  }

  /** A page of users, oldest first; disabled ones only when asked. */
  async list({ includeDisabled = false, ...args }: { includeDisabled?: boolean } & PageArgs = {}): Promise<Connection<UserEntity>> {
    const page = readPage<Prisma.UserWhereInput, Prisma.UserOrderByWithRelationInput, UserEntity>(USERS_OLDEST_FIRST, args, this.maxPageSize);
    const where: Prisma.UserWhereInput = includeDisabled ? {} : { disabledAt: null };
    const rows = await this.prisma.user.findMany({ where: page.where ? { AND: [where, page.where] } : where, include: USER_WITH_ROLES, orderBy: page.orderBy, take: page.take });
    return page.connection(rows, () => this.prisma.user.count({ where }));
  }

  /** Every user at once, oldest first: for the operator's CLI, never for a request. */
  all(): Promise<UserEntity[]> {
    return this.prisma.user.findMany({ include: USER_WITH_ROLES, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  create(data: { email: string; fullName: string; passwordHash: string | null }): Promise<UserEntity> {
    return this.prisma.user.create({ data: { ...data, email: normalizeEmail(data.email) }, include: USER_WITH_ROLES });
  }

  /** A new account with a password (signup, the admin CLI): validates it, hashes the password, refuses a taken email. */
  async register(input: { email: string; password: string; fullName: string }, hash: (password: string) => Promise<string>): Promise<UserEntity> {
    const { email, password, fullName } = parseInput(registration, input);
    assertAcceptablePassword(password);
    if (await this.findByEmail(email)) throw conflict(EMAIL_TAKEN);
    const passwordHash = await hash(password);
    return this.create({ email, fullName, passwordHash }).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'P2002') throw conflict(EMAIL_TAKEN);
      throw error;
    });
  }

  async assignRole(input: { userId: string; role: string }): Promise<UserEntity> {
    const { userId, role } = this.parseRoleChange(input);
    const user = await this.require(userId);
    const { id: roleId } = await this.prisma.role.findUniqueOrThrow({ where: { name: role } });
    await this.prisma.userRole.upsert({ where: { userId_roleId: { userId: user.id, roleId } }, create: { userId: user.id, roleId }, update: {} });
    return this.require(user.id);
  }

  async revokeRole(input: { userId: string; role: string }): Promise<UserEntity> {
    const { userId, role } = this.parseRoleChange(input);
    const user = await this.require(userId);
    await this.prisma.userRole.deleteMany({ where: { userId: user.id, role: { name: role } } });
    return this.require(user.id);
  }

  /**
   * Disables or enables a user. Disabling keeps the first disabledAt, refuses sign-in and refresh,
   * and revokes every refresh token at once; `actorId` (the admin doing it) cannot disable themself,
   * so the last admin cannot lock everyone out by accident.
   */
  async setUserDisabled(input: { userId: string; disabled: boolean }, actorId?: string): Promise<UserEntity> {
    const { userId, disabled } = parseInput(disabledChange, input);
    if (disabled && userId === actorId) throw badUserInput('userId', 'You cannot disable yourself');
    const user = await this.require(userId);
    if (disabled) {
      if (!user.disabledAt) await this.prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } }).catch(notFoundIfMissing('User'));
      // After the flag: a refresh racing with this either sees it or has its new token revoked here.
      await this.sessions.revokeAllOf(user.id, 'user-disabled');
    } else if (user.disabledAt) {
      await this.prisma.user.update({ where: { id: user.id }, data: { disabledAt: null } }).catch(notFoundIfMissing('User'));
    }
    return this.require(user.id);
  }

  /** Of `userIds`, those disabled (a subscription socket of theirs must close). */
  async disabledAmong(userIds: readonly string[]): Promise<Set<string>> {
    const ids = userIds.filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.user.findMany({ where: { id: { in: ids }, disabledAt: { not: null } }, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  }

  private parseRoleChange(input: { userId: string; role: string }) {
    const parsed = parseInput(roleChange, input);
    if (!isRoleName(parsed.role)) throw badUserInput('role', `role must be one of: ${ROLE_NAMES.join(', ')}`);
    return parsed;
  }
}
