/**
 * Login throttling: counts attempts at login, signup and refreshToken before any password is
 * hashed, and answers RATE_LIMITED (with `retryAfter`) once a limit is spent; a block lasts one
 * window, then lifts by itself. Login follows OWASP's advice against lock-out abuse: guesses are
 * counted per account *and* address together, a higher ceiling bounds a guess spread over many
 * addresses, and that ceiling never applies to an address the owner signed in from lately, so
 * strangers cannot lock the owner out (SECURITY.md has the policy and its numbers). Counters
 * live in memory, or in Redis when REDIS_URL is set so that every instance shares them; while
 * Redis is unreachable each instance falls back to its own in-memory counters.
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config, RateLimitSetting } from '../config.js';
import { rateLimited } from '../kernel/errors.js';
import { connectRedis } from '../kernel/optional-packages.js';
import type { Logger } from '../logger.js';

export type ThrottledAction = 'login' | 'signup' | 'refresh';
type Scope = 'account' | 'ip';

const REFUSALS: Record<ThrottledAction, string> = {
  login: 'Too many sign-in attempts',
  signup: 'Too many sign-up attempts',
  refresh: 'Too many token refreshes',
};

/** Accounts are counted under a hash: no email address is written to Redis. */
const accountKey = (account: string) => createHash('sha256').update(account).digest('base64url').slice(0, 32);

/**
 * How long an address the owner signed in from stays exempt from the account-wide ceiling. Under
 * 24.8 days: the in-memory store expires keys with setTimeout, which fires at once beyond 2^31 ms.
 */
export const KNOWN_ADDRESS_SECONDS = 14 * 86400;

/** One IPv4 address, or one IPv6 /64 (what a single subscriber usually holds). */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return mapped;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export interface ThrottleOptions {
  /** Shares the counters between instances. */
  redisUrl?: string;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export class LoginThrottle {
  private readonly limiters: Record<ThrottledAction, Record<Scope, RateLimiterAbstract>>;
  /** Failed logins of one account from one address (the owner at home is only slowed by their own typos). */
  private readonly loginPair: RateLimiterAbstract;
  /** Account-and-address pairs that signed in successfully: a mark, not a counter. */
  private readonly knownAddresses: RateLimiterAbstract;
  private readonly redis: Redis | undefined;
  private storeAvailable = true;

  constructor(settings: Config['throttle'], { redisUrl, logger }: ThrottleOptions = {}) {
    if (redisUrl) {
      // No offline queue: while Redis is away a command fails at once and the insurance limiter answers.
      this.redis = connectRedis(redisUrl, { enableOfflineQueue: false });
      this.redis.on('error', (error: Error) => {
        if (!this.storeAvailable) return;
        this.storeAvailable = false;
        logger?.warn({ err: error }, 'Redis unreachable: login throttling falls back to per-instance counters');
      });
      this.redis.on('ready', () => {
        if (this.storeAvailable) return;
        this.storeAvailable = true;
        logger?.info('Redis reachable again: login throttling counters are shared');
      });
    }
    const limiter = (name: string, { points, durationSeconds }: RateLimitSetting): RateLimiterAbstract => {
      const options = { keyPrefix: `${settings.keyPrefix}:${name}`, points, duration: durationSeconds, blockDuration: durationSeconds };
      if (!this.redis) return new RateLimiterMemory(options);
      return new RateLimiterRedis({ ...options, storeClient: this.redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) });
    };
    this.loginPair = limiter('login-account-ip', settings.login.accountIp);
    this.knownAddresses = limiter('login-known', { points: 1, durationSeconds: KNOWN_ADDRESS_SECONDS });
    this.limiters = {
      login: { account: limiter('login-account', settings.login.account), ip: limiter('login-ip', settings.login.ip) },
      signup: { account: limiter('signup-account', settings.signup.account), ip: limiter('signup-ip', settings.signup.ip) },
      refresh: { account: limiter('refresh-account', settings.refresh.account), ip: limiter('refresh-ip', settings.refresh.ip) },
    };
  }

  /**
   * Counts one attempt against the client IP, then against the account (a normalized email,
   * or the user id for refresh); throws RATE_LIMITED when either has no attempts left.
   */
  async attempt(action: Exclude<ThrottledAction, 'login'>, { account, clientIp }: { account?: string; clientIp?: string }): Promise<void> {
    if (clientIp !== undefined) await this.consume(action, this.limiters[action].ip, clientKey(clientIp));
    if (account !== undefined) await this.consume(action, this.limiters[action].account, accountKey(account));
  }

  /**
   * Counts one login attempt against the client IP, the account at that IP, and (unless the
   * owner signed in from this address lately) the account's ceiling across all addresses.
   */
  async attemptLogin({ account, clientIp }: { account: string; clientIp: string }): Promise<void> {
    const pair = `${accountKey(account)}:${clientKey(clientIp)}`;
    await this.consume('login', this.limiters.login.ip, clientKey(clientIp));
    await this.consume('login', this.loginPair, pair);
    if (await this.isKnown(pair)) return;
    await this.consume('login', this.limiters.login.account, accountKey(account));
  }

  /**
   * A successful login forgets the failures of its account at its address, gives the IP and the
   * account ceiling their attempt back, and marks the address as the owner's.
   */
  async loginSucceeded({ account, clientIp }: { account: string; clientIp: string }): Promise<void> {
    const pair = `${accountKey(account)}:${clientKey(clientIp)}`;
    if (!(await this.isKnown(pair))) await this.limiters.login.account.reward(accountKey(account), 1);
    await this.loginPair.delete(pair);
    await this.limiters.login.ip.reward(clientKey(clientIp), 1);
    await this.knownAddresses.set(pair, 1, KNOWN_ADDRESS_SECONDS);
  }

  /**
   * Waits briefly for Redis, so that an instance shares counters from its first request;
   * false (and in-memory counters until Redis answers) when it cannot be reached.
   */
  async ready(timeoutMs = 2_000): Promise<boolean> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const onReady = () => done(true);
      const onError = () => done(false);
      const timer = setTimeout(onError, timeoutMs);
      const done = (ready: boolean) => {
        clearTimeout(timer);
        redis.off('ready', onReady).off('error', onError);
        resolve(ready);
      };
      redis.once('ready', onReady).once('error', onError);
    });
  }

  close(): void {
    this.redis?.disconnect();
  }

  private async isKnown(pair: string): Promise<boolean> {
    return ((await this.knownAddresses.get(pair))?.consumedPoints ?? 0) > 0;
  }

  private async consume(action: ThrottledAction, limiter: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rateLimited(`${REFUSALS[action]}; try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}`, retryAfter);
    }
  }
}
