/** Users, their roles, and the mapping of external identities (issuer + sub) to local users. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../../db/database.js';
import { assertAcceptablePassword } from '../../auth/passwords.js';
import { isRoleName, ROLE_NAMES } from '../../authz/permissions.js';
import { badUserInput, conflict, notFound } from '../../graphql/errors.js';
import { isUuid, parseInput, text } from '../../graphql/validation.js';
import { USER_WITH_ROLES, type UserEntity } from './users.mappers.js';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const roleChange = z.object({ userId: z.string(), role: z.string().trim() });

const email = z.string().trim().max(254, 'must be at most 254 characters').pipe(z.email('must be a valid email address'));
const registration = z.object({ email, password: z.string(), fullName: text(1, 100) });

const EMAIL_TAKEN = 'An account with this email already exists';

export interface ExternalIdentityClaims {
  issuer: string;
  subject: string;
  name: string | undefined;
}

export class UsersService {
  /** issuer + subject → user id; an identity is never remapped, so this only saves a query. */
  private readonly externalUserIds = new Map<string, string>();

  constructor(private readonly prisma: PrismaClient) {}

  find(id: string): Promise<UserEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.user.findUnique({ where: { id }, include: USER_WITH_ROLES });
  }

  async require(id: string): Promise<UserEntity> {
    const user = await this.find(id);
    if (!user) throw notFound('User');
    return user;
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.prisma.user.findUnique({ where: { email: normalizeEmail(email) }, include: USER_WITH_ROLES });
  }

  list(): Promise<UserEntity[]> {
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

  /** The local user behind an external identity, created the first time the identity is seen. */
  async idForExternalIdentity({ issuer, subject, name }: ExternalIdentityClaims): Promise<string> {
    const key = `${issuer}\n${subject}`;
    const cached = this.externalUserIds.get(key);
    if (cached) return cached;
    const existing = await this.prisma.externalIdentity.findUnique({ where: { issuer_subject: { issuer, subject } } });
    const userId = existing?.userId ?? (await this.createExternalUser(issuer, subject, name));
    this.externalUserIds.set(key, userId);
    return userId;
  }

  private async createExternalUser(issuer: string, subject: string, name: string | undefined): Promise<string> {
    // The token's email claim is not trusted to link accounts; a placeholder address keeps emails unique.
    const digest = createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 24);
    const email = `${digest}@${new URL(issuer).hostname}.external.invalid`;
    try {
      const user = await this.prisma.user.create({
        data: { email, fullName: name?.slice(0, 100) || subject.slice(0, 100), externalIdentities: { create: { issuer, subject } } },
      });
      return user.id;
    } catch (error) {
      // Two first requests of the same identity raced; the other one created it.
      if ((error as { code?: string }).code !== 'P2002') throw error;
      const identity = await this.prisma.externalIdentity.findUniqueOrThrow({ where: { issuer_subject: { issuer, subject } } });
      return identity.userId;
    }
  }

  private parseRoleChange(input: { userId: string; role: string }) {
    const parsed = parseInput(roleChange, input);
    if (!isRoleName(parsed.role)) throw badUserInput('role', `role must be one of: ${ROLE_NAMES.join(', ')}`);
    return parsed;
  }
}
