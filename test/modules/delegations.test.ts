import { describe, expect, inject, it } from 'vitest';

import { begin } from '../../api/db/sql';
import { SESSION_COOKIE } from '../../api/http/auth';
import { runScheduler } from '../../api/modules/events/scheduler';
import { readMigrationFiles } from '../../api/node/migration-files';
import { createTestApp, fileTestApp } from '../support/app';
import { lockWaiters } from '../support/database';
import {
  ADMIN_TOKEN,
  auth,
  citizenToken,
  createRequest,
  delegationRequestBody,
  expectJson,
  expectProblem,
  grantDelegation,
  mintToken,
  newCitizenId,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, FORMS } from '../support/procedures';

const t = await fileTestApp({
  // More organisations sign up here than the hourly limit of one address allows.
  config: { adminToken: ADMIN_TOKEN, registrationRateLimit: { limit: 10_000, windowSeconds: 3600 } },
});

/** A client's request to a new test organisation, valid until 4 March 2026; and the clock to set back. */
async function requestValidUntil4March() {
  const org = await registerOrg(t);
  const start = t.clock.now();
  const request = await createRequest(
    t,
    org.testKey,
    delegationRequestBody(newCitizenId(), { valid_until: '2026-03-04' }),
  );
  return { org, request, start };
}

/** The sandbox accepting a request as the citizen would. */
const sandboxAccept = (key: string, requestId: string) =>
  t.request(`/v1/sandbox/delegation-requests/${requestId}/accept`, { method: 'POST', headers: auth(key) });

