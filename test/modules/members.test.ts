import { describe, expect, it } from 'vitest';

import { fileTestApp } from '../support/app';
import { auth, dni, expectJson, expectProblem, registerOrg } from '../support/fixtures';

const t = await fileTestApp();

async function addMember(key: string, role: string, n: number) {
  const res = await t.request('/v1/members', {
    method: 'POST',
    headers: auth(key),
    json: { name: `Miembro ${n}`, id_number: dni(n), role },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; role: string };
}

async function keyFor(ownerKey: string, memberId: string) {
  const res = await t.request('/v1/api-keys', {
    method: 'POST',
    headers: auth(ownerKey),
    json: { name: 'member key', member_id: memberId },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { secret: string }).secret;
}

describe('members', () => {
  it('adds, lists and retrieves members; a duplicate id number is refused', async () => {
    const org = await registerOrg(t);
    t.clock.advance(1000);
    const agent = await addMember(org.testKey, 'agent', 4001);
    const list = (await (await t.request('/v1/members', { headers: auth(org.testKey) })).json()) as any;
    expect(list.data.map((m: any) => m.role)).toEqual(['owner', 'agent']);
    expect((await t.request(`/v1/members/${agent.id}`, { headers: auth(org.testKey) })).status).toBe(200);
    const dup = await t.request('/v1/members', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { name: 'Otra', id_number: dni(4001), role: 'viewer' },
    });
    await expectProblem(dup, 409, 'duplicate');
  });

  it('enforces roles: viewers read, only admins manage members and keys', async () => {
    const org = await registerOrg(t);
    const viewer = await addMember(org.testKey, 'viewer', 4002);
    const viewerKey = await keyFor(org.testKey, viewer.id);
    expect((await t.request('/v1/members', { headers: auth(viewerKey) })).status).toBe(200);
    const attempt = await t.request('/v1/members', {
      method: 'POST',
      headers: auth(viewerKey),
      json: { name: 'X Y', id_number: dni(4003), role: 'agent' },
    });
    await expectProblem(attempt, 403, 'forbidden');
    await expectProblem(await t.request('/v1/api-keys', { headers: auth(viewerKey) }), 403, 'forbidden');
  });

  it('removing a member revokes their keys at once; the owner cannot be removed', async () => {
    const org = await registerOrg(t);
    const agent = await addMember(org.testKey, 'agent', 4004);
    const agentKey = await keyFor(org.testKey, agent.id);
    expect((await t.request('/v1/organization', { headers: auth(agentKey) })).status).toBe(200);
    const removed = await t.request(`/v1/members/${agent.id}`, { method: 'DELETE', headers: auth(org.testKey) });
    expect(((await removed.json()) as any).status).toBe('removed');
    await expectProblem(await t.request('/v1/organization', { headers: auth(agentKey) }), 401, 'unauthorized');
    await expectProblem(
      await t.request(`/v1/members/${org.ownerId}`, { method: 'DELETE', headers: auth(org.testKey) }),
      409,
      'conflict',
    );
  });

  it('an admin cannot issue a key acting as the owner or another admin: writes would record them', async () => {
    const org = await registerOrg(t);
    const admin = await addMember(org.testKey, 'admin', 4005);
    const other = await addMember(org.testKey, 'admin', 4006);
    const agent = await addMember(org.testKey, 'agent', 4007);
    const adminKey = await keyFor(org.testKey, admin.id);
    for (const memberId of [org.ownerId, other.id]) {
      const refused = await expectProblem(
        await t.request('/v1/api-keys', {
          method: 'POST',
          headers: auth(adminKey),
          json: { name: 'impersonation', member_id: memberId },
        }),
        403,
        'forbidden',
      );
      expect(refused.errors).toEqual([{ pointer: '/member_id', in: 'body', detail: expect.any(String) }]);
    }
    const issued = await t.sql<{ n: number }[]>`
      select count(*)::int as n from api_keys where member_id in (${org.ownerId}, ${other.id}) and created_by_member_id = ${admin.id}`;
    expect(issued[0]!.n).toBe(0);
    // Their own keys, and keys of members below them, as before; the owner issues keys for anyone.
    await keyFor(adminKey, admin.id);
    await keyFor(adminKey, agent.id);
    await keyFor(org.testKey, other.id);
  });

  it("an admin cannot revoke the owner's or another admin's keys, and so lock them out", async () => {
    const org = await registerOrg(t);
    const admin = await addMember(org.testKey, 'admin', 4008);
    const agent = await addMember(org.testKey, 'agent', 4009);
    const adminKey = await keyFor(org.testKey, admin.id);
    const agentKey = await keyFor(org.testKey, agent.id);
    const keys = (await (await t.request('/v1/api-keys?limit=100', { headers: auth(org.testKey) })).json()) as any;
    const ownerKeyId = keys.data.find((k: any) => k.member_id === org.ownerId).id;
    const refused = await expectProblem(
      await t.request(`/v1/api-keys/${ownerKeyId}`, { method: 'DELETE', headers: auth(adminKey) }),
      403,
      'forbidden',
    );
    expect(refused.detail).toMatch(/role above/);
    expect((await t.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
    // Keys of members below them, as before.
    const agentKeyId = keys.data.find((k: any) => k.member_id === agent.id).id;
    const revoked = await t.request(`/v1/api-keys/${agentKeyId}`, { method: 'DELETE', headers: auth(adminKey) });
    expect(revoked.status).toBe(200);
    await expectProblem(await t.request('/v1/organization', { headers: auth(agentKey) }), 401, 'unauthorized');
  });

  it('an admin cannot remove another admin either (which revokes their keys); the owner can', async () => {
    const org = await registerOrg(t);
    const admin = await addMember(org.testKey, 'admin', 4010);
    const other = await addMember(org.testKey, 'admin', 4011);
    const agent = await addMember(org.testKey, 'agent', 4012);
    const adminKey = await keyFor(org.testKey, admin.id);
    const otherKey = await keyFor(org.testKey, other.id);
    const remove = (id: string, key: string) =>
      t.request(`/v1/members/${id}`, { method: 'DELETE', headers: auth(key) });
    const refused = await expectProblem(await remove(other.id, adminKey), 403, 'forbidden');
    expect(refused.detail).toMatch(/role above/);
    // Nothing changed: the other admin is still a member and their key still works.
    expect((await t.request('/v1/organization', { headers: auth(otherKey) })).status).toBe(200);
    const [row] = await t.sql<{ status: string }[]>`select status from members where id = ${other.id}`;
    expect(row!.status).toBe('active');
    // Below them, as before; and the owner removes an admin.
    expect((await expectJson<{ status: string }>(await remove(agent.id, adminKey), 200)).status).toBe('removed');
    expect((await expectJson<{ status: string }>(await remove(other.id, org.testKey), 200)).status).toBe('removed');
    await expectProblem(await t.request('/v1/organization', { headers: auth(otherKey) }), 401, 'unauthorized');
  });
});
