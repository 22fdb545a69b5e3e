/**
 * The admin CLI, spawned for real (npm run cli): on an embedded database in a fresh directory,
 * or on a brand-new PostgreSQL database when TEST_DATABASE_URL is set.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../src/auth/passwords.js';
import { openDatabase } from '../src/db/database.js';
import { createEmptyDatabaseUrl, usingPostgres } from './helpers/database.js';
import { startTestServer } from './helpers/server.js';

/** Nothing listens here: commands that must not touch a database would fail loudly if they tried. */
const NO_DATABASE = 'postgresql://nobody@127.0.0.1:1/none';
const COMMANDS = ['create-user', 'grant-role', 'revoke-role', 'disable-user', 'enable-user', 'list-users', 'hash-password'];

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], { databaseUrl = NO_DATABASE, stdin }: { databaseUrl?: string; stdin?: string } = {}): Promise<Outcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** A refusal: the exit code, and exactly one line on stderr saying why. */
function expectRefused(outcome: Outcome, code: number, reason: RegExp): void {
  expect(outcome, outcome.stderr).toMatchObject({ code, stdout: '' });
  expect(outcome.stderr.trim().split('\n')).toEqual([expect.stringMatching(reason)]);
}

describe('admin CLI', { timeout: 180_000 }, () => {
  let databaseUrl: string;
  let cleanUp: () => Promise<void>;

  beforeAll(async () => {
    if (usingPostgres) {
      const empty = await createEmptyDatabaseUrl();
      databaseUrl = empty.url;
      cleanUp = empty.drop;
    } else {
      const directory = mkdtempSync(path.join(tmpdir(), 'cli-pglite-'));
      databaseUrl = `pglite:${directory}`;
      cleanUp = async () => rmSync(directory, { recursive: true, force: true });
    }
  });
  afterAll(() => cleanUp?.());

  it('prints help for the CLI and for every command, without touching a database', async () => {
    const [overview, ...commands] = await Promise.all([cli(['--help']), ...COMMANDS.map((command) => cli([command, '--help']))]);
    expect(overview.code).toBe(0);
    for (const command of COMMANDS) expect(overview.stdout).toContain(`  ${command}`);
    commands.forEach((outcome, index) => {
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stdout).toMatch(new RegExp(`^Usage: npm run cli -- ${COMMANDS[index]}`));
      expect(outcome.stdout).toContain('--help');
    });
  });

  it('refuses a wrong command line with exit code 2 and one line on stderr', async () => {
    const [none, unknown, option, missing, bothPasswords] = await Promise.all([
      cli([]),
      cli(['drop-users']),
      cli(['list-users', '--all']),
      cli(['create-user', '--email', 'someone@example.com', '--password', 'a fine passphrase']),
      cli(['hash-password', '--password', 'a fine passphrase', '--password-stdin']),
    ]);
    expectRefused(none, 2, /^error: a command is required/);
    expectRefused(unknown, 2, /^error: unknown command "drop-users"; expected one of: create-user, grant-role/);
    expectRefused(option, 2, /^error: list-users: Unknown option '--all'/);
    expectRefused(missing, 2, /^error: create-user: --name is required$/);
    expectRefused(bothPasswords, 2, /^error: hash-password: give either --password or --password-stdin/);
  });

  it('hashes a password with Argon2id from standard input, without a database, and refuses a weak one', async () => {
    const [hashed, weak] = await Promise.all([
      cli(['hash-password', '--password-stdin'], { stdin: 'a long enough passphrase\n' }),
      cli(['hash-password', '--password', 'password1']),
    ]);
    expect(hashed.code, hashed.stderr).toBe(0);
    const hash = hashed.stdout.trim();
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const hasher = new PasswordHasher();
    try {
      expect(await hasher.verify(hash, 'a long enough passphrase')).toBe(true);
      expect(await hasher.verify(hash, 'a long enough passphrase\n')).toBe(false);
    } finally {
      await hasher.close();
    }
    expectRefused(weak, 1, /^error: Password is too common/);
  });

  it('creates a user with roles on a brand-new database, changes their roles and lists them', async () => {
    const created = await cli(
      ['create-user', '--email', 'Ops.Lead@Example.com', '--name', 'Ops Lead', '--password-stdin', '--role', 'menu-admin', '--role', 'book-admin'],
      { databaseUrl, stdin: 'ops lead passphrase\n' },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created user ops\.lead@example\.com \([0-9a-f-]{36}\) with roles: book-admin, menu-admin\n$/);

    const granted = await cli(['grant-role', '--email', 'OPS.LEAD@example.com', '--role', 'admin'], { databaseUrl });
    expect(granted, granted.stderr).toMatchObject({ code: 0, stdout: 'Granted admin to ops.lead@example.com; roles now: admin, book-admin, menu-admin\n' });
    const revoked = await cli(['revoke-role', '--email', 'ops.lead@example.com', '--role', 'book-admin'], { databaseUrl });
    expect(revoked, revoked.stderr).toMatchObject({ code: 0, stdout: 'Revoked book-admin from ops.lead@example.com; roles now: admin, menu-admin\n' });

    const listed = await cli(['list-users', '--json'], { databaseUrl });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ email: 'ops.lead@example.com', fullName: 'Ops Lead', roles: ['admin', 'menu-admin'], disabled: false }),
    ]);
  });

  it('refuses bad input with exit code 1 and one line on stderr, changing nothing', async () => {
    // Refused before any database is opened (NO_DATABASE would fail otherwise).
    const [typo, weak] = await Promise.all([
      cli(['create-user', '--email', 'typo@example.com', '--name', 'Typo', '--password', 'another passphrase', '--role', 'menu-admn']),
      cli(['create-user', '--email', 'weak@example.com', '--name', 'Weak', '--password', 'short']),
    ]);
    expectRefused(typo, 1, /^error: Unknown role "menu-admn"; expected one of: admin, menu-admin, book-admin$/);
    expectRefused(weak, 1, /^error: Password must be at least 8 characters$/);

    const refusedByData: [string[], RegExp][] = [
      [['create-user', '--email', 'ops.lead@EXAMPLE.com', '--name', 'Copy', '--password', 'another passphrase'], /^error: An account with this email already exists$/],
      [['create-user', '--email', 'not-an-email', '--name', 'X', '--password', 'another passphrase'], /^error: email: must be a valid email address$/],
      [['grant-role', '--email', 'nobody@example.com', '--role', 'admin'], /^error: User with email nobody@example.com not found$/],
      [['revoke-role', '--email', 'ops.lead@example.com', '--role', 'superuser'], /^error: role must be one of: admin, menu-admin, book-admin$/],
    ];
    // One at a time: the embedded database takes one process at a time.
    for (const [args, reason] of refusedByData) expectRefused(await cli(args, { databaseUrl }), 1, reason);
  });

  it('leaves a user who signs in to the API with that password and holds those roles', async () => {
    const server = await startTestServer({}, { db: await openDatabase({ url: databaseUrl, poolSize: 2 }) });
    try {
      const login = await server.graphql<{ login: { accessToken: string } }>(
        'mutation { login(input: { email: "ops.lead@example.com", password: "ops lead passphrase" }) { accessToken } }',
      );
      expect(login.body.errors).toBeUndefined();
      const me = await server.graphql('{ me { email roles } }', { token: login.body.data!.login.accessToken });
      expect(me.body.data).toEqual({ me: { email: 'ops.lead@example.com', roles: ['admin', 'menu-admin'] } });
      // The refused commands created nobody.
      expect(await server.db.prisma.user.count()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('disables a user, revoking their sessions and refusing sign-in, and enables them again', async () => {
    const LOGIN = 'mutation { login(input: { email: "ops.lead@example.com", password: "ops lead passphrase" }) { refreshToken } }';
    const REFRESH = 'mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { accessToken } }';
    // The embedded database takes one process at a time: the server is closed before each command.
    const withServer = async <T>(work: (server: Awaited<ReturnType<typeof startTestServer>>) => Promise<T>) => {
      const server = await startTestServer({}, { db: await openDatabase({ url: databaseUrl, poolSize: 2 }) });
      try {
        return await work(server);
      } finally {
        await server.close();
      }
    };
    const refreshToken = await withServer(async (server) => (await server.graphql<{ login: { refreshToken: string } }>(LOGIN)).body.data!.login.refreshToken);

    const disabled = await cli(['disable-user', '--email', 'OPS.LEAD@example.com'], { databaseUrl });
    expect(disabled, disabled.stderr).toMatchObject({ code: 0, stdout: 'Disabled ops.lead@example.com; every refresh token revoked\n' });
    const again = await cli(['disable-user', '--email', 'ops.lead@example.com'], { databaseUrl });
    expect(again, again.stderr).toMatchObject({ code: 0, stdout: 'ops.lead@example.com was already disabled; every refresh token revoked\n' });
    expectRefused(await cli(['disable-user', '--email', 'nobody@example.com'], { databaseUrl }), 1, /^error: User with email nobody@example.com not found$/);
    expectRefused(await cli(['enable-user'], { databaseUrl }), 2, /^error: enable-user: --email is required$/);
    const listed = await cli(['list-users'], { databaseUrl });
    expect(listed.stdout).toContain('ops.lead@example.com (disabled)');

    await withServer(async (server) => {
      expect((await server.graphql(LOGIN)).body.errors?.[0]?.message).toBe('Invalid email or password');
    });
    const enabled = await cli(['enable-user', '--email', 'ops.lead@example.com'], { databaseUrl });
    expect(enabled, enabled.stderr).toMatchObject({ code: 0, stdout: 'Enabled ops.lead@example.com\n' });
    await withServer(async (server) => {
      expect((await server.graphql(REFRESH, { variables: { token: refreshToken } })).body.errors?.[0]?.extensions?.reason).toBe('revoked');
      expect((await server.graphql(LOGIN)).body.errors).toBeUndefined();
    });
  });

  it('keeps out of an embedded database another process has open, and takes over a lock its dead owner left', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'cli-locked-'));
    const url = `pglite:${directory}`;
    try {
      const server = await openDatabase({ url });
      const locked = await cli(['list-users'], { databaseUrl: url });
      expectRefused(locked, 1, new RegExp(`^error: The embedded database .* is open in process ${process.pid}\\. Stop that process first`));
      await expect(openDatabase({ url })).rejects.toThrow(/is open in process \d+ \(this one\)/);
      await server.close();

      // A process that has exited cannot hold the lock: a stale lock file is taken over.
      const exited = spawn(process.execPath, ['-e', '']);
      await new Promise((resolve) => exited.once('close', resolve));
      writeFileSync(`${directory}.lock`, String(exited.pid));
      const listed = await cli(['list-users', '--json'], { databaseUrl: url });
      expect(listed.code, listed.stderr).toBe(0);
      expect(existsSync(`${directory}.lock`)).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      rmSync(`${directory}.lock`, { force: true });
    }
  });
});