describe('delegation requests', () => {
  it('creates a pending request with an approval link and a readable code', async () => {
    const org = await registerOrg(t);
    const idNumber = newCitizenId();
    const res = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: auth(org.testKey),
      json: delegationRequestBody(idNumber),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ status: 'pending', livemode: false, citizen: { id_number: idNumber } });
    expect(body.approval_url).toBe(`http://puente.test/ciudadania/solicitudes/${body.id}`);
    expect(body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(new Date(body.expires_at).getTime() - new Date(body.created_at).getTime()).toBe(21 * 86_400_000);
  });

  it('validates the citizen id number, scope and validity (at most 5 years)', async () => {
    const org = await registerOrg(t);
    const badId = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: auth(org.testKey),
      json: delegationRequestBody('12345678A'),
    });
    expect((await expectProblem(badId, 400, 'validation_failed')).errors[0].pointer).toBe('/citizen/id_number');
    const tooLong = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: auth(org.testKey),
      json: delegationRequestBody(newCitizenId(), { valid_until: '2031-03-03' }),
    });
    expect((await expectProblem(tooLong, 400, 'validation_failed')).errors[0].pointer).toBe('/valid_until');
    const noScope = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: auth(org.testKey),
      json: delegationRequestBody(newCitizenId(), {
        scope: { procedure_types: [], subjects: [], capacities: ['consult'] },
      }),
    });
    await expectProblem(noScope, 400, 'validation_failed');
  });

  it('answers 409 naming the existing pending request for the same citizen and scope', async () => {
    const org = await registerOrg(t);
    const idNumber = newCitizenId();
    const first = await createRequest(t, org.testKey, delegationRequestBody(idNumber));
    const again = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: auth(org.testKey),
      json: delegationRequestBody(idNumber),
    });
    const problem = await expectProblem(again, 409, 'duplicate');
    expect(problem.existing_id).toBe(first.id);
    // Another scope is another request.
    const other = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: auth(org.testKey),
      json: delegationRequestBody(idNumber, {
        scope: { procedure_types: [], subjects: ['family'], capacities: ['consult'] },
      }),
    });
    expect(other.status).toBe(201);
  });

  it('expires after 21 days: shown as expired, cannot be accepted, a new one can be made', async () => {
    const org = await registerOrg(t);
    const idNumber = newCitizenId();
    const request = await createRequest(t, org.testKey, delegationRequestBody(idNumber));
    t.clock.advance(21 * 86_400_000 + 1000);
    try {
      const seen = (await (
        await t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.testKey) })
      ).json()) as any;
      expect(seen).toMatchObject({ status: 'expired', ended_by: 'system' });
      const accept = await t.request(`/v1/sandbox/delegation-requests/${request.id}/accept`, {
        method: 'POST',
        headers: auth(org.testKey),
      });
      await expectProblem(accept, 409, 'delegation_request_expired');
      expect(
        (
          await t.request('/v1/delegation-requests', {
            method: 'POST',
            headers: auth(org.testKey),
            json: delegationRequestBody(idNumber),
          })
        ).status,
      ).toBe(201);
    } finally {
      t.clock.advance(-(21 * 86_400_000 + 1000));
    }
  });

  it('expires with the last day of its validity, and is never accepted into a delegation already ended', async () => {
    const { org, request, start } = await requestValidUntil4March();
    // The end of 4 March in Madrid (winter time, UTC+1), well before the 21 days it would wait.
    expect((request as unknown as { expires_at: string }).expires_at).toBe('2026-03-04T23:00:00.000Z');
    // The citizen is told they may answer until 4 March, the last day they can.
    const [aviso] = await t.sql<{ facts: { answerBy: string } }[]>`
      select facts from avisos where dedupe_key = ${`delegation_request:${request.id}:email`}`;
    expect(aviso!.facts.answerBy).toBe('2026-03-04');
    try {
      t.clock.set('2026-03-04T23:30:00Z'); // 00:30 on 5 March in Madrid
      await expectProblem(await sandboxAccept(org.testKey, request.id), 409, 'delegation_request_expired');
      const seen = await expectJson(
        await t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.testKey) }),
        200,
      );
      expect(seen).toMatchObject({
        status: 'expired',
        ended_at: '2026-03-04T23:00:00.000Z',
        ended_by: 'system',
        delegation_id: null,
      });
    } finally {
      t.clock.set(start);
    }
  });

  it('is accepted until the last minute of its last day, into a delegation of that one day', async () => {
    const { org, request, start } = await requestValidUntil4March();
    try {
      t.clock.set('2026-03-04T22:59:00Z'); // 23:59 on 4 March in Madrid
      const accepted = await expectJson<{ delegation_id: string }>(await sandboxAccept(org.testKey, request.id), 200);
      const delegation = await expectJson(
        await t.request(`/v1/delegations/${accepted.delegation_id}`, { headers: auth(org.testKey) }),
        200,
      );
      expect(delegation).toMatchObject({ status: 'active', valid_from: '2026-03-04', valid_until: '2026-03-04' });
    } finally {
      t.clock.set(start);
    }
  });

  it('refuses a request that waited past its last day (made before requests expired with it)', async () => {
    const { org, request, start } = await requestValidUntil4March();
    // As such requests were stored: waiting the full 21 days.
    await t.sql`update delegation_requests set expires_at = '2026-03-23T09:00:00Z' where id = ${request.id}`;
    try {
      t.clock.set('2026-03-10T09:00:00Z');
      await expectProblem(await sandboxAccept(org.testKey, request.id), 409, 'delegation_request_expired');
      const [none] = await t.sql<{ n: number }[]>`
        select count(*)::int as n from delegations where request_id = ${request.id}`;
      expect(none!.n).toBe(0);
      // The migration that moved such requests' expiry to the end of their last day.
      const migration = readMigrationFiles().find((f) => f.name.endsWith('_delegation_request_expiry_by_validity.sql'));
      await t.sql.unsafe(migration!.sql);
      const seen = await expectJson(
        await t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.testKey) }),
        200,
      );
      expect(seen).toMatchObject({ status: 'expired', expires_at: '2026-03-04T23:00:00.000Z', ended_by: 'system' });
    } finally {
      t.clock.set(start);
    }
  });

  it('can be cancelled by the organisation, once', async () => {
    const org = await registerOrg(t);
    const request = await createRequest(t, org.testKey, delegationRequestBody(newCitizenId()));
    const cancel = await t.request(`/v1/delegation-requests/${request.id}/cancel`, {
      method: 'POST',
      headers: auth(org.testKey),
    });
    expect((await cancel.json()) as any).toMatchObject({ status: 'cancelled', ended_by: 'organization' });
    await expectProblem(
      await t.request(`/v1/delegation-requests/${request.id}/cancel`, { method: 'POST', headers: auth(org.testKey) }),
      409,
      'invalid_state_transition',
    );
  });
});

