import { createServer } from 'node:http';

import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';

import { DEV_IDP_AUDIENCE, devIssuer } from '../../api/http/auth';
import { fileTestApp, testAppOver } from '../support/app';
import { auth, expectProblem, newCitizenId } from '../support/fixtures';
import { freePort } from '../support/server-process';

const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'puente-citizens';

// The citizens' identity provider: an ES256 key published at a local JWKS URL.
const { publicKey, privateKey } = await generateKeyPair('ES256');
const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' }] });
const idp = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(jwks);
});
await new Promise<void>((ok) => idp.listen(0, '127.0.0.1', ok));
afterAll(() => new Promise<void>((ok) => idp.close(() => ok())));
const address = idp.address();
const jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;

const t = await fileTestApp({
  config: {
    oidc: {
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl,
      idNumberClaim: 'dni',
      nameClaim: 'name',
      algorithms: ['ES256'],
    },
  },
});

const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);

/** An ID token of the identity provider; `exp` and `iat` only when given. */
function idpToken(claims: JWTPayload): Promise<string> {
  return new SignJWT({ dni: newCitizenId(), name: 'Carmen López García', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(privateKey);
}

const myDelegations = (token: string) => t.request('/v1/me/delegations', { headers: auth(token) });

describe("citizens' ID tokens", () => {
  it("the identity provider's token is accepted while it lasts, and not after", async () => {
    const token = await idpToken({ iat: nowSeconds(), exp: nowSeconds() + 300 });
    expect((await myDelegations(token)).status).toBe(200);
    t.clock.advance(301_000);
    await expectProblem(await myDelegations(token), 401, 'citizen_token_invalid');
  });

  it('a token that never expires is refused, though the provider signed it', async () => {
    await expectProblem(await myDelegations(await idpToken({ iat: nowSeconds() })), 401, 'citizen_token_invalid');
  });

  it("a development identity provider's token that never expires is refused", async () => {
    const key = await t.deps!.signingKeys.signingKey(t.sql, 'dev_idp', t.clock.now());
    const token = await new SignJWT({ dni: newCitizenId(), name: 'Carmen López García' })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setIssuer(devIssuer(t.config))
      .setAudience(DEV_IDP_AUDIENCE)
      .setIssuedAt(nowSeconds())
      .sign(key.privateKey);
    await expectProblem(await myDelegations(token), 401, 'citizen_token_invalid');
  });

  it('an identity provider whose keys cannot be fetched: the token is refused and the operator told once, without the token', async () => {
    // One provider that nothing listens for, one that answers 503.
    const down = createServer((_req, res) => {
      res.writeHead(503);
      res.end('maintenance');
    });
    await new Promise<void>((ok) => down.listen(0, '127.0.0.1', ok));
    onTestFinished(() => new Promise<void>((ok) => down.close(() => ok())));
    const port = (down.address() as { port: number }).port;
    for (const jwksUrl of [`http://127.0.0.1:${await freePort()}/jwks.json`, `http://127.0.0.1:${port}/jwks.json`]) {
      const issuer = `https://idp-${jwksUrl.length}-${port}.example.test`;
      const unreachable = testAppOver(
        t.database,
        { ...t.config, oidc: { ...t.config.oidc!, issuer, jwksUrl } },
        t.clock,
      );
      const tokens = await Promise.all(
        [1, 2].map(() =>
          new SignJWT({ dni: newCitizenId(), name: 'Carmen López García' })
            .setProtectedHeader({ alg: 'ES256', kid: 'idp-1', typ: 'JWT' })
            .setIssuer(issuer)
            .setAudience(AUDIENCE)
            .setIssuedAt(nowSeconds())
            .setExpirationTime(nowSeconds() + 300)
            .sign(privateKey),
        ),
      );
      for (const token of tokens) {
        const res = await unreachable.request('/v1/me/delegations', { headers: auth(token) });
        await expectProblem(res, 401, 'citizen_token_invalid');
      }
      const warnings = unreachable.logs.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn');
      expect(warnings, jwksUrl).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ msg: expect.stringContaining('identity provider keys cannot be fetched') });
      expect(warnings[0].jwks_host).toBe(new URL(jwksUrl).host);
      const logged = unreachable.logs.join('\n');
      for (const token of tokens) for (const part of token.split('.')) expect(logged).not.toContain(part);
      expect(logged).not.toContain('Carmen');
    }
    // A token the reachable provider did not sign is refused without a warning: that is the token's fault.
    const { privateKey: otherKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ dni: newCitizenId() })
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-1', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(nowSeconds() + 300)
      .sign(otherKey);
    const before = t.logs.length;
    await expectProblem(await myDelegations(forged), 401, 'citizen_token_invalid');
    expect(t.logs.slice(before).filter((l) => JSON.parse(l).level === 'warn')).toEqual([]);
  });
});
