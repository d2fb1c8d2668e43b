import { describe, expect, it } from 'vitest';

import { memoryLogger } from '../../api/http/logger';
import { deliverAvisos } from '../../api/modules/avisos/delivery';
import { fileTestApp } from '../support/app';
import {
  auth,
  citizenToken,
  createRequest,
  delegationRequestBody,
  expectJson,
  newCitizenId,
  registerOrg,
} from '../support/fixtures';

const t = await fileTestApp();

/** Runs the outbox (the development mailbox: no SMTP server is configured) until nothing is due. */
async function drain(): Promise<void> {
  const deps = { config: t.config, clock: t.clock, logger: memoryLogger() };
  for (let i = 0; i < 20; i++) if ((await deliverAvisos(t.sql, deps, { limit: 10 })) === 0) return;
}

/** The citizen's own email, confirmed with the code its aviso carries (read from the outbox, not sent yet). */
async function confirmEmail(token: string, address: string): Promise<void> {
  await expectJson(
    await t.request('/v1/me/aviso-settings/contacts/email', {
      method: 'POST',
      headers: auth(token),
      json: { value: address },
    }),
    202,
  );
  const [aviso] = await t.sql<{ code: string }[]>`
    select facts->>'code' as code from avisos
    where kind = 'contact_confirmation' and recipient = ${address} order by created_at desc limit 1`;
  await expectJson(
    await t.request('/v1/me/aviso-settings/contacts/email/confirm', {
      method: 'POST',
      headers: auth(token),
      json: { code: aviso!.code },
    }),
    200,
  );
}

/** The delegation-request avisos queued for a request, with where each went. */
function requestAvisos(requestId: string) {
  return t.sql<{ id: string; recipient: string; status: string }[]>`
    select id, recipient, status from avisos where path = ${`/ciudadania/solicitudes/${requestId}`}`;
}

describe("avisos go only to the citizen's contact as it stands when they are sent", () => {
  it('an email the citizen removed receives nothing more, not even what was queued before', async () => {
    const idNumber = newCitizenId();
    const token = await citizenToken(t, idNumber, 'Ana Ruiz Gómez');
    await confirmEmail(token, 'ana.antigua@example.es');
    const org = await registerOrg(t);
    const request = await createRequest(
      t,
      org.testKey,
      delegationRequestBody(idNumber, {
        citizen: { id_number: idNumber, name: 'Ana Ruiz Gómez', contact: '+34600111222' },
      }),
    );
    const [queued] = await requestAvisos(request.id).then((rows) => rows.filter((r) => r.recipient.includes('@')));
    expect(queued).toMatchObject({ recipient: 'ana.antigua@example.es', status: 'pending' });
    // Before the outbox runs, the citizen removes the address ("no aviso goes there again").
    await expectJson(
      await t.request('/v1/me/aviso-settings/contacts/email', { method: 'DELETE', headers: auth(token) }),
      200,
    );
    await drain();
    const mailed = await t.sql`select 1 from dev_mailbox where aviso_id = ${queued!.id}`;
    expect(mailed).toHaveLength(0);
    const [after] = await t.sql<{ status: string }[]>`select status from avisos where id = ${queued!.id}`;
    expect(after!.status).toBe('cancelled');
  });

  it('an email the citizen replaced receives nothing more: what was queued for it is not sent', async () => {
    const idNumber = newCitizenId();
    const token = await citizenToken(t, idNumber, 'Luis Vera Soler');
    await confirmEmail(token, 'luis.antigua@example.es');
    const org = await registerOrg(t);
    const request = await createRequest(
      t,
      org.testKey,
      delegationRequestBody(idNumber, {
        citizen: { id_number: idNumber, name: 'Luis Vera Soler', contact: '+34600111333' },
      }),
    );
    const [queued] = await requestAvisos(request.id).then((rows) => rows.filter((r) => r.recipient.includes('@')));
    expect(queued).toMatchObject({ recipient: 'luis.antigua@example.es', status: 'pending' });
    await confirmEmail(token, 'luis.nueva@example.es');
    await drain();
    const mailed = await t.sql`select 1 from dev_mailbox where aviso_id = ${queued!.id}`;
    expect(mailed).toHaveLength(0);
    const [after] = await t.sql<{ status: string }[]>`select status from avisos where id = ${queued!.id}`;
    expect(after!.status).toBe('cancelled');
  });
});

describe('the code that confirms a contact', () => {
  it('is never shown to the citizen: whoever is signed in cannot confirm an address that is not theirs', async () => {
    const token = await citizenToken(t, newCitizenId(), 'Ana Ruiz Gómez');
    await expectJson(
      await t.request('/v1/me/aviso-settings/contacts/email', {
        method: 'POST',
        headers: auth(token),
        json: { value: 'otra.persona@example.org' },
      }),
      202,
    );
    const [aviso] = await t.sql<{ code: string }[]>`
      select facts->>'code' as code from avisos
      where kind = 'contact_confirmation' and recipient = 'otra.persona@example.org'`;
    expect(aviso!.code).toMatch(/^\d{6}$/);
    const listed = await expectJson<{ data: Array<{ kind: string; subject: string }> }>(
      await t.request('/v1/me/avisos', { headers: auth(token) }),
      200,
    );
    const shown = listed.data.find((a) => a.kind === 'contact_confirmation')!;
    expect(shown.subject).toBe('Su código de Puente: ······');
    expect(JSON.stringify(listed)).not.toContain(aviso!.code);
    // Sent, it shows the subject as sent, the code masked.
    await drain();
    const sent = await expectJson<{ data: Array<{ kind: string; subject: string; status: string }> }>(
      await t.request('/v1/me/avisos', { headers: auth(token) }),
      200,
    );
    const after = sent.data.find((a) => a.kind === 'contact_confirmation')!;
    expect(after.status).toBe('sent');
    const [stored] = await t.sql<{ subject: string }[]>`
      select subject from avisos where kind = 'contact_confirmation' and recipient = 'otra.persona@example.org'`;
    expect(after.subject).toBe(stored!.subject);
    expect(after.subject).toContain('······');
    expect(JSON.stringify(sent)).not.toContain(aviso!.code);
  });
});