describe('citizen side', () => {
  it('lets a citizen see and answer only requests for their own id number', async () => {
    const org = await registerVerifiedOrg(t);
    const mine = newCitizenId();
    const other = newCitizenId();
    const request = await createRequest(t, org.liveKey, delegationRequestBody(mine));
    const myToken = await citizenToken(t, mine);
    const otherToken = await citizenToken(t, other);

    const list = (await (await t.request('/v1/me/delegation-requests', { headers: auth(myToken) })).json()) as any;
    expect(list.data.map((r: any) => r.id)).toEqual([request.id]);
    expect(list.data[0].organization).toMatchObject({ verified: true });
    const otherList = (await (
      await t.request('/v1/me/delegation-requests', { headers: auth(otherToken) })
    ).json()) as any;
    expect(otherList.data).toEqual([]);

    await expectProblem(
      await t.request(`/v1/me/delegation-requests/${request.id}/accept`, { method: 'POST', headers: auth(otherToken) }),
      404,
      'not_found',
    );
    const accepted = await t.request(`/v1/me/delegation-requests/${request.id}/accept`, {
      method: 'POST',
      headers: auth(myToken),
    });
    expect(accepted.status).toBe(200);
    const delegationId = ((await accepted.json()) as any).delegation_id;
    expect(delegationId).toMatch(/^dlg_/);

    await expectProblem(
      await t.request(`/v1/me/delegations/${delegationId}/revoke`, { method: 'POST', headers: auth(otherToken) }),
      404,
      'not_found',
    );
    const myDelegations = (await (await t.request('/v1/me/delegations', { headers: auth(myToken) })).json()) as any;
    expect(myDelegations.data.map((d: any) => d.id)).toEqual([delegationId]);
  });

  it('grants the withdraw capacity only with its own express confirmation', async () => {
    const org = await registerVerifiedOrg(t);
    const idNumber = newCitizenId();
    const request = await createRequest(
      t,
      org.liveKey,
      delegationRequestBody(idNumber, {
        scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'withdraw'] },
      }),
    );
    const token = await citizenToken(t, idNumber);
    const accept = (json?: unknown) =>
      t.request(`/v1/me/delegation-requests/${request.id}/accept`, {
        method: 'POST',
        headers: auth(token),
        ...(json === undefined ? {} : { json }),
      });

    for (const body of [undefined, {}, { confirm_withdraw: false }]) {
      const problem = await expectProblem(await accept(body), 422, 'unprocessable');
      expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/confirm_withdraw', in: 'body' })]);
    }
    const pending = await expectJson<{ status: string }>(
      await t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.liveKey) }),
      200,
    );
    expect(pending.status).toBe('pending');
    const [none] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from delegations where request_id = ${request.id}`;
    expect(none!.n).toBe(0);

    const accepted = await expectJson<{ status: string; delegation_id: string }>(
      await accept({ confirm_withdraw: true }),
      200,
    );
    expect(accepted.status).toBe('accepted');
    // The token covers withdrawing: the capacity was granted.
    await mintToken(t, org.liveKey, accepted.delegation_id, { capacities: ['withdraw'] });
  });

  it('refuses ID tokens from untrusted issuers or without a valid id number', async () => {
    const { SignJWT, generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('EdDSA');
    const forged = await new SignJWT({ dni: '12345678Z' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('https://evil.example')
      .setAudience('puente-citizen')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await expectProblem(await t.request('/v1/me/delegations', { headers: auth(forged) }), 401, 'citizen_token_invalid');
    const sameIssuerWrongKey = await new SignJWT({ dni: '12345678Z' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'idp_fake' })
      .setIssuer('http://puente.test/dev-idp')
      .setAudience('puente-citizen')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await expectProblem(
      await t.request('/v1/me/delegations', { headers: auth(sameIssuerWrongKey) }),
      401,
      'citizen_token_invalid',
    );
    await expectProblem(await t.request('/v1/me/delegations'), 401, 'citizen_token_invalid');
  });
});

describe('delegations and consent tokens', () => {
  it('mints tokens that work until the citizen revokes, then fail on the very next request', async () => {
    const org = await registerVerifiedOrg(t);
    const granted = await grantDelegation(t, org.liveKey);
    const token = await mintToken(t, org.liveKey, granted.delegationId);
    const introspected = (await (
      await t.request('/v1/consent-tokens/introspect', { method: 'POST', headers: auth(org.liveKey), json: { token } })
    ).json()) as any;
    expect(introspected).toMatchObject({ active: true, dlg: granted.delegationId, act: { sub: org.id } });

    const revoke = await t.request(`/v1/me/delegations/${granted.delegationId}/revoke`, {
      method: 'POST',
      headers: auth(granted.citizenToken!),
    });
    expect((await revoke.json()) as any).toMatchObject({ status: 'revoked', ended_by: 'citizen' });

    const after = (await (
      await t.request('/v1/consent-tokens/introspect', { method: 'POST', headers: auth(org.liveKey), json: { token } })
    ).json()) as any;
    expect(after).toMatchObject({ active: false, reason: 'delegation_inactive', delegation_status: 'revoked' });
    await expectProblem(
      await t.request(`/v1/delegations/${granted.delegationId}/consent-tokens`, {
        method: 'POST',
        headers: auth(org.liveKey),
      }),
      403,
      'delegation_inactive',
    );
    const seen = (await (
      await t.request(`/v1/delegations/${granted.delegationId}`, { headers: auth(org.liveKey) })
    ).json()) as any;
    expect(seen.status).toBe('revoked');
  });

  it('issues EdDSA tokens with the documented claims, verifiable with the published JWKS', async () => {
    const { createLocalJWKSet, jwtVerify, decodeProtectedHeader } = await import('jose');
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey, {
      scope: { procedure_types: ['JUB'], subjects: ['family'], capacities: ['consult', 'file'] },
    });
    const token = await mintToken(t, org.testKey, granted.delegationId, { capacities: ['consult'] });
    const jwks = (await (await t.request('/.well-known/jwks.json')).json()) as any;
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: 'http://puente.test',
      audience: 'http://puente.test/v1',
      currentDate: t.clock.now(),
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'puente-consent+jwt' });
    expect(decodeProtectedHeader(token).kid).toBe(jwks.keys[0].kid);
    expect(payload).toMatchObject({ dlg: granted.delegationId, act: { sub: org.id }, livemode: false });
    expect(payload.sub).toMatch(/^cit_/);
    expect((payload.exp as number) - (payload.iat as number)).toBe(600);
    expect(payload.authorization_details).toEqual([
      {
        type: 'puente_delegation',
        procedure_types: ['JUB', 'NCM', 'CCL', 'CUME', 'REM', 'AHC'],
        capacities: ['consult'],
      },
    ]);
  });

  it('refuses to mint beyond the delegation scope', async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey);
    const res = await t.request(`/v1/delegations/${granted.delegationId}/consent-tokens`, {
      method: 'POST',
      headers: auth(org.testKey),
      json: { capacities: ['withdraw'] },
    });
    await expectProblem(res, 403, 'scope_insufficient');
  });

  it('lets the organisation renounce, recording who ended it', async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey);
    const res = await t.request(`/v1/delegations/${granted.delegationId}/renounce`, {
      method: 'POST',
      headers: auth(org.testKey),
      json: { reason: 'El cliente cambia de gestoría.' },
    });
    expect((await res.json()) as any).toMatchObject({
      status: 'renounced',
      ended_by: 'organization',
      ended_reason: 'El cliente cambia de gestoría.',
    });
    await expectProblem(
      await t.request(`/v1/delegations/${granted.delegationId}/renounce`, {
        method: 'POST',
        headers: auth(org.testKey),
      }),
      409,
      'invalid_state_transition',
    );
  });

  it('suspends every active delegation when the organisation is suspended', async () => {
    const org = await registerVerifiedOrg(t);
    const granted = await grantDelegation(t, org.liveKey);
    await t.request(`/v1/admin/organizations/${org.id}/suspend`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { reason: 'Baja colegial comunicada.' },
    });
    const mine = (await (
      await t.request('/v1/me/delegations', { headers: auth(granted.citizenToken!) })
    ).json()) as any;
    expect(mine.data[0]).toMatchObject({ status: 'suspended', ended_by: 'platform' });
  });

  it('cancels the pending requests of a suspended organisation, as ended by the platform', async () => {
    const org = await registerVerifiedOrg(t);
    const idNumber = newCitizenId();
    const live = await createRequest(t, org.liveKey, delegationRequestBody(idNumber));
    const test = await createRequest(t, org.testKey, delegationRequestBody(newCitizenId()));
    const token = await citizenToken(t, idNumber);
    const suspendedAt = t.clock.now().toISOString();
    const suspended = await t.request(`/v1/admin/organizations/${org.id}/suspend`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { reason: 'Baja colegial comunicada.' },
    });
    expect(suspended.status).toBe(200);

    // The citizen no longer sees it waiting for them, and accepting it says why it cannot be.
    const pending = await expectJson<{ data: unknown[] }>(
      await t.request('/v1/me/delegation-requests?status=pending', { headers: auth(token) }),
      200,
    );
    expect(pending.data).toEqual([]);
    const mine = await expectJson<{ data: Array<Record<string, unknown>> }>(
      await t.request('/v1/me/delegation-requests', { headers: auth(token) }),
      200,
    );
    expect(mine.data).toEqual([
      expect.objectContaining({ id: live.id, status: 'cancelled', ended_by: 'system', ended_at: suspendedAt }),
    ]);
    const refused = await expectProblem(
      await t.request(`/v1/me/delegation-requests/${live.id}/accept`, { method: 'POST', headers: auth(token) }),
      409,
      'invalid_state_transition',
    );
    expect(refused.current_state).toBe('cancelled');
    const page = await t.request(`/ciudadania/solicitudes/${live.id}`, {
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    });
    expect(await page.text()).toContain('Puente suspendió a la organización, y esta solicitud quedó cancelada.');

    // Reinstated, the organisation finds both requests cancelled, each with its event.
    const reinstated = await t.request(`/v1/admin/organizations/${org.id}/reinstate`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
    });
    expect(reinstated.status).toBe(200);
    for (const [key, request] of [
      [org.liveKey, live],
      [org.testKey, test],
    ] as const) {
      const seen = await expectJson(
        await t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(key) }),
        200,
      );
      expect(seen).toMatchObject({ status: 'cancelled', ended_by: 'system', delegation_id: null });
      const events = await expectJson<{ data: Array<{ type: string; data: Record<string, unknown> }> }>(
        await t.request('/v1/events?type=delegation_request.cancelled', { headers: auth(key) }),
        200,
      );
      expect(events.data.map((e) => e.data)).toEqual([{ delegation_request_id: request.id, status: 'cancelled' }]);
    }
  });

  it('treats a delegation past its end date as expired', async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey, { validUntil: '2026-03-10' });
    const token = await mintToken(t, org.testKey, granted.delegationId);
    t.clock.advance(9 * 86_400_000);
    try {
      const seen = (await (
        await t.request(`/v1/delegations/${granted.delegationId}`, { headers: auth(org.testKey) })
      ).json()) as any;
      expect(seen).toMatchObject({ status: 'expired', ended_by: 'expiry' });
      const verdict = (await (
        await t.request('/v1/consent-tokens/introspect', {
          method: 'POST',
          headers: auth(org.testKey),
          json: { token },
        })
      ).json()) as any;
      expect(verdict.active).toBe(false);
    } finally {
      t.clock.advance(-9 * 86_400_000);
    }
  });
});

describe('an expired delegation', () => {
  it('ended at midnight in Madrid at the end of its valid_until, before and after the scheduler records it', async () => {
    const org = await registerOrg(t);
    const winter = await grantDelegation(t, org.testKey, { validUntil: '2026-03-04' });
    const summer = await grantDelegation(t, org.testKey, { validUntil: '2026-07-15' });
    const seen = async (id: string) =>
      expectJson<{ status: string; ended_at: string | null; ended_by: string | null }>(
        await t.request(`/v1/delegations/${id}`, { headers: auth(org.testKey) }),
        200,
      );
    const expired = (endedAt: string) => ({ status: 'expired', ended_at: endedAt, ended_by: 'expiry' });
    // The scheduler records the expiry in the row (derived from the date until then).
    const scheduler = async (id: string) => {
      await runScheduler(t.sql, t.clock.now(), t.deps!.calendar);
      const [row] = await t.sql<{ status: string }[]>`select status from delegations where id = ${id}`;
      expect(row!.status).toBe('expired');
    };
    const start = t.clock.now();
    try {
      // 23:30 on 4 March in Madrid (UTC+1): still its last day.
      t.clock.set(new Date('2026-03-04T22:30:00Z'));
      expect(await seen(winter.delegationId)).toMatchObject({ status: 'active', ended_at: null });
      // 00:30 on 5 March in Madrid: ended at its midnight, 23:00 UTC.
      t.clock.set(new Date('2026-03-04T23:30:00Z'));
      expect(await seen(winter.delegationId)).toMatchObject(expired('2026-03-04T23:00:00.000Z'));
      t.clock.set(new Date('2026-03-05T10:00:00Z'));
      await scheduler(winter.delegationId);
      expect(await seen(winter.delegationId)).toMatchObject(expired('2026-03-04T23:00:00.000Z'));

      // Summer time (UTC+2): 23:30 on 15 July in Madrid is still its last day; midnight is 22:00 UTC.
      t.clock.set(new Date('2026-07-15T21:30:00Z'));
      expect(await seen(summer.delegationId)).toMatchObject({ status: 'active', ended_at: null });
      t.clock.set(new Date('2026-07-15T22:30:00Z'));
      expect(await seen(summer.delegationId)).toMatchObject(expired('2026-07-15T22:00:00.000Z'));
      t.clock.set(new Date('2026-07-20T08:00:00Z'));
      await scheduler(summer.delegationId);
      expect(await seen(summer.delegationId)).toMatchObject(expired('2026-07-15T22:00:00.000Z'));
      expect(await seen(winter.delegationId)).toMatchObject(expired('2026-03-04T23:00:00.000Z'));
    } finally {
      t.clock.set(start);
    }
  });
});

describe('professional standing', () => {
  const NON_PRACTISING = {
    colegio: 'Colegio Oficial de Graduados Sociales de Madrid',
    registration_number: '3307',
    practising: false,
  };

  it('refuses to ask a citizen for a delegation for an organisation registered as non-practising', async () => {
    const org = await registerOrg(t, { kind: 'graduado_social', professional_standing: NON_PRACTISING });
    const idNumber = newCitizenId();
    await expectProblem(
      await t.request('/v1/delegation-requests', {
        method: 'POST',
        headers: auth(org.testKey),
        json: delegationRequestBody(idNumber),
      }),
      403,
      'organization_not_practising',
    );
    // Nothing was sent: no request on the organisation's list, none waiting for the citizen.
    const listed = await expectJson<{ data: unknown[] }>(
      await t.request('/v1/delegation-requests', { headers: auth(org.testKey) }),
      200,
    );
    expect(listed.data).toEqual([]);
    const [waiting] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from delegation_requests where organization_id = ${org.id}`;
    expect(waiting!.n).toBe(0);
  });

  it('refuses to grant a delegation to an organisation registered as non-practising', async () => {
    const org = await registerOrg(t, { kind: 'graduado_social', professional_standing: NON_PRACTISING });
    // Asked while it practised; the colegio lists it as non-practising before the citizen answers.
    await t.sql`update organizations set practising = true where id = ${org.id}`;
    const request = await createRequest(t, org.testKey, delegationRequestBody(newCitizenId()));
    await t.sql`update organizations set practising = false where id = ${org.id}`;
    await expectProblem(
      await t.request(`/v1/sandbox/delegation-requests/${request.id}/accept`, {
        method: 'POST',
        headers: auth(org.testKey),
      }),
      403,
      'organization_not_practising',
    );
    const still = await expectJson<{ status: string; delegation_id: string | null }>(
      await t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.testKey) }),
      200,
    );
    expect(still).toMatchObject({ status: 'pending', delegation_id: null });
  });

  it('checks the standing when the citizen accepts, and on every use of a delegation granted before it lapsed', async () => {
    const org = await registerVerifiedOrg(t);
    const granted = await grantDelegation(t, org.liveKey);
    const token = await mintToken(t, org.liveKey, granted.delegationId);
    const idNumber = newCitizenId();
    const request = await createRequest(t, org.liveKey, delegationRequestBody(idNumber));
    // The colegio now lists it as non-practising (standing recorded before verification refused it).
    await t.sql`update organizations set practising = false where id = ${org.id}`;

    await expectProblem(
      await t.request(`/v1/me/delegation-requests/${request.id}/accept`, {
        method: 'POST',
        headers: auth(await citizenToken(t, idNumber)),
      }),
      403,
      'organization_not_practising',
    );
    await expectProblem(
      await t.request(`/v1/delegations/${granted.delegationId}/consent-tokens`, {
        method: 'POST',
        headers: auth(org.liveKey),
      }),
      403,
      'organization_not_practising',
    );
    await expectProblem(
      await t.request('/v1/consent-tokens/current', { headers: auth(org.liveKey, { 'puente-consent': token }) }),
      403,
      'organization_not_practising',
    );
    const introspected = await expectJson<{ active: boolean }>(
      await t.request('/v1/consent-tokens/introspect', { method: 'POST', headers: auth(org.liveKey), json: { token } }),
      200,
    );
    expect(introspected.active).toBe(false);
  });
});

