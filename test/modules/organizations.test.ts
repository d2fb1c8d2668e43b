import { describe, expect, it } from 'vitest';

import { createApp } from '../../api/app';
import { configFromEnv } from '../../api/config';
import { memoryLogger } from '../../api/http/logger';
import { nodeDeps } from '../../api/node/runtime';
import { fileTestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  expectProblem,
  registerOrg,
  registerVerifiedOrg,
  registrationBody,
} from '../support/fixtures';

const t = await fileTestApp({ config: { adminToken: ADMIN_TOKEN } });

describe('registration', () => {
  it('refuses an invalid NIF with a pointer to the field and the rule', async () => {
    const res = await t.request('/v1/organizations', { method: 'POST', json: registrationBody({ nif: 'B12345678' }) });
    const body = await expectProblem(res, 400, 'validation_failed');
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ pointer: '/nif', in: 'body' });
    expect(body.errors[0].detail.length).toBeGreaterThan(10);
  });

  it('requires the statutes declaration for third-sector bodies', async () => {
    const res = await t.request('/v1/organizations', {
      method: 'POST',
      json: registrationBody({
        kind: 'third_sector',
        nif: 'G12345674',
        professional_standing: {
          registry: 'Registro Nacional de Asociaciones',
          registration_number: '612345',
          statutes_allow_representation: false,
        },
      }),
    });
    const body = await expectProblem(res, 400, 'validation_failed');
    expect(body.errors.map((e: { pointer: string }) => e.pointer)).toContain(
      '/professional_standing/statutes_allow_representation',
    );
  });

  it('registers a pending organisation with a working test key, once per NIF', async () => {
    const input = registrationBody();
    const res = await t.request('/v1/organizations', { method: 'POST', json: input });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, any>;
    expect(body.organization).toMatchObject({ status: 'pending_verification', nif: input.nif, kind: 'gestoria' });
    expect(body.owner.role).toBe('owner');
    expect(body.test_key.secret).toMatch(/^sk_test_[0-9A-Za-z]{43}$/);
    expect(body.test_key.livemode).toBe(false);

    const me = await t.request('/v1/organization', { headers: auth(body.test_key.secret) });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(body.organization.id);

    const again = await t.request('/v1/organizations', {
      method: 'POST',
      json: { ...registrationBody(), nif: input.nif },
    });
    const dup = await expectProblem(again, 409, 'duplicate');
    expect(dup.errors[0].pointer).toBe('/nif');
    expect(JSON.stringify(dup)).not.toContain(body.organization.id);
  });

  it("a sign-up's Idempotency-Key replays its keys to the caller who sent it, never to another address", async () => {
    const behindProxy = await fileTestApp({ config: { trustProxy: true } });
    const body = registrationBody();
    const send = (address: string) =>
      behindProxy.request('/v1/organizations', {
        method: 'POST',
        headers: { 'idempotency-key': 'signup-1', 'x-forwarded-for': address },
        json: body,
      });
    const first = (await (await send('203.0.113.7')).json()) as Record<string, any>;
    expect(first.test_key.secret).toMatch(/^sk_test_/);
    // The same caller retrying gets the same answer (its secret), marked as a replay.
    const retry = await send('203.0.113.7');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(((await retry.json()) as Record<string, any>).test_key.secret).toBe(first.test_key.secret);
    // The proxy appends the address it saw: what the client put before it is not its address.
    const spoofed = await send('198.51.100.77, 203.0.113.7');
    expect(spoofed.headers.get('idempotent-replayed')).toBe('true');
    // Another caller with the same key and body runs its own request: the NIF is taken, no secret leaves.
    const other = await send('198.51.100.9');
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await other.text()).not.toContain(first.test_key.secret);
    expect(other.status).toBe(409);
  });

  it('accepts a sole practitioner registering with a personal NIF', async () => {
    const res = await t.request('/v1/organizations', {
      method: 'POST',
      json: registrationBody({ nif: '54362315K', kind: 'graduado_social' }),
    });
    expect(res.status).toBe(201);
  });
});

