import { describe, expect, it } from 'vitest';

import { fileServedApp } from '../../test/support/app';
import { FORMS } from '../../test/support/forms';
import { etagOf, PreconditionFailedError } from '../src';
import { registeredClient, sandboxDelegation } from './sandbox';

// The real app served on a socket: the ETag and If-Match headers cross real HTTP.
const { server } = await fileServedApp();

/** What the update of a resource read as `stale` answers: the error the SDK throws. */
const refusal = (update: Promise<unknown>) =>
  update.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('optimistic concurrency through the SDK against the real API', () => {
  it('updates a webhook endpoint only from its current version, and names that version when refused', async () => {
    const puente = await registeredClient({ baseUrl: server.url });
    const created = await puente.webhookEndpoints.create({ url: 'https://hooks.example.com/puente' });
    expect(etagOf(created)).toBe(`"${created.id}.v1"`);
    const mine = await puente.webhookEndpoints.retrieve(created.id);
    const theirs = await puente.webhookEndpoints.retrieve(created.id);

    const changed = await puente.webhookEndpoints.update(created.id, { description: 'Avisos' }, { ifMatch: mine });
    expect(etagOf(changed)).toBe(`"${created.id}.v2"`);
    const error = await refusal(
      puente.webhookEndpoints.update(created.id, { description: 'Otra' }, { ifMatch: theirs }),
    );
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as PreconditionFailedError).currentEtag).toBe(etagOf(changed));
    expect((await puente.webhookEndpoints.retrieve(created.id)).description).toBe('Avisos');

    // Read again, the change applies.
    const fresh = await puente.webhookEndpoints.retrieve(created.id);
    const retried = await puente.webhookEndpoints.update(created.id, { description: 'Otra' }, { ifMatch: fresh });
    expect(retried.description).toBe('Otra');
  });

  it('replaces the form of a draft procedure only from the version it was read at', async () => {
    const puente = await registeredClient({ baseUrl: server.url });
    const { client } = await sandboxDelegation(puente);
    const draft = await client.procedures.create({ type: 'JUB', form: FORMS.JUB as never });
    expect(etagOf(draft)).toBe(`"${draft.id}.v${draft.version}"`);

    const form = { ...FORMS.JUB, requested_start_date: '2026-07-01' };
    const updated = await client.procedures.update(draft.id, { form: form as never }, { ifMatch: draft });
    expect(etagOf(updated)).toBe(`"${draft.id}.v${draft.version + 1}"`);
    const error = await refusal(client.procedures.update(draft.id, { form: FORMS.JUB as never }, { ifMatch: draft }));
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as PreconditionFailedError).currentEtag).toBe(etagOf(updated));
    expect(etagOf(await client.procedures.retrieve(draft.id))).toBe(etagOf(updated));
  });
});