describe('access log', () => {
  it('shows the citizen every token minted, newest first, with the acting member', async () => {
    const org = await registerVerifiedOrg(t);
    const granted = await grantDelegation(t, org.liveKey);
    await mintToken(t, org.liveKey, granted.delegationId);
    t.clock.advance(1000);
    await mintToken(t, org.liveKey, granted.delegationId, { capacities: ['consult'] });
    const log = (await (await t.request('/v1/me/access-log', { headers: auth(granted.citizenToken!) })).json()) as any;
    expect(log.data).toHaveLength(2);
    expect(
      log.data.every(
        (e: any) =>
          e.action === 'consent_token.minted' &&
          e.member?.name === 'Lucía Martínez Pardo' &&
          e.organization.id === org.id,
      ),
    ).toBe(true);
    expect(new Date(log.data[0].occurred_at) > new Date(log.data[1].occurred_at)).toBe(true);
    await expect(t.sql`update access_log set action = 'tampered'`).rejects.toThrow(/append-only/);
    await expect(t.sql`delete from access_log`).rejects.toThrow(/append-only/);
  });
});

describe("the citizen's access log in production", () => {
  it('shows live entries only: a test-mode delegation a firm made up for their DNI is not theirs', async () => {
    const p = await createTestApp({
      config: { env: 'production', devIdentityProvider: true, adminToken: ADMIN_TOKEN },
    });
    try {
      const idNumber = newCitizenId();
      // A firm's test key: its sandbox accepts the firm's own request, for any DNI.
      const sandbox = await registerOrg(p);
      const madeUp = await grantDelegation(p, sandbox.testKey, { idNumber });
      await mintToken(p, sandbox.testKey, madeUp.delegationId);
      // A verified firm's live delegation, which the citizen accepts.
      const live = await registerVerifiedOrg(p);
      const granted = await grantDelegation(p, live.liveKey, { idNumber });
      await mintToken(p, live.liveKey, granted.delegationId);
      const log = await expectJson<{ data: Array<{ livemode: boolean; delegation_id: string }> }>(
        await p.request('/v1/me/access-log', { headers: auth(granted.citizenToken!) }),
        200,
      );
      expect(log.data.length).toBeGreaterThan(0);
      expect(log.data.every((e) => e.livemode && e.delegation_id === granted.delegationId)).toBe(true);

      // Nor can they act on it: revoking it by id answers as for any delegation not theirs.
      const revoke = (id: string) =>
        p.request(`/v1/me/delegations/${id}/revoke`, { method: 'POST', headers: auth(granted.citizenToken!) });
      await expectProblem(await revoke(madeUp.delegationId), 404, 'not_found');
      const [sandboxed] = await p.sql<
        { status: string }[]
      >`select status from delegations where id = ${madeUp.delegationId}`;
      expect(sandboxed!.status).toBe('active');
      expect((await expectJson<{ status: string }>(await revoke(granted.delegationId), 200)).status).toBe('revoked');
    } finally {
      await p.close();
    }
  });
});

