/** Login, signup and refresh throttling, as attempts per window, per account and per address. */
import { z } from 'zod';
import { defineSlice } from './slice.js';
import { toSeconds } from './values.js';

/** "5/15m": at most 5 within 15 minutes (and, once exceeded, blocked for 15 minutes). */
const rateLimit = z
  .string()
  .trim()
  .regex(/^\d+\s*\/\s*\d+\s*[smhd]?$/, 'expected attempts/window such as 5/15m or 60/1m')
  .transform((value) => {
    const [points, window] = value.split('/') as [string, string];
    return { points: Number(points.trim()), durationSeconds: toSeconds(window) };
  })
  .refine(({ points, durationSeconds }) => points > 0 && durationSeconds > 0, 'must allow at least one attempt in a window longer than zero');
export type RateLimitSetting = z.output<typeof rateLimit>;

const limit = (shown: string, doc?: string) => ({ schema: rateLimit.prefault(shown), shown, doc });

export const throttleConfig = defineSlice({
  variables: {
    RATE_LIMIT_LOGIN_ACCOUNT_IP: limit(
      '5/15m',
      `Login throttling, as attempts/window (durations as above). Once a limit is spent, the key is
refused with RATE_LIMITED and retryAfter until the window has passed. "account" is the normalized
email (login, signup) or the user id of the refresh token (refreshToken); "IP" is one IPv4 address
or one IPv6 /64. Logins: per account at one IP (ACCOUNT_IP); per account across all IPs except
those it signed in from in the last 14 days (ACCOUNT, the ceiling on a distributed guess); per IP.
A successful login resets its account+IP counter and refunds its IP and account attempts.`,
    ),
    RATE_LIMIT_LOGIN_ACCOUNT: limit('50/1h'),
    RATE_LIMIT_LOGIN_IP: limit('50/15m'),
    RATE_LIMIT_SIGNUP_ACCOUNT: limit('5/1h'),
    RATE_LIMIT_SIGNUP_IP: limit('10/1h'),
    RATE_LIMIT_REFRESH_ACCOUNT: limit('30/1m'),
    RATE_LIMIT_REFRESH_IP: limit('60/1m'),
    RATE_LIMIT_KEY_PREFIX: { schema: z.string().trim().min(1).max(100).default('throttle'), doc: 'Prefix of the counters\' keys in Redis.', shown: 'throttle' },
  },
  build: (env) => ({
    throttle: {
      keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
      login: { accountIp: env.RATE_LIMIT_LOGIN_ACCOUNT_IP, account: env.RATE_LIMIT_LOGIN_ACCOUNT, ip: env.RATE_LIMIT_LOGIN_IP },
      signup: { account: env.RATE_LIMIT_SIGNUP_ACCOUNT, ip: env.RATE_LIMIT_SIGNUP_IP },
      refresh: { account: env.RATE_LIMIT_REFRESH_ACCOUNT, ip: env.RATE_LIMIT_REFRESH_IP },
    },
  }),
});
