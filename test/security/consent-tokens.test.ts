import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApp } from '../../api/app';
import { memoryLogger } from '../../api/http/logger';
import { SecretBox } from '../../api/lib/crypto-box';
import { base64UrlEncode } from '../../api/lib/encoding';
import { SigningKeyStore } from '../../api/modules/consent/keys';
import { issueDevIdToken } from '../../api/modules/dev-idp/tokens';
import { nodeDeps } from '../../api/node/runtime';
import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  dni,
  expectJson,
  expectProblem,
  grantDelegation,
  mintToken,
  type RegisteredOrg,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';

let t: TestApp;
let org: Required<RegisteredOrg>;
let delegationId: string;
let citizen: string;
let token: string;

beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  org = await registerVerifiedOrg(t);
  const granted = await grantDelegation(t, org.liveKey);
  delegationId = granted.delegationId;
  citizen = granted.citizenToken!;
  token = await mintToken(t, org.liveKey, delegationId);
});
afterAll(() => t.close());

const check = (key: string, consent: string | undefined, query = '') =>
  t.request(`/v1/consent-tokens/current${query}`, { headers: auth(key, consent ? { 'puente-consent': consent } : {}) });

/** Signs arbitrary claims with Puente's real current key: only the claim under test is wrong. */
async function signWithPuenteKey(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const store = new SigningKeyStore(new SecretBox(t.config.secretKey));
  const signing = await store.signingKey(t.sql, 'consent', t.clock.now());
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: 'puente-consent+jwt', ...header })
    .sign(signing.privateKey);
}

describe('consent tokens are verified strictly', () => {
  it('accepts the genuine token', async () => {
    const res = await check(org.liveKey, token, '?capacity=file&procedure_type=JUB');
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as any).delegation_id).toBe(delegationId);
  });

  it('requires the header', async () => {
    await expectProblem(await check(org.liveKey, undefined), 403, 'consent_required');
  });

  it('refuses a forged (altered) token', async () => {
    const [h, , s] = token.split('.');
    const claims = { ...decodeJwt(token), dlg: 'dlg_somebodyElse000000000' };
    const forged = `${h}.${base64UrlEncode(new TextEncoder().encode(JSON.stringify(claims)))}.${s}`;
    await expectProblem(await check(org.liveKey, forged), 403, 'consent_signature_invalid');
  });

  it('refuses alg none', async () => {
    const header = base64UrlEncode(
      new TextEncoder().encode(
        JSON.stringify({ alg: 'none', typ: 'puente-consent+jwt', kid: decodeProtectedHeader(token).kid }),
      ),
    );
    const payload = token.split('.')[1];
    await expectProblem(await check(org.liveKey, `${header}.${payload}.`), 403, 'consent_algorithm_not_allowed');
  });

  it('refuses HS256 signed with the public key', async () => {
    const jwks = (await (await t.request('/.well-known/jwks.json')).json()) as any;
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const hs = await new SignJWT(decodeJwt(token))
      .setProtectedHeader({ alg: 'HS256', typ: 'puente-consent+jwt', kid: jwks.keys[0].kid })
      .sign(publicKeyBytes);
    await expectProblem(await check(org.liveKey, hs), 403, 'consent_algorithm_not_allowed');
  });

  it('refuses a token signed with a key Puente does not know', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    const foreign = await new SignJWT(decodeJwt(token))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'puente-consent+jwt', kid: 'ck_attacker' })
      .sign(privateKey);
    await expectProblem(await check(org.liveKey, foreign), 403, 'consent_key_unknown');
    const sameKid = await new SignJWT(decodeJwt(token))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'puente-consent+jwt', kid: decodeProtectedHeader(token).kid! })
      .sign(privateKey);
    await expectProblem(await check(org.liveKey, sameKid), 403, 'consent_signature_invalid');
  });

  it('refuses a key id that Puente could not have made as an invalid token, without looking it up', async () => {
    const withKid = (kid: string) =>
      `${base64UrlEncode(new TextEncoder().encode(JSON.stringify({ alg: 'EdDSA', typ: 'puente-consent+jwt', kid })))}.e30.c2ln`;
    for (const kid of ['\u0000', 'ck_\u0000', 'ck_\ud800', 'ck 2026', 'x'.repeat(65), '']) {
      const problem = await expectProblem(await check(org.liveKey, withKid(kid)), 403, 'consent_invalid');
      expect(problem.detail).toMatch(/key id/);
      const introspected = await t.request('/v1/consent-tokens/introspect', {
        method: 'POST',
        headers: auth(org.liveKey),
        json: { token: withKid(kid) },
      });
      expect(introspected.status).toBe(200);
      expect(await introspected.json()).toMatchObject({ active: false, reason: 'consent_invalid' });
    }
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    t.clock.advance(11 * 60_000);
    try {
      await expectProblem(await check(org.liveKey, token), 403, 'consent_expired');
    } finally {
      t.clock.advance(-11 * 60_000);
    }
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const future = await signWithPuenteKey({ ...decodeJwt(token), iat: now + 3600, exp: now + 4200 });
    await expectProblem(await check(org.liveKey, future), 403, 'consent_not_yet_valid');
  });

  it('refuses a wrong audience or issuer', async () => {
    await expectProblem(
      await check(org.liveKey, await signWithPuenteKey({ ...decodeJwt(token), aud: 'https://other-api.example' })),
      403,
      'consent_audience_mismatch',
    );
    await expectProblem(
      await check(org.liveKey, await signWithPuenteKey({ ...decodeJwt(token), iss: 'https://evil.example' })),
      403,
      'consent_issuer_mismatch',
    );
  });

  it("refuses another organisation's token and a token of the other mode", async () => {
    const other = await registerVerifiedOrg(t);
    await expectProblem(await check(other.liveKey, token), 403, 'consent_actor_mismatch');
    await expectProblem(await check(org.testKey, token), 403, 'consent_mode_mismatch');
  });

  it('introspection answers a token of the other mode as inactive, and tells nothing of it', async () => {
    const introspect = async (key: string) =>
      expectJson<Record<string, unknown>>(
        await t.request('/v1/consent-tokens/introspect', { method: 'POST', headers: auth(key), json: { token } }),
        200,
      );
    expect(await introspect(org.liveKey)).toMatchObject({ active: true, dlg: delegationId });
    expect(await introspect(org.testKey)).toEqual({
      active: false,
      reason: 'consent_mode_mismatch',
      sub: null,
      dlg: null,
      act: null,
      livemode: null,
      authorization_details: null,
      iat: null,
      exp: null,
      jti: null,
      delegation_status: null,
    });
  });

  it('a token for JUB cannot be used for IMV, nor beyond its capacities', async () => {
    await expectProblem(
      await check(org.liveKey, token, '?capacity=file&procedure_type=IMV'),
      403,
      'scope_insufficient',
    );
    await expectProblem(await check(org.liveKey, token, '?capacity=withdraw'), 403, 'scope_insufficient');
    const consultOnly = await mintToken(t, org.liveKey, delegationId, { capacities: ['consult'] });
    await expectProblem(
      await check(org.liveKey, consultOnly, '?capacity=file&procedure_type=JUB'),
      403,
      'scope_insufficient',
    );
  });
});