/**
 * Another transaction holds `table` (`lock table … in share mode`: rows can be read, not written)
 * until `release` is called; resolves once it does.
 */
async function holdTable(table: 'procedures' | 'events'): Promise<{ release(): Promise<void> }> {
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const done = begin(t.sql, async (tx) => {
    await tx.unsafe(`lock table ${table} in share mode`);
    held();
    await released;
  });
  await holding;
  return {
    release: () => {
      release();
      return done;
    },
  };
}

/** Records the order in which requests are answered. */
function answered(order: string[], name: string, res: Promise<Response>): Promise<Response> {
  return res.then((r) => {
    order.push(`${name} ${r.status}`);
    return r;
  });
}

/**
 * `act`, stopped by another transaction holding `table` just before it writes there (having read
 * its organisation), and meanwhile the organisation's suspension, which waits for that read; then
 * both let go. Answers the two responses, `act`'s first.
 */
async function racingSuspension(
  orgId: string,
  table: 'delegations' | 'delegation_requests',
  act: () => Promise<Response>,
): Promise<[Response, Response]> {
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const blocker = begin(t.sql, async (tx) => {
    await tx`lock table ${tx(table)} in share mode`;
    holding();
    await released;
  });
  await held;
  const acting = act();
  await lockWaiters(t.sql, 1);
  const suspending = t.request(`/v1/admin/organizations/${orgId}/suspend`, {
    method: 'POST',
    headers: auth(ADMIN_TOKEN),
    json: { reason: 'Baja como ejerciente comunicada por el Colegio.' },
  });
  await lockWaiters(t.sql, 2);
  release();
  await blocker;
  return Promise.all([acting, suspending]);
}

