/**
 * Small tools for the adversarial suite: raw requests, the real throttling defaults, a
 * counter of real Argon2 work, and a loopback server that records any outbound fetch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { TestServer } from '../helpers/server.js';

/** Puts back the per-IP throttle defaults that TEST_ENV raises for ordinary tests. */
export const REAL_THROTTLE_DEFAULTS = { RATE_LIMIT_LOGIN_IP: '', RATE_LIMIT_SIGNUP_IP: '', RATE_LIMIT_REFRESH_IP: '' };

export const AUTH_PAYLOAD = 'accessToken refreshToken user { id email }';
export const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_PAYLOAD} } }`;
export const SIGNUP = `mutation Signup($input: SignupInput!) { signup(input: $input) { ${AUTH_PAYLOAD} } }`;
export const REFRESH = `mutation Refresh($token: String!) { refreshToken(input: { refreshToken: $token }) { ${AUTH_PAYLOAD} } }`;

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string };
}

/** Any request to /graphql: method, headers and body exactly as given. */
export async function rawRequest(server: TestServer, init: RequestInit & { search?: string }) {
  const response = await fetch(`${server.url}/graphql${init.search ?? ''}`, init);
  const text = await response.text();
  let body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[]; message?: string } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** Expects the 401 "Bad credentials" answer to a request carrying this Authorization header. */
export async function expectBadCredentials(server: TestServer, authorization: string, reason?: string) {
  const response = await server.graphql('{ me { id } }', { headers: { authorization } });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0]).toMatchObject({ message: 'Bad credentials', extensions: { code: 'UNAUTHENTICATED', ...(reason && { reason }) } });
  expect(response.body.data).toBeUndefined();
}

/**
 * Counts the real Argon2 work the server hands its password-hashing process (the work still
 * runs, in that process). `server` is read when counting, so the counter can be made before the
 * server starts.
 */
export function countArgon2(server: () => TestServer) {
  const work = () => server().server.services.passwords.work;
  let baseline = { hashes: 0, verifications: 0 };
  return {
    get verifications() {
      return work().verifications - baseline.verifications;
    },
    get hashes() {
      return work().hashes - baseline.hashes;
    },
    reset() {
      const { hashes, verifications } = work();
      baseline = { hashes, verifications };
    },
  };
}

/** A loopback HTTP server that answers 404 and counts requests: proof that nothing was fetched. */
export async function startRequestRecorder() {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const encodeSegment = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
export const nowSeconds = () => Math.floor(Date.now() / 1000);
