import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { begin } from '../../api/db/sql';
import { insertEvent } from '../../api/modules/events/queries';
import { createTestApp, type TestApp } from '../support/app';
import { auth, expectJson, registerOrg } from '../support/fixtures';

/**
 * A poller keeps the cursor of the last event it read and asks for what comes after. An event
 * whose transaction commits after a later-inserted one has been read must still come after that
 * cursor: the feed is in commit order, not insert order. Two transactions at once need two
 * connections, so PostgreSQL only.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

let n = 0;
function event(organizationId: string, type = 'procedure.updated') {
  n += 1;
  return {
    id: `evt_order${Date.now()}${n}`,
    organizationId,
    livemode: false,
    type,
    data: { object: 'test', n },
    dedupeKey: null,
    at: new Date(),
  };
}

interface Page {
  data: { id: string }[];
  next_cursor: string | null;
}

async function feed(key: string, cursor?: string): Promise<Page> {
  const query = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
  return expectJson<Page>(await t.request(`/v1/events${query}`, { headers: auth(key) }), 200);
}

/** A transaction that inserts `events` and then waits, open, until `release` is called. */
function heldOpen(events: ReturnType<typeof event>[]) {
  let inserted!: () => void;
  const ready = new Promise<void>((resolve) => (inserted = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const done = begin(t.sql, async (tx) => {
    for (const e of events) await insertEvent(tx, e, () => `whd_order${Date.now()}${(n += 1)}`);
    inserted();
    await released;
  });
  return { ready, release, done };
}

describe.skipIf(!process.env.DATABASE_URL)('the event feed', () => {
  it('gives a poller an event inserted first but committed last, after the cursor it already holds', async () => {
    const org = await registerOrg(t);
    const { next_cursor: start } = await feed(org.testKey);
    const early = event(org.id);
    const slow = heldOpen([early]);
    await slow.ready;
    // Inserted after `early`, committed before it.
    const late = event(org.id);
    await insertEvent(t.sql, late, () => `whd_order${Date.now()}${(n += 1)}`);

    const first = await feed(org.testKey, start ?? undefined);
    expect(first.data.map((e) => e.id)).toEqual([late.id]);
    slow.release();
    await slow.done;

    const second = await feed(org.testKey, first.next_cursor!);
    expect(second.data.map((e) => e.id)).toEqual([early.id]);
    // Read whole, the feed is in the order the events committed.
    const all = await feed(org.testKey, start ?? undefined);
    expect(all.data.map((e) => e.id)).toEqual([late.id, early.id]);
  });

  it("keeps one transaction's events in the order it wrote them", async () => {
    const org = await registerOrg(t);
    const { next_cursor: start } = await feed(org.testKey);
    const events = [event(org.id), event(org.id), event(org.id)];
    await begin(t.sql, async (tx) => {
      for (const e of events) await insertEvent(tx, e, () => `whd_order${Date.now()}${(n += 1)}`);
    });
    expect((await feed(org.testKey, start ?? undefined)).data.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('lets two transactions with events of the same two organisations, written in opposite orders, both commit', async () => {
    const a = await registerOrg(t);
    const b = await registerOrg(t);
    const one = heldOpen([event(a.id), event(b.id)]);
    const two = heldOpen([event(b.id), event(a.id)]);
    await Promise.all([one.ready, two.ready]);
    one.release();
    two.release();
    // Each locks both organisations at its commit, in one order: neither waits for the other forever.
    await expect(Promise.all([one.done, two.done])).resolves.toEqual([undefined, undefined]);
    expect((await feed(a.testKey)).data).toHaveLength(2);
    expect((await feed(b.testKey)).data).toHaveLength(2);
  });
});