// Two transactions at once need two connections: PostgreSQL only.
describe.runIf(inject('databaseMode') === 'postgres')('a revocation and the writes under the delegation', () => {
  const revoke = (g: { delegationId: string; citizenToken?: string }) =>
    t.request(`/v1/me/delegations/${g.delegationId}/revoke`, { method: 'POST', headers: auth(g.citizenToken!) });
  const createDraft = (key: string, token: string) =>
    t.request('/v1/procedures', {
      method: 'POST',
      headers: consentHeaders(key, token),
      json: { type: 'JUB', form: FORMS.JUB },
    });

  it('waits for a write already past its consent check, which commits before the revocation is answered', async () => {
    const org = await registerVerifiedOrg(t);
    const g = await grantDelegation(t, org.liveKey);
    const token = await mintToken(t, org.liveKey, g.delegationId);
    const order: string[] = [];
    // The draft's creation passes its consent check, then waits to insert its row.
    const procedures = await holdTable('procedures');
    let create: Promise<Response>;
    let revoked: Promise<Response>;
    try {
      create = answered(order, 'create', createDraft(org.liveKey, token));
      await lockWaiters(t.sql, 1);
      revoked = answered(order, 'revoke', revoke(g));
      await lockWaiters(t.sql, 2);
      expect(order).toEqual([]);
    } finally {
      await procedures.release();
    }
    await expectJson(await create, 201);
    expect((await expectJson<{ status: string }>(await revoked, 200)).status).toBe('revoked');
    expect(order).toEqual(['create 201', 'revoke 200']);
  });

  it('refuses a write that reaches its consent check while the revocation is under way', async () => {
    const org = await registerVerifiedOrg(t);
    const g = await grantDelegation(t, org.liveKey);
    const token = await mintToken(t, org.liveKey, g.delegationId);
    // The revocation has ended the delegation, and waits to record its event before it commits.
    const events = await holdTable('events');
    let revoked: Promise<Response>;
    let create: Promise<Response>;
    try {
      revoked = revoke(g);
      await lockWaiters(t.sql, 1);
      create = createDraft(org.liveKey, token);
      await lockWaiters(t.sql, 2);
    } finally {
      await events.release();
    }
    expect((await expectJson<{ status: string }>(await revoked, 200)).status).toBe('revoked');
    await expectProblem(await create, 403, 'delegation_inactive');
    expect(await t.sql`select id from procedures where delegation_id = ${g.delegationId}`).toHaveLength(0);
  });

  it('does not make writes under one delegation wait for each other', async () => {
    const org = await registerVerifiedOrg(t);
    const g = await grantDelegation(t, org.liveKey);
    const token = await mintToken(t, org.liveKey, g.delegationId);
    // Another write under the same delegation, past its consent check and not committed.
    await begin(t.sql, async (tx) => {
      await tx`select 1 from delegations where id = ${g.delegationId} for share`;
      await expectJson(await createDraft(org.liveKey, token), 201);
    });
  });
});

