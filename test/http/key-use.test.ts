import { describe, expect, it } from 'vitest';

import { createApp } from '../../api/app';
import { configFromEnv } from '../../api/config';
import { memoryLogger } from '../../api/http/logger';
import { nodeDeps } from '../../api/node/runtime';
import { fileTestApp } from '../support/app';
import { auth, grantDelegation, mintToken, registerOrg } from '../support/fixtures';

/**
 * An API key's `last_used_at` lags its real use by at most a minute, and the statement that
 * settles a key carries the update only when it is due: an instance that saw the use recorded less
 * than a minute ago leaves it out (counted with the driver's public debug hook).
 */
let updates = 0;
const t = await fileTestApp({
  now: '2026-03-02T13:00:00Z',
  onQuery: (_connection, query) => {
    if (query.includes('update api_keys set last_used_at')) updates++;
  },
});

describe("an API key's last use", () => {
  it('is recorded at most once a minute, and the update is sent only when due, on every instance', async () => {
    const org = await registerOrg(t);
    const { delegationId } = await grantDelegation(t, org.testKey);
    const consent = await mintToken(t, org.testKey, delegationId, { lifetime_seconds: 3600 });
    const keyUse = async () => {
      const [row] = await t.sql<{ at: Date | null }[]>`
        select last_used_at as at from api_keys where organization_id = ${org.id} and livemode = false`;
      return row?.at?.toISOString() ?? null;
    };
    // A settled key (the organisation's own data) and a key settled inside a consented read's statement.
    const settled = () => t.request('/v1/organization', { headers: auth(org.testKey) });
    const consented = () =>
      t.request('/v1/consent-tokens/current?capacity=consult', {
        headers: auth(org.testKey, { 'puente-consent': consent }),
      });

    t.clock.set(new Date('2026-03-02T13:10:00Z'));
    updates = 0;
    expect((await settled()).status).toBe(200);
    expect(await keyUse()).toBe('2026-03-02T13:10:00.000Z');

    // Within the minute: neither kind of request sends the update, and the recorded use stays.
    t.clock.set(new Date('2026-03-02T13:10:30Z'));
    updates = 0;
    for (let i = 0; i < 3; i++) {
      expect((await settled()).status).toBe(200);
      expect((await consented()).status).toBe(200);
    }
    expect(updates).toBe(0);
    expect(await keyUse()).toBe('2026-03-02T13:10:00.000Z');

    // Just over a minute on, the next request records it, through the consented read's own statement.
    t.clock.set(new Date('2026-03-02T13:10:59Z'));
    expect((await consented()).status).toBe(200);
    expect(updates).toBe(0);
    t.clock.set(new Date('2026-03-02T13:11:01Z'));
    expect((await consented()).status).toBe(200);
    expect(updates).toBe(1);
    expect(await keyUse()).toBe('2026-03-02T13:11:01.000Z');

    // Another instance has seen nothing: it sends the update, and the database still records at most once a minute.
    const other = createApp(nodeDeps(configFromEnv({ PUENTE_ENV: 'test' }), t.database, memoryLogger(), t.clock));
    t.clock.set(new Date('2026-03-02T13:11:20Z'));
    updates = 0;
    expect((await other.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
    expect(updates).toBe(1);
    expect(await keyUse()).toBe('2026-03-02T13:11:01.000Z');
    // Having seen the 13:11:01 use, it waits for 13:12:01 too.
    t.clock.set(new Date('2026-03-02T13:11:50Z'));
    updates = 0;
    expect((await other.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
    expect(updates).toBe(0);
    t.clock.set(new Date('2026-03-02T13:12:05Z'));
    expect((await other.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
    expect(updates).toBe(1);
    expect(await keyUse()).toBe('2026-03-02T13:12:05.000Z');
  });
});
