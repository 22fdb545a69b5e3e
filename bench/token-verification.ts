/**
 * Target 3: what verifying an access token costs over the one thing it cannot skip, an
 * HMAC-SHA256 of the token's bytes. A micro-benchmark in this process: the request path's own
 * Authenticator.viewerFrom (header parsing, signature, claims, the Viewer) against
 * createHmac('sha256', key).update(token).digest() with the same KeyObject, alternating.
 */
import { createHmac } from 'node:crypto';
import { Authenticator } from '../src/auth/authenticator.js';
import type { ExternalIdentities } from '../src/auth/external-identities.js';
import { ExternalIssuers } from '../src/auth/external-issuers.js';
import { loadTokenKeys } from '../src/auth/token-keys.js';
import { loadConfig } from '../src/config.js';
import { benchEnvironment, localTokens, tokenFor } from './lib/environment.js';
import { round } from './lib/harness.js';
import type { Benchmark } from './lib/result.js';
import { alternate, median, medianBlockRatio } from './lib/stats.js';

/** Many short rounds: a burst of other work on the machine spoils a few, and the median drops them. */
const ROUNDS = 40;
const ITERATIONS = 5_000;

/** Average nanoseconds per call of `work`, over ITERATIONS calls. */
async function timePerCall(work: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await work();
  return Number(process.hrtime.bigint() - started) / ITERATIONS;
}

export const tokenVerificationBenchmark: Benchmark = {
  name: 'token-verification',
  description: 'Target 3: access-token verification versus a raw HMAC-SHA256 of the same bytes',
  async run() {
    const config = loadConfig(benchEnvironment('memory:'));
    const key = loadTokenKeys(config.tokens).verificationKey;
    // No external issuer is configured and local tokens never reach the external identities.
    const authenticator = new Authenticator(localTokens(), new ExternalIssuers([], config.tokens.clockToleranceSeconds, { maxAgeSeconds: config.externalIssuerCache.jwksMaxAgeSeconds }), {} as ExternalIdentities);
    const token = tokenFor();
    const header = `Bearer ${token}`;

    const viewer = await authenticator.viewerFrom(header);
    if (!viewer || viewer.permissions.size === 0) throw new Error('the benchmark token does not verify');
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    if (await authenticator.viewerFrom(`Bearer ${tampered}`).then(() => true, () => false)) throw new Error('a tampered token verified');

    const verify = () => authenticator.viewerFrom(header);
    const hmac = () => createHmac('sha256', key).update(token).digest();
    // The same promise-returning loop for both, so the loop's own cost falls on both sides.
    const hmacAsync = async () => hmac();
    await timePerCall(verify);
    await timePerCall(hmacAsync);
    const rounds = await alternate(ROUNDS, () => timePerCall(verify), () => timePerCall(hmacAsync));
    return [
      {
        id: '3',
        name: 'access-token verification vs raw HMAC-SHA256',
        ratio: medianBlockRatio(rounds.a, rounds.b),
        target: { comparison: '<=', value: 3 },
        ratioOf: 'ns per Authenticator.viewerFrom / ns per HMAC-SHA256 of the token',
        context: { 'verify ns': round(median(rounds.a)), 'HMAC ns': round(median(rounds.b)), 'token bytes': token.length },
      },
    ];
  },
};