describe.runIf(inject('databaseMode') === 'postgres')('a revocation and a renunciation at once', () => {
  it('end the delegation once; the other answers 409 naming the state it was left in', async () => {
    const org = await registerVerifiedOrg(t);
    const g = await grantDelegation(t, org.liveKey);
    // Another transaction holds the row: the citizen's revocation comes first, the firm's renunciation after it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = begin(t.sql, async (tx) => {
      await tx`select 1 from delegations where id = ${g.delegationId} for update`;
      held();
      await released;
    });
    await holding;
    let revoked: Promise<Response>;
    let renounced: Promise<Response>;
    try {
      revoked = t.request(`/v1/me/delegations/${g.delegationId}/revoke`, {
        method: 'POST',
        headers: auth(g.citizenToken!),
      });
      await lockWaiters(t.sql, 1);
      renounced = t.request(`/v1/delegations/${g.delegationId}/renounce`, {
        method: 'POST',
        headers: auth(org.liveKey),
        json: { reason: 'El cliente cambia de gestoría.' },
      });
      await lockWaiters(t.sql, 2);
    } finally {
      release();
      await holder;
    }
    expect(await expectJson(await revoked, 200)).toMatchObject({ status: 'revoked', ended_by: 'citizen' });
    const problem = await expectProblem(await renounced, 409, 'invalid_state_transition');
    expect(problem).toMatchObject({ detail: 'The delegation is already revoked.', current_state: 'revoked' });
  });
});

