/**
 * Weak keys never serve a request: the real server (src/main.ts, as an operator starts it)
 * exits with code 1 and one line naming the problem.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_DEFAULTS, loadConfig } from '../../src/config.js';

function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'memory:', ...env },
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
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });
});
