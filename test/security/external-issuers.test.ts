/**
 * Attacks through external issuers' tokens: hostile or numerous `kid`s, foreign keys, key
 * references, algorithms the issuer does not use, the clock leeway. Every one answers 401,
 * and JWKS traffic stays bounded: an attacker cannot make the server fetch at will.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalIssuers } from '../../src/auth/external-issuers.js';
import { loadConfig } from '../../src/config.js';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { encodeSegment as encode, expectBadCredentials, nowSeconds as now, startRequestRecorder } from './helpers.js';

describe('external issuer tokens under attack', () => {
  let issuer: TestIssuer;
  let rsaOnly: TestIssuer;
  let recorder: Awaited<ReturnType<typeof startRequestRecorder>>;
  let server: TestServer;
  /** An issuer whose "JWKS endpoint" records every path asked of it (and has no keys). */
  const recordedIssuer = 'https://recorded.test.example/';

  beforeAll(async () => {
    issuer = await startTestIssuer();
    rsaOnly = await startTestIssuer('https://rsa-only.test.example');
    recorder = await startRequestRecorder();
    const recorded = { issuer: recordedIssuer, audience: issuer.audience, jwksUri: `${recorder.url}/.well-known/jwks.json`, algorithms: ['RS256'] };
    server = await startTestServer({ OIDC_ISSUERS: JSON.stringify([issuer.configEntry(['RS256', 'ES256']), rsaOnly.configEntry(['RS256']), recorded]) });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
    await rsaOnly?.close();
    await recorder?.close();
  });

  const expectAccepted = async (token: string) => {
    const response = await server.graphql('{ me { id } }', { token });
    expect(response.body.errors).toBeUndefined();
  };

  it('refuses hostile kid values (path traversal, SQL, 10 KB, control characters) → 401; the kid never reaches a URL', async () => {
    const hostile = ['../../../../etc/passwd', '..%2F..%2F..%2Fetc%2Fpasswd', "' OR '1'='1' --", "x'; DROP TABLE users; --", 'k'.repeat(10 * 1024), 'line\nbreak', '\u0000'];
    for (const kid of hostile) {
      await expectBadCredentials(server, `Bearer ${issuer.sign({ iss: recordedIssuer }, { header: { kid } })}`);
    }
    // The over-long and control-character kids are refused before any fetch; the others cost at most one JWKS request each.
    expect(recorder.paths.length).toBeLessThanOrEqual(4);
    expect(recorder.paths.filter((path) => path !== '/.well-known/jwks.json')).toEqual([]);
  });

  it('keeps JWKS fetches bounded under a flood of unknown kids (≤ 10 a minute), and still accepts a cached key', async () => {
    const known = issuer.sign({ sub: 'auth0|flood-victim' });
    await expectAccepted(known);
    const before = issuer.jwksRequests;
    for (let index = 0; index < 40; index++) {
      await expectBadCredentials(server, `Bearer ${issuer.sign({}, { header: { kid: `unknown-${index}` } })}`);
    }
    expect(issuer.jwksRequests - before).toBeLessThanOrEqual(10);
    await expectAccepted(issuer.sign({ sub: 'auth0|flood-victim' }));
  });

  it('refuses a token signed by a foreign key that claims the issuer\'s kid → 401', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = jwt.sign(
      { iss: issuer.issuer, aud: issuer.audience, sub: 'auth0|admin', exp: now() + 300, permissions: ['manage:users', 'read:users'] },
      privateKey,
      { algorithm: 'RS256', header: { alg: 'RS256', kid: issuer.rsaKey.kid } },
    );
    await expectBadCredentials(server, `Bearer ${forged}`);
  });

  it('refuses jku / x5u / jwk headers on an external token without fetching from the attacker or the issuer → 401', async () => {
    const attacker = await startRequestRecorder();
    try {
      const issuerBefore = issuer.jwksRequests;
      for (const header of [{ jku: `${attacker.url}/jwks.json` }, { x5u: `${attacker.url}/cert.pem` }, { jwk: issuer.rsaKey.publicJwk }]) {
        await expectBadCredentials(server, `Bearer ${issuer.sign({}, { header })}`);
      }
      expect(attacker.paths).toEqual([]);
      expect(issuer.jwksRequests).toBe(issuerBefore);
    } finally {
      await attacker.close();
    }
  });

  it('refuses an algorithm the issuer is not configured for (ES256, HS256 keyed with its public key, none) without fetching → 401', async () => {
    const before = rsaOnly.jwksRequests;
    await expectBadCredentials(server, `Bearer ${rsaOnly.sign({}, { key: rsaOnly.ecKey })}`);
    const claims = { iss: rsaOnly.issuer, aud: rsaOnly.audience, sub: 'auth0|x', exp: now() + 300 };
    const publicPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }) as string;
    for (const key of [JSON.stringify(rsaOnly.rsaKey.publicJwk), publicPem]) {
      const unsigned = `${encode({ alg: 'HS256', kid: rsaOnly.rsaKey.kid })}.${encode(claims)}`;
      await expectBadCredentials(server, `Bearer ${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`);
    }
    await expectBadCredentials(server, `Bearer ${encode({ alg: 'none', kid: rsaOnly.rsaKey.kid })}.${encode(claims)}.`);
    expect(rsaOnly.jwksRequests).toBe(before);
  });

  it('refuses a token from an issuer that is not configured, even one naming its own jku, with zero fetches → 401', async () => {
    const stranger = await startTestIssuer();
    try {
      await expectBadCredentials(server, `Bearer ${stranger.sign()}`);
      await expectBadCredentials(server, `Bearer ${stranger.sign({}, { header: { jku: stranger.jwksUri } })}`);
      expect(stranger.jwksRequests).toBe(0);
    } finally {
      await stranger.close();
    }
  });

  it('refuses an ID token (audience = the client id) and a token without exp → 401', async () => {
    await expectBadCredentials(server, `Bearer ${issuer.sign({ aud: 'spa-client-id', nonce: 'n' })}`);
    await expectBadCredentials(server, `Bearer ${issuer.sign({ exp: undefined })}`);
  });

  it('honours the clock leeway (5 s): exp 2 s ago and nbf 2 s ahead pass; 8 s past exp or before nbf → 401', async () => {
    await expectAccepted(issuer.sign({ iat: now() - 300, exp: now() - 2 }));
    await expectAccepted(issuer.sign({ nbf: now() + 2 }));
    await expectBadCredentials(server, `Bearer ${issuer.sign({ iat: now() - 300, exp: now() - 8 })}`, 'Token expired');
    await expectBadCredentials(server, `Bearer ${issuer.sign({ nbf: now() + 8 })}`);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JWKS cache lifetime (OIDC_JWKS_CACHE_MAX_AGE)', () => {
  let issuer: TestIssuer;
  let singleKey: TestIssuer;
  let server: TestServer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    singleKey = await startTestIssuer('https://single-key.test.example', { algorithms: ['RS256'] });
    server = await startTestServer({
      OIDC_ISSUERS: JSON.stringify([issuer.configEntry(['RS256', 'ES256']), singleKey.configEntry(['RS256'])]),
      OIDC_JWKS_CACHE_MAX_AGE: '1s',
    });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
    await singleKey?.close();
  });

  const expectAccepted = async (token: string) => {
    const response = await server.graphql('{ me { id } }', { token });
    expect(response.body.errors).toBeUndefined();
  };
  const expectRefused = (token: string) => expectBadCredentials(server, `Bearer ${token}`);

  it('stops accepting a key the issuer removed once the cache max age has passed, while the endpoint is up', async () => {
    const oldKey = issuer.rsaKey;
    await expectAccepted(issuer.sign({ sub: 'auth0|rotated-out' }, { key: oldKey }));
    const newKey = issuer.rotate('RS256', true);
    await sleep(1_300);
    await expectRefused(issuer.sign({ sub: 'auth0|rotated-out' }, { key: oldKey }));
    await expectAccepted(issuer.sign({ sub: 'auth0|rotated-out' }, { key: newKey }));
  });

  it('keeps accepting keys it already fetched while the JWKS endpoint is down, but no key it never saw', async () => {
    const known = issuer.keys.at(-1)!;
    await expectAccepted(issuer.sign({ sub: 'auth0|outage' }, { key: known }));
    issuer.setDown(true);
    try {
      const unseen = issuer.rotate('RS256');
      await sleep(1_300);
      await expectAccepted(issuer.sign({ sub: 'auth0|outage' }, { key: known }));
      await expectRefused(issuer.sign({ sub: 'auth0|outage' }, { key: unseen }));
    } finally {
      issuer.setDown(false);
    }
  });

  it('accepts a token without kid only while the JWKS holds exactly one signing key', async () => {
    const noKid = (target: TestIssuer) => target.sign({ sub: 'auth0|no-kid' }, { header: { kid: undefined } });
    await expectRefused(noKid(issuer));
    await expectAccepted(noKid(singleKey));
    const second = singleKey.rotate('RS256');
    await sleep(1_300);
    await expectRefused(noKid(singleKey));
    await expectAccepted(singleKey.sign({ sub: 'auth0|no-kid' }, { key: second }));
  });
});

