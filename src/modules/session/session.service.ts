/** Signup, login, refresh and logout: turns credentials into token pairs, and revokes them. */
import { InvalidTokenError, type LocalTokens, type RefreshClaims } from '../../auth/access-tokens.js';
import type { PasswordHasher } from '../../auth/passwords.js';
import type { LoginThrottle } from '../../auth/throttle.js';
import type { Viewer } from '../../kernel/viewer.js';
import { unauthenticated } from '../../kernel/errors.js';
import { permissionsOf, type UserEntity } from '../users/users.mappers.js';
import { normalizeEmail, type UsersService } from '../users/users.service.js';
import type { AuthPayloadEntity } from './session.mappers.js';
import type { RefreshTokenStore, RotationResult } from './refresh-tokens.js';

const INVALID_CREDENTIALS = 'Invalid email or password';

const REFRESH_FAILURES: Record<Exclude<RotationResult, { ok: true }>['reason'], string> = {
  unknown: 'Invalid refresh token',
  expired: 'Refresh token expired',
  revoked: 'Refresh token revoked',
  reused: 'Refresh token reuse detected; the session was revoked',
};

export class SessionService {
  constructor(
    private readonly users: UsersService,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly tokens: LocalTokens,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  // Attempts are counted before anything is looked up or hashed, so concurrent guesses
  // (aliases in one request, parallel requests) cannot outrun the limits.

  async signup(input: { email: string; password: string; fullName: string }, clientIp?: string): Promise<AuthPayloadEntity> {
    await this.throttle.attempt('signup', { account: normalizeEmail(input.email), clientIp });
    const user = await this.users.register(input, (password) => this.passwords.hash(password));
    return this.startSession(user);
  }

  async login(input: { email: string; password: string }, clientIp = 'unknown'): Promise<AuthPayloadEntity> {
    const account = normalizeEmail(input.email);
    await this.throttle.attemptLogin({ account, clientIp });
    const user = input.email.length <= 254 ? await this.users.findByEmail(input.email) : null;
    // verify() spends the same time on an unknown account, so timing does not reveal which emails exist.
    const valid = await this.passwords.verify(user?.passwordHash, input.password);
    if (!user || !valid || user.disabledAt) throw unauthenticated(INVALID_CREDENTIALS);
    await this.throttle.loginSucceeded({ account, clientIp });
    return this.startSession(user);
  }

  async refresh(refreshToken: string, clientIp?: string): Promise<AuthPayloadEntity> {
    await this.throttle.attempt('refresh', { clientIp });
    // The account is the verified subject: a forged token cannot spend someone else's attempts.
    const { sub } = this.verifyRefreshToken(refreshToken);
    await this.throttle.attempt('refresh', { account: sub });
    const result = await this.refreshTokens.rotate(refreshToken);
    if (!result.ok) throw unauthenticated(REFRESH_FAILURES[result.reason], { reason: result.reason });
    const user = await this.users.find(result.userId);
    if (!user || user.disabledAt) {
      await this.refreshTokens.revokeAllOf(result.userId, 'user-disabled');
      throw unauthenticated(REFRESH_FAILURES.revoked, { reason: 'revoked' });
    }
    return this.payload(user, result.refreshToken, result.sessionId);
  }

  async logout(refreshToken: string): Promise<boolean> {
    this.verifyRefreshToken(refreshToken);
    await this.refreshTokens.revokeSessionOf(refreshToken);
    return true;
  }

  async logoutAll(viewer: Viewer): Promise<boolean> {
    await this.refreshTokens.revokeAllOf(viewer.userId);
    return true;
  }

  private verifyRefreshToken(refreshToken: string): RefreshClaims {
    try {
      return this.tokens.verifyRefreshToken(refreshToken);
    } catch (error) {
      if (error instanceof InvalidTokenError && error.reason === 'expired') {
        throw unauthenticated(REFRESH_FAILURES.expired, { reason: 'expired' });
      }
      throw unauthenticated(REFRESH_FAILURES.unknown, { reason: 'unknown' });
    }
  }

  private async startSession(user: UserEntity): Promise<AuthPayloadEntity> {
    const { refreshToken, sessionId } = await this.refreshTokens.issue(user.id);
    return this.payload(user, refreshToken, sessionId);
  }

  private payload(user: UserEntity, refreshToken: string, sessionId: string): AuthPayloadEntity {
    return {
      accessToken: this.tokens.issueAccessToken(user.id, permissionsOf(user), sessionId),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTokenTtlSeconds,
      user,
    };
  }
}