// Two transactions at once need two connections: PostgreSQL only.
describe.skipIf(!process.env.DATABASE_URL)('a request made as its organisation is suspended', () => {
  it('is cancelled with the suspension, never left pending', async () => {
    const org = await registerVerifiedOrg(t);
    const idNumber = newCitizenId();

    // The request stops just before it is written, having read its organisation (not suspended yet).
    const [requested, suspended] = await racingSuspension(org.id, 'delegation_requests', () =>
      t.request('/v1/delegation-requests', {
        method: 'POST',
        headers: auth(org.liveKey),
        json: delegationRequestBody(idNumber),
      }),
    );
    expect(suspended.status, await suspended.clone().text()).toBe(200);

    // The request committed first; the suspension then cancelled it.
    const { id } = await expectJson<{ id: string }>(requested, 201);
    const mine = await expectJson<{ data: Array<{ id: string; status: string; ended_by: string }> }>(
      await t.request('/v1/me/delegation-requests', { headers: auth(await citizenToken(t, idNumber)) }),
      200,
    );
    expect(mine.data).toEqual([expect.objectContaining({ id, status: 'cancelled', ended_by: 'system' })]);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('an acceptance racing a suspension of its organisation', () => {
  it('never leaves the suspended organisation an active delegation', async () => {
    const org = await registerVerifiedOrg(t);
    const idNumber = newCitizenId();
    const request = await createRequest(t, org.liveKey, delegationRequestBody(idNumber));
    const token = await citizenToken(t, idNumber);

    // The acceptance stops just before it creates its delegation, having read its organisation
    // (verified) and taken the request.
    const [accepted, suspended] = await racingSuspension(org.id, 'delegations', () =>
      t.request(`/v1/me/delegation-requests/${request.id}/accept`, { method: 'POST', headers: auth(token) }),
    );
    expect(suspended.status, await suspended.clone().text()).toBe(200);

    // The acceptance committed first; the suspension then ended the delegation it made.
    const { delegation_id } = await expectJson<{ delegation_id: string }>(accepted, 200);
    const mine = await expectJson<{ data: Array<{ id: string; status: string; ended_by: string }> }>(
      await t.request('/v1/me/delegations', { headers: auth(token) }),
      200,
    );
    const delegation = mine.data.find((d) => d.id === delegation_id);
    expect(delegation).toMatchObject({ status: 'suspended', ended_by: 'platform' });
  });
});