describe('JWKS endpoint outage', () => {
  it('serves cached keys for a bounded grace period past the max age while the endpoint is down, then refuses them', async () => {
    const issuer = await startTestIssuer();
    try {
      const { externalIssuers } = loadConfig({ NODE_ENV: 'test', OIDC_ISSUERS: JSON.stringify([issuer.configEntry()]) });
      // The production grace is an hour; the same code with one second.
      const verifier = new ExternalIssuers(externalIssuers, 5, { maxAgeSeconds: 1, outageGraceSeconds: 1 });
      const token = issuer.sign({ sub: 'auth0|grace' });
      const verify = () => verifier.verify(token, jwt.decode(token, { complete: true })!.header, issuer.issuer);
      await expect(verify()).resolves.toMatchObject({ subject: 'auth0|grace' });
      issuer.setDown(true);
      await sleep(1_300);
      await expect(verify()).resolves.toMatchObject({ subject: 'auth0|grace' });
      await sleep(1_000);
      await expect(verify()).rejects.toThrow('no usable signing key');
    } finally {
      await issuer.close();
    }
  });
});

describe('permissions an external token may carry', () => {
  let rbac: TestIssuer;
  let scoped: TestIssuer;
  let server: TestServer;

  beforeAll(async () => {
    rbac = await startTestIssuer();
    scoped = await startTestIssuer('https://scoped.test.example');
    server = await startTestServer({
      OIDC_ISSUERS: JSON.stringify([
        rbac.configEntry(['RS256']),
        scoped.configEntry(['RS256'], { permissionsClaim: 'scope', grants: ['read:admin-messages', 'create:items'] }),
      ]),
    });
  });
  afterAll(async () => {
    await server?.close();
    await rbac?.close();
    await scoped?.close();
  });

  const permissionsOf = async (token: string) => {
    const response = await server.graphql<{ me: { permissions: string[] } }>('{ me { permissions } }', { token });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.me.permissions;
  };

  it('ignores the scope claim by default: a client that asks for scope manage:users gets nothing', async () => {
    const token = rbac.sign({ sub: 'auth0|scope-climber', scope: 'openid manage:users read:users' });
    expect(await permissionsOf(token)).toEqual([]);
    const users = await server.graphql('{ users { edges { node { id } } } }', { token });
    expect(users.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps only catalog permissions from the permissions claim', async () => {
    const token = rbac.sign({ sub: 'auth0|inventive', permissions: ['create:items', 'launch:missiles', 'admin', 7] });
    expect(await permissionsOf(token)).toEqual(['create:items']);
  });

  it("reads the scope claim of an issuer configured for it, capped by the issuer's grants", async () => {
    const token = scoped.sign({ sub: 'auth0|scoped', scope: 'openid read:admin-messages manage:users read:users', permissions: ['delete:items'] });
    expect(await permissionsOf(token)).toEqual(['read:admin-messages']);
    expect((await server.graphql('{ adminMessage { text } }', { token })).body.data).toEqual({ adminMessage: { text: 'This is an admin message.' } });
    expect((await server.graphql('{ users { edges { node { id } } } }', { token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
