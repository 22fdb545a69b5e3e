/**
 * Compact JWS on node:crypto for the hot path, verifying this server's own access tokens: a
 * token is split and decoded once, its signature is checked on every call against a key parsed
 * at start-up, and registered claims are checked as jsonwebtoken would. Only the header's decoding
 * is reused between calls, never a check's result; nothing here throws: callers turn a failed check
 * into InvalidTokenError. jsonwebtoken cost
 * 5.6x a bare HMAC of the token, this 2.9x (BENCHMARKS.md, target 3).
 */
import { createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export type JwsAlgorithm = 'HS256' | 'RS256' | 'ES256';

export interface ParsedJwt {
  /** Shared between tokens with the same header (see decodeHeader): read it, never change it. */
  header: Readonly<Record<string, unknown>>;
  payload: Record<string, unknown>;
  /** `header.payload`, exactly as received: what the signature covers. */
  signingInput: string;
  /** The third segment, still base64url. */
  signature: string;
}

/** Three non-empty base64url segments; no backtracking (the classes exclude the dots). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function jsonObject(segment: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The last header segment decoded, and its object. Every token this server issues carries the
 * same header, so it is decoded once rather than per request (a sixth of the verification's own
 * cost). Only the decoding is reused: the signature is still checked over the segment's text.
 */
let lastHeader: { segment: string; header: Readonly<Record<string, unknown>> } | undefined;

function decodeHeader(segment: string): Record<string, unknown> | undefined {
  if (lastHeader?.segment === segment) return lastHeader.header;
  const header = jsonObject(segment);
  if (header) lastHeader = { segment, header: Object.freeze(header) };
  return header;
}

/** Splits and decodes a compact JWS, unverified; undefined unless its header and payload are JSON objects. */
export function parseJwt(token: string): ParsedJwt | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  const header = decodeHeader(token.slice(0, firstDot));
  const payload = header && jsonObject(token.slice(firstDot + 1, secondDot));
  if (!header || !payload) return undefined;
  return { header, payload, signingInput: token.slice(0, secondDot), signature: token.slice(secondDot + 1) };
}

/** The signature's bytes, only if the segment is their canonical encoding (no malleable trailing bits). */
function signatureBytes(signature: string): Buffer | undefined {
  const bytes = Buffer.from(signature, 'base64url');
  return bytes.toString('base64url') === signature ? bytes : undefined;
}

/** Whether `jwt` carries a valid `algorithm` signature by `key`. The caller has checked that header.alg is `algorithm`. */
export function hasValidSignature(jwt: ParsedJwt, algorithm: JwsAlgorithm, key: KeyObject): boolean {
  if (algorithm === 'HS256') {
    if (key.type !== 'secret') return false;
    // Compared as encoded text, which refuses non-canonical encodings of the right bytes too.
    const expected = Buffer.from(createHmac('sha256', key).update(jwt.signingInput).digest('base64url'));
    const presented = Buffer.from(jwt.signature);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }
  if (key.type !== 'public') return false;
  const signature = signatureBytes(jwt.signature);
  if (!signature) return false;
  const data = Buffer.from(jwt.signingInput);
  try {
    return algorithm === 'RS256'
      ? verify('sha256', data, key, signature)
      : verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

export interface ClaimRules {
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  /** Claims that must be present (non-empty); `exp` should always be among them. */
  required: readonly string[];
}

export interface ClaimProblem {
  reason: 'expired' | 'invalid';
  detail: string;
}

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;
const invalid = (detail: string): ClaimProblem => ({ reason: 'invalid', detail });

/**
 * Checks the registered claims of a verified payload: required claims present, `iss` and `aud`
 * matching, `exp`/`nbf`/`iat` numeric, not expired and already valid (within the tolerance).
 * Returns the first problem, or undefined when there is none.
 */
export function claimProblem(payload: Record<string, unknown>, rules: ClaimRules, nowSeconds = Math.floor(Date.now() / 1000)): ClaimProblem | undefined {
  for (const name of rules.required) {
    const value = payload[name];
    if (value === undefined || value === null || value === '') return invalid(`missing ${name} claim`);
  }
  for (const name of TIME_CLAIMS) {
    if (payload[name] !== undefined && typeof payload[name] !== 'number') return invalid(`${name} must be a number`);
  }
  if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds + rules.clockToleranceSeconds) return invalid('token not active yet');
  if (typeof payload.exp === 'number' && nowSeconds >= payload.exp + rules.clockToleranceSeconds) return { reason: 'expired', detail: 'Token expired' };
  const { aud } = payload;
  if (!(aud === rules.audience || (Array.isArray(aud) && aud.includes(rules.audience)))) return invalid('wrong audience');
  if (payload.iss !== rules.issuer) return invalid('wrong issuer');
  if (payload.sub !== undefined && typeof payload.sub !== 'string') return invalid('sub must be a string');
  return undefined;
}