describe('live keys and verification', () => {
  it('only lets a verified organisation create live keys', async () => {
    const org = await registerOrg(t);
    const early = await t.request('/v1/api-keys', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { name: 'prod', livemode: true },
    });
    await expectProblem(early, 403, 'live_mode_unavailable');

    const verify = await t.request(`/v1/admin/organizations/${org.id}/verify`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { verified_by: 'ops@puente.test', note: 'Colegiación comprobada en el censo.' },
    });
    expect(verify.status).toBe(200);
    expect(((await verify.json()) as any).verification).toMatchObject({
      verified_by: 'ops@puente.test',
      note: 'Colegiación comprobada en el censo.',
    });

    const live = await t.request('/v1/api-keys', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { name: 'prod', livemode: true },
    });
    expect(live.status).toBe(201);
    const key = (await live.json()) as { secret: string; livemode: boolean };
    expect(key.secret).toMatch(/^sk_live_/);
    expect((await t.request('/v1/organization', { headers: auth(key.secret) })).status).toBe(200);

    const twice = await t.request(`/v1/admin/organizations/${org.id}/verify`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { verified_by: 'ops@puente.test', note: 'Otra vez comprobada.' },
    });
    await expectProblem(twice, 409, 'invalid_state_transition');
  });

  it('signs up a non-practising professional, but never verifies it: only practising ones may represent', async () => {
    const org = await registerOrg(t, {
      professional_standing: {
        colegio: 'Colegio Oficial de Gestores Administrativos de Madrid',
        registration_number: '4411',
        practising: false,
      },
    });
    const verify = await t.request(`/v1/admin/organizations/${org.id}/verify`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { verified_by: 'ops@puente.test', note: 'Colegiación comprobada en el censo.' },
    });
    const problem = await expectProblem(verify, 422, 'unprocessable');
    expect(problem.errors).toEqual([
      expect.objectContaining({ pointer: '/professional_standing/practising', in: 'body' }),
    ]);
    const seen = (await (await t.request('/v1/organization', { headers: auth(org.testKey) })).json()) as any;
    expect(seen).toMatchObject({ status: 'pending_verification', verification: null });
    await expectProblem(
      await t.request('/v1/api-keys', {
        method: 'POST',
        headers: auth(org.testKey),
        json: { name: 'prod', livemode: true },
      }),
      403,
      'live_mode_unavailable',
    );
  });
});

describe('API keys', () => {
  it('never shows secrets in lists or logs, and stores only a hash', async () => {
    const org = await registerOrg(t);
    const created = (await (
      await t.request('/v1/api-keys', { method: 'POST', headers: auth(org.testKey), json: { name: 'sync' } })
    ).json()) as any;
    const list = await t.request('/v1/api-keys', { headers: auth(org.testKey) });
    const text = await list.text();
    expect(JSON.parse(text).data).toHaveLength(2);
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain(org.testKey);
    expect(JSON.parse(text).data[1].display_prefix).toMatch(/^sk_test_.{4}….{4}$/);
    expect(t.logs.join('\n')).not.toContain(created.secret);
    expect(t.logs.join('\n')).not.toContain(org.testKey);
    const rows = await t.sql`select * from api_keys where organization_id = ${org.id}`;
    expect(JSON.stringify(rows)).not.toContain(created.secret);
  });

  it('records last use, and a revoked key fails on the very next request', async () => {
    const org = await registerOrg(t);
    const created = (await (
      await t.request('/v1/api-keys', { method: 'POST', headers: auth(org.testKey), json: { name: 'temp' } })
    ).json()) as any;
    expect((await t.request('/v1/organization', { headers: auth(created.secret) })).status).toBe(200);
    const listed = (await (await t.request('/v1/api-keys', { headers: auth(org.testKey) })).json()) as any;
    expect(listed.data.find((k: any) => k.id === created.id).last_used_at).not.toBeNull();

    const revoke = await t.request(`/v1/api-keys/${created.id}`, { method: 'DELETE', headers: auth(org.testKey) });
    expect(revoke.status).toBe(200);
    await expectProblem(await t.request('/v1/organization', { headers: auth(created.secret) }), 401, 'unauthorized');
  });

  it('refuses missing, malformed and unknown credentials with 401', async () => {
    await expectProblem(await t.request('/v1/organization'), 401, 'unauthorized');
    await expectProblem(await t.request('/v1/organization', { headers: auth('nonsense') }), 401, 'unauthorized');
    await expectProblem(
      await t.request('/v1/organization', { headers: auth('sk_test_' + 'a'.repeat(43)) }),
      401,
      'unauthorized',
    );
  });
});

describe('suspension', () => {
  it('blocks every key of a suspended organisation at once, on every instance, until reinstated', async () => {
    const org = await registerVerifiedOrg(t);
    // A second app instance on the same database, as another server behind the load balancer.
    const other = createApp(nodeDeps(configFromEnv({ PUENTE_ENV: 'test' }), t.database, memoryLogger(), t.clock));
    const suspend = await t.request(`/v1/admin/organizations/${org.id}/suspend`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { reason: 'Baja como ejerciente comunicada por el Colegio.' },
    });
    expect(suspend.status).toBe(200);
    for (const key of [org.testKey, org.liveKey]) {
      await expectProblem(await t.request('/v1/organization', { headers: auth(key) }), 403, 'organization_suspended');
      await expectProblem(
        await other.request('/v1/organization', { headers: auth(key) }),
        403,
        'organization_suspended',
      );
    }
    const reinstate = await t.request(`/v1/admin/organizations/${org.id}/reinstate`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
    });
    expect(((await reinstate.json()) as any).status).toBe('verified');
    expect((await other.request('/v1/organization', { headers: auth(org.liveKey) })).status).toBe(200);
  });
});

