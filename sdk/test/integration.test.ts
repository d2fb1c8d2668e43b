import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../test/support/app';
import { FORMS, PDF_BYTES } from '../../test/support/forms';
import { DelegationInactiveError, NotFoundError, toFile, UnprocessableEntityError } from '../src';
import { registeredClient, sandboxDelegation } from './sandbox';

let t: TestApp;
let fetchThroughApp: typeof fetch;
beforeAll(async () => {
  t = await createTestApp();
  // The real app (routing, validation, database), without a socket.
  fetchThroughApp = ((input: RequestInfo | URL, init?: RequestInit) =>
    Promise.resolve(t.app.request(String(input), init))) as typeof fetch;
});
afterAll(() => t.close());

describe('SDK against the real API', () => {
  it('registers, files a JUB under consent, follows it, and stops when the client revokes', async () => {
    const puente = await registeredClient({ baseUrl: 'http://puente.test', fetch: fetchThroughApp });
    const { delegationId, client } = await sandboxDelegation(puente);

    const draft = await client.procedures.create({ type: 'JUB', form: FORMS.JUB as never });
    const dni = await client.procedures.documents.upload(draft.id, {
      kind: 'DNI_NIE',
      file: await toFile(PDF_BYTES, 'dni.pdf'),
    });
    expect(dni.filename).toBe('dni.pdf');
    await expect(client.procedures.submit(draft.id)).rejects.toBeInstanceOf(UnprocessableEntityError);
    await client.procedures.documents.upload(draft.id, {
      kind: 'IBAN_CERT',
      file: new File([PDF_BYTES], 'iban.pdf', { type: 'application/pdf' }),
    });
    const submitted = await client.procedures.submit(draft.id);
    expect(submitted.registry_entry_number).toMatch(/^REG-/);

    await puente.sandbox.advanceProcedure(draft.id, { action: 'admit' });
    const timeline = await client.procedures.timeline(draft.id);
    expect(timeline.data.map((e) => e.action)).toContain('admitted');
    const receipt = await client.procedures.receipt(draft.id);
    expect(new TextDecoder().decode((await receipt.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const docs = await client.procedures.documents.list(draft.id);
    const bytes = new Uint8Array(
      await (await client.procedures.documents.download(draft.id, docs.data[0]!.id)).arrayBuffer(),
    );
    expect(bytes).toEqual(PDF_BYTES);

    const listed: string[] = [];
    for await (const p of puente.procedures.list({ limit: 1 })) listed.push(p.id);
    expect(listed).toEqual([draft.id]);

    await puente.delegations.renounce(delegationId);
    await expect(client.procedures.retrieve(draft.id)).rejects.toBeInstanceOf(DelegationInactiveError);
    await expect(puente.members.retrieve('mem_doesnotexist0000000000')).rejects.toBeInstanceOf(NotFoundError);
  });
});