describe('citizen ID tokens', () => {
  it('refuses a token whose name cannot be stored as text, and records no citizen', async () => {
    const store = new SigningKeyStore(new SecretBox(t.config.secretKey));
    for (const name of ['Ana\u0000Gil', 'Ana \ud800']) {
      const idToken = await issueDevIdToken(store, t.sql, t.config, dni(7601), name, t.clock.now());
      const [before] = await t.sql<{ n: number }[]>`select count(*)::int as n from citizens`;
      const problem = await expectProblem(
        await t.request('/v1/me/delegations', { headers: auth(idToken) }),
        401,
        'citizen_token_invalid',
      );
      expect(problem.detail).toMatch(/"name" claim/);
      const [after] = await t.sql<{ n: number }[]>`select count(*)::int as n from citizens`;
      expect(after!.n).toBe(before!.n);
    }
  });
});

describe('revocation takes effect on the very next request', () => {
  it('everywhere, every time, under concurrent load and on a second server', async () => {
    const test = await registerOrg(t);
    const granted = await grantDelegation(t, test.testKey);
    const minted = await mintToken(t, test.testKey, granted.delegationId);
    const second = createApp(nodeDeps(t.config, t.database, memoryLogger(), t.clock));
    const use = (app: { request: typeof t.app.request }) =>
      Promise.resolve(
        app.request('/v1/consent-tokens/current', { headers: auth(test.testKey, { 'puente-consent': minted }) }),
      );

    const before = await Promise.all(Array.from({ length: 10 }, (_, i) => use(i % 2 ? second : t.app)));
    expect(before.map((r) => r.status)).toEqual(Array(10).fill(200));

    // Renounce (the organisation) here; the citizen path is covered below with a live delegation.
    const renounce = await t.request(`/v1/delegations/${granted.delegationId}/renounce`, {
      method: 'POST',
      headers: auth(test.testKey),
    });
    expect(renounce.status).toBe(200);
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => use(i % 2 ? second : t.app)));
    for (const res of after) await expectProblem(res, 403, 'delegation_inactive');
  });

  it('when the citizen revokes', async () => {
    const fresh = await mintToken(t, org.liveKey, delegationId);
    expect((await check(org.liveKey, fresh)).status).toBe(200);
    const inFlight = Array.from({ length: 10 }, () => check(org.liveKey, fresh));
    await Promise.all(inFlight);
    const revoke = await t.request(`/v1/me/delegations/${delegationId}/revoke`, {
      method: 'POST',
      headers: auth(citizen),
    });
    expect(revoke.status).toBe(200);
    const next = await Promise.all(Array.from({ length: 10 }, () => check(org.liveKey, fresh)));
    for (const res of next) await expectProblem(res, 403, 'delegation_inactive');
    // Every successful use before the revocation is in the citizen's log, in order.
    const log = (await (await t.request('/v1/me/access-log?limit=100', { headers: auth(citizen) })).json()) as any;
    const checks = log.data.filter((e: any) => e.action === 'consent.checked');
    expect(checks.length).toBeGreaterThanOrEqual(12);
    expect(checks.every((e: any) => e.member?.id === org.ownerId && e.resource?.id === delegationId)).toBe(true);
  });
});

describe('signing key rotation', () => {
  it('signs new tokens with the new key, keeps old tokens valid, and publishes both keys', async () => {
    const before = await mintToken(t, org.liveKey, (await grantDelegation(t, org.liveKey)).delegationId);
    const rotated = await t.request('/v1/admin/signing-keys/rotate', { method: 'POST', headers: auth(ADMIN_TOKEN) });
    expect(rotated.status).toBe(200);
    const { kid } = (await rotated.json()) as { kid: string };
    const jwks = (await (await t.request('/.well-known/jwks.json')).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid, decodeProtectedHeader(before).kid]);
    expect((await check(org.liveKey, before)).status).toBe(200);
    // This process dropped its cached key on rotation: the next token carries the new kid.
    const after = await mintToken(t, org.liveKey, (await grantDelegation(t, org.liveKey)).delegationId);
    expect(decodeProtectedHeader(after).kid).toBe(kid);
  });
});