describe('platform administration', () => {
  it('refuses a missing or wrong admin token', async () => {
    await expectProblem(await t.request('/v1/admin/organizations'), 401, 'unauthorized');
    await expectProblem(
      await t.request('/v1/admin/organizations', { headers: auth('wrong-token') }),
      401,
      'unauthorized',
    );
    const org = await registerOrg(t);
    await expectProblem(
      await t.request('/v1/admin/organizations', { headers: auth(org.testKey) }),
      401,
      'unauthorized',
    );
  });

  it('lists organisations by status with keyset pagination', async () => {
    await registerOrg(t);
    await registerOrg(t);
    const first = (await (
      await t.request('/v1/admin/organizations?status=pending_verification&limit=1', { headers: auth(ADMIN_TOKEN) })
    ).json()) as any;
    expect(first.data).toHaveLength(1);
    expect(first.has_more).toBe(true);
    const second = (await (
      await t.request(`/v1/admin/organizations?status=pending_verification&limit=1&cursor=${first.next_cursor}`, {
        headers: auth(ADMIN_TOKEN),
      })
    ).json()) as any;
    expect(second.data[0].id).not.toBe(first.data[0].id);
    expect(second.data[0].status).toBe('pending_verification');
  });

  it('issues agency keys', async () => {
    const res = await t.request('/v1/admin/agency-keys', {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { managing_body: 'INSS', office: 'Dirección Provincial de Madrid' },
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).secret).toMatch(/^ak_live_[0-9A-Za-z]{43}$/);
  });

  it('does not exist at all without PUENTE_ADMIN_TOKEN', async () => {
    const plain = createApp(nodeDeps(configFromEnv({ PUENTE_ENV: 'test' }), t.database, memoryLogger(), t.clock));
    await expectProblem(
      await plain.request('/v1/admin/organizations', { headers: auth(ADMIN_TOKEN) }),
      404,
      'not_found',
    );
  });
});

describe('an owner who lost every key', () => {
  const ownerKey = (id: string, body: Record<string, unknown>, token = ADMIN_TOKEN) =>
    t.request(`/v1/admin/organizations/${id}/owner-keys`, { method: 'POST', headers: auth(token), json: body });
  const evidence = { verified_by: 'ops@puente.es', note: 'Solicitud firmada con certificado del titular.' };

  it('gets back in with a key the platform administrator issues, which the organisation sees as such', async () => {
    const org = await registerVerifiedOrg(t);
    // The owner revokes every key of theirs: nothing is left to issue another with.
    for (const key of [org.testKey, org.liveKey]) {
      const me = (await (await t.request('/v1/api-keys', { headers: auth(org.liveKey) })).json()) as any;
      const id = me.data.find((k: any) => key.startsWith(k.display_prefix.slice(0, 12)))?.id;
      expect((await t.request(`/v1/api-keys/${id}`, { method: 'DELETE', headers: auth(key) })).status).toBe(200);
    }
    await expectProblem(await t.request('/v1/api-keys', { headers: auth(org.liveKey) }), 401, 'unauthorized');

    const res = await ownerKey(org.id, { ...evidence, livemode: true });
    expect(res.status, await res.clone().text()).toBe(201);
    const issued = (await res.json()) as any;
    expect(issued).toMatchObject({
      object: 'api_key',
      livemode: true,
      member_id: org.ownerId,
      created_by: null,
      issued_by_platform: evidence,
    });
    expect(issued.secret).toMatch(/^sk_live_/);
    // It acts as the owner: it can issue keys again, and the list shows who issued it and why.
    const fresh = await t.request('/v1/api-keys', {
      method: 'POST',
      headers: auth(issued.secret),
      json: { name: 'nueva', livemode: true },
    });
    expect(fresh.status).toBe(201);
    const list = (await (await t.request('/v1/api-keys', { headers: auth(issued.secret) })).json()) as any;
    expect(list.data.find((k: any) => k.id === issued.id).issued_by_platform).toEqual(evidence);
    expect(list.data.filter((k: any) => k.issued_by_platform === null).length).toBe(list.data.length - 1);
  });

  it('is refused without the administrator token, for an unknown organisation, and live before verification', async () => {
    const org = await registerOrg(t);
    await expectProblem(await ownerKey(org.id, evidence, org.testKey), 401, 'unauthorized');
    await expectProblem(await ownerKey('org_doesnotexist00000000', evidence), 404, 'not_found');
    const live = await expectProblem(
      await ownerKey(org.id, { ...evidence, livemode: true }),
      403,
      'live_mode_unavailable',
    );
    expect(live.errors).toEqual([expect.objectContaining({ pointer: '/livemode' })]);
    const bare = await expectProblem(await ownerKey(org.id, { livemode: false }), 400, 'validation_failed');
    expect(bare.errors.map((e: any) => e.pointer).sort()).toEqual(['/note', '/verified_by']);
    // Nothing was issued by the refusals.
    const issued =
      await t.sql`select 1 from api_keys where organization_id = ${org.id} and platform_issued_by is not null`;
    expect(issued).toHaveLength(0);
  });
});
