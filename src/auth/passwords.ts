/**
 * Password hashing with Argon2id at OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
 * Hashing runs on libuv's thread pool; a small semaphore keeps a burst of logins from taking
 * every thread away from the rest of the server.
 */
import argon2 from 'argon2';
import { badUserInput } from '../kernel/errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Throws BAD_USER_INPUT (field `password`) unless the password is acceptable for a new account. */
export function assertAcceptablePassword(password: string, field = 'password'): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) throw badUserInput(field, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) throw badUserInput(field, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (COMMON_PASSWORDS.has(password.toLowerCase())) throw badUserInput(field, 'Password is too common; choose another');
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export class PasswordHasher {
  private readonly semaphore: Semaphore;
  private dummyHash: Promise<string> | undefined;

  /** `concurrency`: how many hashes may run at once (each takes one libuv thread). */
  constructor(concurrency = 2) {
    this.semaphore = new Semaphore(concurrency);
  }

  hash(password: string): Promise<string> {
    return this.semaphore.run(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  /** False for a wrong password; with no stored hash, still spends the time of one verification. */
  async verify(storedHash: string | null | undefined, password: string): Promise<boolean> {
    if (!storedHash) {
      this.dummyHash ??= this.hash('timing-equaliser-for-unknown-accounts');
      await this.verify(await this.dummyHash, password);
      return false;
    }
    if ([...password].length > PASSWORD_MAX_LENGTH) return false;
    return this.semaphore.run(() => argon2.verify(storedHash, password).catch(() => false));
  }
}
