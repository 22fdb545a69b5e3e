/**
 * Weak keys never serve a request: the real server (src/main.ts, as an operator starts it)
 * exits with code 1 and one line naming the problem.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_DEFAULTS, loadConfig } from '../../src/config.js';

/** `undefined` removes a variable (NODE_ENV: undefined starts the server the way `node dist/main.js` does on a bare machine). */
function runServer(env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const merged = { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'memory:', ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const pkcs8 = (privateKey: ReturnType<typeof generateKeyPairSync>['privateKey']) => privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

describe('start-up refuses weak keys', () => {
  it.each([
    ['a 16-byte JWT_SECRET', { JWT_SECRET: 'sixteen-byte-key' }, /^Start-up failed: Invalid configuration: JWT_SECRET must be at least 32 bytes long$/],
    ['the development JWT_SECRET in production', { NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_DEFAULTS.jwtSecret }, /^Start-up failed: Invalid configuration: JWT_SECRET is the development default/],
    ['no JWT_SECRET in production', { NODE_ENV: 'production' }, /^Start-up failed: Invalid configuration: JWT_SECRET is required in production/],
    ['no JWT_SECRET when NODE_ENV is unset (production rules)', { NODE_ENV: undefined }, /^Start-up failed: Invalid configuration: JWT_SECRET is required in production/],
    ['the development JWT_SECRET when NODE_ENV is unset', { NODE_ENV: undefined, JWT_SECRET: DEVELOPMENT_DEFAULTS.jwtSecret }, /^Start-up failed: Invalid configuration: JWT_SECRET is the development default/],
    ['demo users without their own passwords when NODE_ENV is unset', { NODE_ENV: undefined, JWT_SECRET: 'a-real-secret-of-at-least-32-bytes!!', SEED_DEMO_DATA: 'true' }, /^Start-up failed: Invalid configuration: SEED_ADMIN_PASSWORD is required to seed demo users in production$/],
    ['production (NODE_ENV unset, so trusted documents are enforced) without the trusted-documents manifest', { NODE_ENV: undefined, JWT_SECRET: 'a-real-secret-of-at-least-32-bytes!!', TRUSTED_DOCUMENTS_MANIFEST: '/nonexistent/trusted-documents.json' }, /^Start-up failed: TRUSTED_DOCUMENTS=enforce needs the manifest/],
    ['a 1024-bit RSA key', { JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: pkcs8(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey) }, /^Start-up failed: Invalid configuration: JWT_PRIVATE_KEY is a 1024-bit RSA key; at least 2048 bits are required$/],
    ['an EC key for RS256', { JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey) }, /^Start-up failed: Invalid configuration: JWT_PRIVATE_KEY must be an RSA key for RS256$/],
  ])('refuses %s: exit code 1 and one line', async (_name, env, message) => {
    const { code, stdout, stderr } = await runServer(env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
  });
});

describe('`npm start` on a fresh machine (the README\'s first command)', () => {
  it('runs with development defaults when nothing is set: the demo user signs in with its documented password', { timeout: 90_000 }, async () => {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    // Only what a shell always has, plus an in-memory database and a free port so the test leaves nothing behind.
    const child = spawn('npm', ['start', '--silent'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: 'memory:', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));
    try {
      let login: Response | undefined;
      for (let attempt = 0; attempt < 300 && !exited && !login; attempt++) {
        login = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `mutation { login(input: { email: "menu@example.com", password: "${DEVELOPMENT_DEFAULTS.seedPasswords.menu}" }) { user { email } } }` }),
        }).catch(() => undefined);
        if (!login) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(login?.status, output).toBe(200);
      expect(await login!.json()).toEqual({ data: { login: { user: { email: 'menu@example.com' } } } });
    } finally {
      // npm, its shell and node share the process group started above.
      if (!exited) process.kill(-child.pid!, 'SIGTERM');
    }
  });
});

describe('start-up refuses limits that would switch a defence off', () => {
  it.each([
    ['RATE_LIMIT_LOGIN_ACCOUNT', '0/15m', /RATE_LIMIT_LOGIN_ACCOUNT must allow at least one attempt/],
    ['RATE_LIMIT_LOGIN_IP', '50', /RATE_LIMIT_LOGIN_IP expected attempts\/window/],
    ['RATE_LIMIT_REFRESH_IP', '60/0s', /RATE_LIMIT_REFRESH_IP must allow at least one attempt in a window longer than zero/],
    ['GRAPHQL_MAX_DEPTH', '0', /GRAPHQL_MAX_DEPTH/],
    ['GRAPHQL_MAX_QUERY_LENGTH', 'unlimited', /GRAPHQL_MAX_QUERY_LENGTH/],
    ['HTTP_MAX_HEADER_BYTES', '100', /HTTP_MAX_HEADER_BYTES/],
    ['TRUST_PROXY', 'everyone', /TRUST_PROXY expected true, false, a hop count/],
  ])('refuses %s=%s with a line naming it', (variable, value, message) => {
    expect(() => loadConfig({ NODE_ENV: 'test', [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', [variable]: value })).toThrow(message);
  });
});
