/**
 * Password rules, and Argon2id hashing at OWASP's recommended parameters (19 MiB, 2 passes, 1
 * lane) in a low-priority process of its own (hashing-process.ts), behind a bounded queue, so
 * that a burst of logins neither takes cores from request work nor piles up without end.
 */
import { DEFAULT_PASSWORD_HASH_QUEUE_LIMIT } from '../config.js';
import { badUserInput } from '../kernel/errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { HashingProcess } from './hashing-process.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Throws BAD_USER_INPUT (field `password`) unless the password is acceptable for a new account. */
export function assertAcceptablePassword(password: string, field = 'password'): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) throw badUserInput(field, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) throw badUserInput(field, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (COMMON_PASSWORDS.has(password.toLowerCase())) throw badUserInput(field, 'Password is too common; choose another');
}

export interface PasswordHasherOptions {
  /** How many hashes may run at once (PASSWORD_HASH_CONCURRENCY): each holds a core and 19 MiB. */
  concurrency?: number;
  /** How many more may wait (PASSWORD_HASH_QUEUE_LIMIT); beyond that, RATE_LIMITED at once. */
  queueLimit?: number;
}

export class PasswordHasher {
  private readonly process: HashingProcess;
  private dummyHash: Promise<string> | undefined;

  constructor({ concurrency = 2, queueLimit = DEFAULT_PASSWORD_HASH_QUEUE_LIMIT }: PasswordHasherOptions = {}) {
    this.process = new HashingProcess(concurrency, queueLimit);
  }

  /** Throws RATE_LIMITED when the queue is full, before anything is hashed or written. */
  async hash(password: string): Promise<string> {
    return (await this.process.run({ operation: 'hash', password })) as string;
  }

  /** False for a wrong password; with no stored hash, still spends the time of one verification. */
  async verify(storedHash: string | null | undefined, password: string): Promise<boolean> {
    if ([...password].length > PASSWORD_MAX_LENGTH) return false;
    if (!storedHash) {
      await this.process.run({ operation: 'verify', hash: await this.timingEqualiser(), password });
      return false;
    }
    return (await this.process.run({ operation: 'verify', hash: storedHash, password })) as boolean;
  }

  /** Argon2 work handed to the hashing process so far (tests count it), what it holds and what waits now, and its process id while it runs. */
  get work(): { hashes: number; verifications: number; inFlight: number; waiting: number; pid: number | undefined } {
    return { hashes: this.process.sent.hash, verifications: this.process.sent.verify, ...this.process.state };
  }

  /** Ends the hashing process; requests still waiting are refused. */
  close(): Promise<void> {
    return this.process.close();
  }

  /** A hash with the stored hashes' parameters for unknown accounts to be verified against; made again if making it failed (a full queue). */
  private timingEqualiser(): Promise<string> {
    this.dummyHash ??= this.hash('timing-equaliser-for-unknown-accounts').catch((error: unknown) => {
      this.dummyHash = undefined;
      throw error;
    });
    return this.dummyHash;
  }
}
