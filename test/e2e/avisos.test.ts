import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { configFromEnv } from '../../api/config';
import { memoryLogger } from '../../api/http/logger';
import { deliverAvisos } from '../../api/modules/avisos/delivery';
import { claimDueAvisos, settleAviso } from '../../api/modules/avisos/queries';
import { CalendarStore } from '../../api/modules/calendar/store';
import { runScheduler } from '../../api/modules/events/scheduler';
import { smtpMailer } from '../../api/node/mailer';
import { createTestApp, type TestApp } from '../support/app';
import { advance, type CitizenCase, citizenCase, fileJub } from '../support/citizen-procedures';
import {
  auth,
  citizenToken,
  createRequest,
  delegationRequestBody,
  mintToken,
  newCitizenId,
  registerOrg,
} from '../support/fixtures';
import { linkIn, type SmtpSink, startSmtp } from '../support/mail';
import { consentHeaders, openNotification } from '../support/procedures';
import { startReceiver } from '../support/receiver';

const SMS_SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const BASE = 'http://puente.test';

describe('avisos: email through SMTP, SMS through a signed gateway, end to end through the sandbox', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let sms: Awaited<ReturnType<typeof startReceiver>>;
  const logger = memoryLogger();

  beforeAll(async () => {
    smtp = await startSmtp();
    sms = await startReceiver();
    const env = configFromEnv({
      PUENTE_ENV: 'test',
      PUENTE_BASE_URL: BASE,
      PUENTE_SMTP_URL: smtp.url,
      PUENTE_MAIL_FROM: 'Puente <avisos@puente.test>',
      PUENTE_SMS_GATEWAY_URL: sms.url,
      PUENTE_SMS_GATEWAY_SECRET: SMS_SECRET,
    });
    t = await createTestApp({ config: { avisos: env.avisos } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await sms?.close();
  });
  beforeEach(() => {
    smtp.refuseNext(0);
  });

  const deps = () => ({ config: t.config, clock: t.clock, logger, mailer: smtpMailer(t.config.avisos.smtpUrl!) });

  /** Runs the outbox until nothing is due now. */
  async function drain(): Promise<void> {
    for (let i = 0; i < 20; i++) if ((await deliverAvisos(t.sql, deps(), { limit: 10 })) === 0) return;
  }

  /** A header as the message carried it (mailparser folds the List-* headers into one object). */
  function header(m: { headerLines: readonly { key: string; line: string }[] }, name: string): string | undefined {
    const line = m.headerLines.find((h) => h.key === name.toLowerCase())?.line;
    return line?.slice(line.indexOf(':') + 1).trim();
  }

  function mailsTo(address: string) {
    return smtp.messages.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);
  }

  async function confirmEmail(token: string, address: string): Promise<void> {
    const start = await t.request('/v1/me/aviso-settings/contacts/email', {
      method: 'POST',
      headers: auth(token),
      json: { value: address },
    });
    expect(start.status, await start.clone().text()).toBe(202);
    await drain();
    const mail = mailsTo(address).at(-1)!;
    // The address is not confirmed yet (it may be mistyped): nothing in the mail unsubscribes the citizen.
    expect(header(mail, 'List-Unsubscribe')).toBeUndefined();
    expect(mail.text).not.toContain('/avisos/baja');
    const code = mail.text!.match(/\b(\d{6})\b/)![1]!;
    const done = await t.request('/v1/me/aviso-settings/contacts/email/confirm', {
      method: 'POST',
      headers: auth(token),
      json: { code },
    });
    expect(done.status, await done.clone().text()).toBe(200);
    expect(((await done.json()) as any).email.value).toBe(address);
  }

  /** A new citizen, signed in, with a confirmed email `<local>.<id number>@example.es`. */
  async function citizenWithEmail(name: string, local: string) {
    const idNumber = newCitizenId();
    const token = await citizenToken(t, idNumber, name);
    const own = `${local}.${idNumber.toLowerCase()}@example.es`;
    await confirmEmail(token, own);
    return { idNumber, token, own };
  }

  it('acceptance: request → approval link by email → approve → file → requirement → Mis trámites and its aviso', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const org = await registerOrg(t, { legal_name: 'Gestoría Alba S.L.' });
    const idNumber = newCitizenId();
    const firmGiven = `carmen.${idNumber.toLowerCase()}@example.es`;
    const request = await createRequest(
      t,
      org.testKey,
      delegationRequestBody(idNumber, {
        citizen: { id_number: idNumber, name: 'Carmen López García', contact: firmGiven },
      }),
    );
    await drain();

    // The aviso of the request reached the SMTP server: who asks, the code, a working approval link.
    const [requestMail] = mailsTo(firmGiven);
    expect(requestMail, 'the request aviso').toBeDefined();
    expect(requestMail!.subject).toBe('[Prueba] Gestoría Alba S.L. pide representarle');
    expect(requestMail!.text).toContain('Hola, Carmen:');
    expect(requestMail!.text).toContain(request.code);
    expect(requestMail!.text).not.toContain('López');
    expect(requestMail!.text).not.toContain(idNumber);
    // The address is the firm's word, used for this aviso only: it subscribed to nothing, and no
    // link in it changes the citizen's own settings.
    expect(header(requestMail!, 'List-Unsubscribe')).toBeUndefined();
    expect(requestMail!.text).not.toContain('/avisos/baja');
    const approval = linkIn(requestMail!.text!, `${BASE}/ciudadania/solicitudes/`)!;
    expect(approval).toBe(`${BASE}/ciudadania/solicitudes/${request.id}`);
    const page = await t.request(new URL(approval).pathname);
    expect(page.status).toBe(200);

    // The citizen signs in and approves the request the link names.
    const token = await citizenToken(t, idNumber);
    const accepted = await t.request(
      `/v1/me/delegation-requests/${new URL(approval).pathname.split('/').at(-1)}/accept`,
      {
        method: 'POST',
        headers: auth(token),
      },
    );
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    const delegationId = ((await accepted.json()) as { delegation_id: string }).delegation_id;
    // The firm's contact served that request only: the grant is not sent there, nor kept as the citizen's.
    await drain();
    expect(mailsTo(firmGiven)).toHaveLength(1);
    const settings = (await (await t.request('/v1/me/aviso-settings', { headers: auth(token) })).json()) as any;
    expect(settings.email.value).toBeNull();

    // The citizen sets and confirms their own email; from now on avisos go there.
    const own = `carmen.propio.${idNumber.toLowerCase()}@example.es`;
    await confirmEmail(token, own);

    // The firm files; the agency (sandbox) issues a requirement on Tuesday 10 March; the firm opens it the same day.
    const c: CitizenCase = {
      orgKey: org.testKey,
      orgName: 'Gestoría Alba S.L.',
      delegationId,
      idNumber,
      token: () => mintToken(t, org.testKey, delegationId, { lifetime_seconds: 3600 }),
      consent: async () => consentHeaders(org.testKey, await mintToken(t, org.testKey, delegationId)),
    };
    const filed = await fileJub(t, c);
    await drain();
    const filing = mailsTo(own).find((m) => m.subject?.includes(filed.registry_entry_number));
    expect(filing?.subject).toBe(`[Prueba] Trámite presentado en su nombre: ${filed.registry_entry_number}`);

    t.clock.set('2026-03-10T09:00:00Z');
    await advance(t, c, filed.id, { action: 'require', kinds: ['COMPANY_CERT'], message: 'Falta el certificado.' });
    await openNotification(t, org.testKey, await c.token(), filed.id, 'requirement');
    await drain();

    // The firm's API and the citizen's Mis trámites agree on the deadline: 10 días hábiles from Wed 11 March.
    const firmView = (await (
      await t.request(`/v1/procedures/${filed.id}`, { headers: await c.consent() })
    ).json()) as any;
    expect(firmView.deadlines.requirement_deadline).toBe('2026-03-24');
    const later = await citizenToken(t, idNumber);
    const mineRes = await t.request(`/v1/me/procedures/${filed.id}`, { headers: auth(later) });
    expect(mineRes.status, await mineRes.clone().text()).toBe(200);
    const mine = (await mineRes.json()) as any;
    expect(mine.deadlines.requirement_deadline).toBe(firmView.deadlines.requirement_deadline);
    expect(mine.requirements.find((r: any) => r.status === 'open')).toBeDefined();

    // The pages say the same: the list shows the procedure, its page the open requirement and that deadline.
    const cookie = { cookie: `puente_citizen=${later}` };
    const listPage = await (await t.request('/ciudadania/tramites', { headers: cookie })).text();
    expect(listPage).toContain(`/ciudadania/tramites/${filed.id}`);
    expect(listPage).toContain('Gestoría Alba S.L.');
    const procedurePage = await (await t.request(`/ciudadania/tramites/${filed.id}`, { headers: cookie })).text();
    expect(procedurePage).toContain(filed.registry_entry_number);
    expect(procedurePage).toContain('Certificado de empresa');
    expect(procedurePage).toContain('24 de marzo de 2026');

    // And the aviso with that deadline arrived, linking to the procedure's page.
    const deadlineMail = mailsTo(own).find((m) => m.subject?.includes('Plazo para aportar documentos'));
    expect(deadlineMail?.subject).toBe('[Prueba] Plazo para aportar documentos: hasta el 24 de marzo de 2026');
    expect(linkIn(deadlineMail!.text!, `${BASE}/ciudadania/tramites/`)).toBe(`${BASE}/ciudadania/tramites/${filed.id}`);
    const madeAvailable = mailsTo(own).find((m) => m.subject?.includes('pide documentos'));
    expect(madeAvailable?.text).toContain('El plazo de 10 días hábiles empieza cuando');

    // Every attempt is on the citizen's record of avisos.
    const sent = (await (await t.request('/v1/me/avisos', { headers: auth(later) })).json()) as any;
    const kinds = sent.data.map((a: any) => a.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['delegation_request', 'contact_confirmation', 'filing', 'requirement']),
    );
    expect(sent.data.every((a: any) => a.status === 'sent' && a.attempts.length === 1)).toBe(true);
    expect(sent.data.find((a: any) => a.kind === 'delegation_request').recipient_source).toBe('request');

    // Nothing personal beyond the first name, in any message or log line.
    for (const m of mailsTo(own)) {
      expect(m.text).not.toContain(idNumber);
      expect(m.text).not.toContain('López');
    }
    for (const line of [...logger.lines, ...t.logs]) {
      expect(line).not.toContain(idNumber);
      expect(line).not.toContain('López');
      expect(line).not.toContain(own);
    }
  });

  it("a firm's request neither learns nor sets the citizen's name", async () => {
    const idNumber = newCitizenId();
    // A firm that knows only the DNI, of a citizen who has signed in (their name is held) but
    // gave no contact: its aviso goes to the firm's own address, without the citizen's name.
    await (
      await t.request('/v1/me/aviso-settings', {
        headers: auth(await citizenToken(t, idNumber, 'Herminia Zubizarreta')),
      })
    ).text();
    const prober = await registerOrg(t, { legal_name: 'Gestoría Sonda S.L.' });
    const box = `buzon.${idNumber.toLowerCase()}@gestoria.example`;
    await createRequest(
      t,
      prober.testKey,
      delegationRequestBody(idNumber, { citizen: { id_number: idNumber, contact: box } }),
    );
    await drain();
    const [probe] = mailsTo(box);
    expect(probe, 'the aviso to the firm-given address').toBeDefined();
    expect(probe!.text).not.toContain('Herminia');

    // A name a firm gives is the request's: the citizen, greeted at their own address, keeps the
    // identity provider's.
    const other = newCitizenId();
    const early = await registerOrg(t, { legal_name: 'Gestoría Bruno S.L.' });
    await createRequest(
      t,
      early.testKey,
      delegationRequestBody(other, { citizen: { id_number: other, name: 'Nombre Inventado' } }),
    );
    const token = await citizenToken(t, other, 'Herminia Zubizarreta');
    const own = `herminia.${other.toLowerCase()}@example.es`;
    await confirmEmail(token, own);
    const later = await registerOrg(t, { legal_name: 'Gestoría Cierzo S.L.' });
    const request = await createRequest(
      t,
      later.testKey,
      delegationRequestBody(other, { citizen: { id_number: other } }),
    );
    await drain();
    const mail = mailsTo(own).find((m) => m.text?.includes(request.code));
    expect(mail!.text).toContain('Hola, Herminia:');
  });

  it('an unsubscribed kind is not sent again; the link works without signing in (GET asks, POST turns it off)', async () => {
    const org = await registerOrg(t, { legal_name: 'Asesoría Bruma S.L.' });
    const { idNumber, token, own } = await citizenWithEmail('Luis Pérez', 'luis');
    const first = await createRequest(
      t,
      org.testKey,
      delegationRequestBody(idNumber, { citizen: { id_number: idNumber } }),
    );
    await drain();
    const mail = mailsTo(own).find((m) => m.text?.includes(first.code))!;
    const unsubscribe = header(mail, 'List-Unsubscribe')!;
    const url = new URL(unsubscribe.replace(/^<|>$/g, ''));
    expect(url.pathname).toBe('/avisos/baja');
    const ask = await t.request(`${url.pathname}${url.search}`);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Una organización pide representarme');
    const forged = await t.request(`${url.pathname}?t=${url.searchParams.get('t')!.slice(0, -2)}xx`, {
      method: 'POST',
    });
    expect(forged.status).toBe(400);
    // The mail client's one-click POST (RFC 8058).
    const oneClick = await t.request(`${url.pathname}${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const settings = (await (await t.request('/v1/me/aviso-settings', { headers: auth(token) })).json()) as any;
    expect(settings.kinds).not.toContain('delegation_request');

    // A second request from another firm: no aviso of that kind is queued, nor sent.
    const other = await registerOrg(t, { legal_name: 'Otra Gestoría S.L.' });
    const before = mailsTo(own).length;
    const second = await createRequest(
      t,
      other.testKey,
      delegationRequestBody(idNumber, { citizen: { id_number: idNumber, contact: 'alguien@example.es' } }),
    );
    await drain();
    expect(mailsTo(own)).toHaveLength(before);
    expect(smtp.messages.some((m) => m.text?.includes(second.code))).toBe(false);
    // Other kinds still arrive: the grant of the first request.
    expect(
      (await t.request(`/v1/me/delegation-requests/${first.id}/accept`, { method: 'POST', headers: auth(token) }))
        .status,
    ).toBe(200);
    await drain();
    expect(mailsTo(own).at(-1)?.subject).toBe('[Prueba] Ha autorizado a Asesoría Bruma S.L.');
  });

  it('a kind turned off after it was queued is cancelled at delivery, and recorded so', async () => {
    const org = await registerOrg(t, { legal_name: 'Gestoría Cauce S.L.' });
    const { idNumber, token } = await citizenWithEmail('Ana Ruiz', 'ana');
    await createRequest(t, org.testKey, delegationRequestBody(idNumber, { citizen: { id_number: idNumber } }));
    const off = await t.request('/v1/me/aviso-settings', {
      method: 'PUT',
      headers: auth(token),
      json: { language: 'es', channels: ['email'], kinds: ['filing'] },
    });
    expect(off.status, await off.clone().text()).toBe(200);
    await drain();
    const sent = (await (await t.request('/v1/me/avisos', { headers: auth(token) })).json()) as any;
    const request = sent.data.find((a: any) => a.kind === 'delegation_request');
    expect(request.status).toBe('cancelled');
    expect(request.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'cancelled', detail: 'turned off by the citizen' }),
    ]);
  });

  it('a failed SMTP delivery is retried with backoff and never sent twice once accepted', async () => {
    const org = await registerOrg(t, { legal_name: 'Gestoría Duna S.L.' });
    const idNumber = newCitizenId();
    const address = `retry.${idNumber.toLowerCase()}@example.es`;
    smtp.refuseNext(2);
    const request = await createRequest(
      t,
      org.testKey,
      delegationRequestBody(idNumber, { citizen: { id_number: idNumber, name: 'Rosa Gil', contact: address } }),
    );
    const start = t.clock.now().getTime();
    await drain();
    expect(smtp.refused).toBeGreaterThanOrEqual(1);
    expect(mailsTo(address)).toHaveLength(0);
    // Not due again until the backoff passes (30 s, then 60 s).
    expect(await deliverAvisos(t.sql, deps())).toBe(0);
    t.clock.set(new Date(start + 31_000));
    await drain();
    expect(mailsTo(address)).toHaveLength(0);
    t.clock.set(new Date(start + 31_000 + 61_000));
    await drain();
    expect(mailsTo(address)).toHaveLength(1);
    // However often the outbox runs afterwards, and even with the lease long gone, it is not sent again.
    for (let i = 0; i < 3; i++) {
      t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
      await drain();
    }
    expect(mailsTo(address)).toHaveLength(1);
    expect(smtp.messages.filter((m) => m.text?.includes(request.code))).toHaveLength(1);
    const [row] = await t.sql<{ status: string; attempts: number }[]>`
      select status, attempts from avisos where dedupe_key = ${`delegation_request:${request.id}:email`}`;
    expect(row).toEqual({ status: 'sent', attempts: 3 });
    const attempts = await t.sql<{ outcome: string; detail: string }[]>`
      select outcome, detail from aviso_attempts a join avisos v on v.id = a.aviso_id
      where v.dedupe_key = ${`delegation_request:${request.id}:email`} order by attempt`;
    expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'accepted']);
    expect(attempts[0]!.detail).toContain('451');
    expect(attempts[0]!.detail).not.toContain(address);
  });

  it("two workers share the outbox without sending any aviso twice; a dead worker's claim passes on after its lease", async () => {
    const org = await registerOrg(t, { legal_name: 'Gestoría Hélice S.L.' });
    const addresses: string[] = [];
    for (let i = 0; i < 8; i++) {
      const idNumber = newCitizenId();
      addresses.push(`par.${idNumber.toLowerCase()}@example.es`);
      await createRequest(
        t,
        org.testKey,
        delegationRequestBody(idNumber, { citizen: { id_number: idNumber, name: 'Paz', contact: addresses[i] } }),
      );
    }
    // A worker claims two and dies before sending them.
    const dead = await claimDueAvisos(t.sql, t.clock.now(), new Date(t.clock.now().getTime() + 120_000), 2);
    expect(dead).toHaveLength(2);
    await Promise.all([deliverAvisos(t.sql, deps(), { limit: 3 }), deliverAvisos(t.sql, deps(), { limit: 3 })]);
    await drain();
    const sentOnce = addresses.filter((a) => mailsTo(a).length === 1);
    expect(sentOnce).toHaveLength(6);
    expect(addresses.every((a) => mailsTo(a).length <= 1)).toBe(true);
    // Its lease passes: another worker takes them over; the dead worker's claim can no longer settle them.
    t.clock.set(new Date(t.clock.now().getTime() + 121_000));
    await drain();
    expect(addresses.map((a) => mailsTo(a).length)).toEqual(addresses.map(() => 1));
    expect(
      await settleAviso(t.sql, {
        id: dead[0]!.id,
        attempt: dead[0]!.attempts,
        status: 'sent',
        subject: 'x',
        body: 'x',
      }),
    ).toBe(false);
  });

  it('SMS goes to the gateway signed the Standard Webhooks way, with the code and the link', async () => {
    const org = await registerOrg(t, { legal_name: 'Gestoría Eco S.L.' });
    const idNumber = newCitizenId();
    const before = sms.received.length;
    // Signatures carry the time of sending; the receiver refuses old ones.
    t.clock.set(new Date());
    const request = await createRequest(
      t,
      org.testKey,
      delegationRequestBody(idNumber, {
        citizen: { id_number: idNumber, name: 'Pilar Soto', contact: '+34 612 345 678' },
      }),
    );
    await drain();
    const received = sms.received.slice(before);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    const payload = new Webhook(SMS_SECRET).verify(r.body, {
      'webhook-id': r.headers['webhook-id'] as string,
      'webhook-timestamp': r.headers['webhook-timestamp'] as string,
      'webhook-signature': r.headers['webhook-signature'] as string,
    }) as Record<string, string>;
    expect(payload.to).toBe('+34612345678');
    expect(payload.text).toContain(request.code);
    expect(payload.text).toContain(`${BASE}/ciudadania/solicitudes/${request.id}`);
    expect(payload.text).not.toContain('Soto');
    // A number the firm gave subscribed to nothing: no unsubscribe link that would change the citizen's settings.
    expect(payload.text).not.toContain('/avisos/baja');
    // The code that confirms a number the citizen types has no unsubscribe link either: the number
    // may be mistyped, and its holder must not be able to turn off the citizen's avisos.
    const own = await citizenToken(t, idNumber, 'Pilar Soto');
    let sent = sms.received.length;
    const added = await t.request('/v1/me/aviso-settings/contacts/phone', {
      method: 'POST',
      headers: auth(own),
      json: { value: '611 222 333' },
    });
    expect(added.status).toBe(202);
    await drain();
    const confirmation = JSON.parse(sms.received.slice(sent)[0]!.body) as { text: string };
    expect(confirmation.text).not.toContain('/avisos/baja');
    const code = confirmation.text.match(/\b(\d{6})\b/)![1]!;
    const confirmed = await t.request('/v1/me/aviso-settings/contacts/phone/confirm', {
      method: 'POST',
      headers: auth(own),
      json: { code },
    });
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    // Once confirmed, the citizen's own number gets avisos that end with their signed unsubscribe
    // link, which works like the email's.
    sent = sms.received.length;
    const another = await registerOrg(t, { legal_name: 'Gestoría Faro S.L.' });
    await createRequest(t, another.testKey, delegationRequestBody(idNumber));
    await drain();
    const ownAviso = JSON.parse(sms.received.slice(sent).at(-1)!.body) as { text: string; to: string };
    expect(ownAviso.to).toBe('+34611222333');
    const stop = ownAviso.text.match(/Baja: (\S+)$/)![1]!;
    expect(new URL(stop).pathname).toBe('/avisos/baja');
    expect((await t.request(new URL(stop).pathname + new URL(stop).search)).status).toBe(200);
    // A tampered body does not verify.
    expect(() =>
      new Webhook(SMS_SECRET).verify(r.body.replace(request.code, 'XXXX-XXXX'), {
        'webhook-id': r.headers['webhook-id'] as string,
        'webhook-timestamp': r.headers['webhook-timestamp'] as string,
        'webhook-signature': r.headers['webhook-signature'] as string,
      }),
    ).toThrow();
  });

  it('contact codes: wrong codes count, the fifth wrong one ends the code', async () => {
    const idNumber = newCitizenId();
    const token = await citizenToken(t, idNumber, 'Marta Vidal');
    const start = await t.request('/v1/me/aviso-settings/contacts/phone', {
      method: 'POST',
      headers: auth(token),
      json: { value: '699 000 111' },
    });
    expect(start.status).toBe(202);
    expect(((await start.json()) as any).phone.pending.value).toBe('+34699000111');
    const [hash] = await t.sql<
      { code_hash: string }[]
    >`select code_hash from citizen_contact_codes where value = '+34699000111'`;
    expect(hash!.code_hash).not.toMatch(/^\d{6}$/);
    // Once sent, the outbox keeps no copy of the code either.
    const [pendingAviso] = await t.sql<{ id: string }[]>`
      select id from avisos where kind = 'contact_confirmation' and recipient = '+34699000111'`;
    await drain();
    const [settled] = await t.sql<{ facts: { code: string }; subject: string; body: string; status: string }[]>`
      select facts, subject, body, status from avisos where id = ${pendingAviso!.id}`;
    expect(settled!.status).toBe('sent');
    expect(settled!.facts.code).toBe('······');
    expect(`${settled!.subject}${settled!.body}`).not.toMatch(/\d{6}/);
    // Each guess under a new Idempotency-Key: every wrong one still counts.
    for (let i = 0; i < 5; i++) {
      const wrong = await t.request('/v1/me/aviso-settings/contacts/phone/confirm', {
        method: 'POST',
        headers: auth(token, { 'idempotency-key': `guess-${i}-${pendingAviso!.id}` }),
        json: { code: '000000' },
      });
      // (One in a million: the random code may be 000000 itself.)
      if (wrong.status === 200) return;
      expect(((await wrong.json()) as any).code).toBe('contact_code_invalid');
      expect(wrong.headers.get('puente-should-retry')).toBe('false');
    }
    // A retry of a guess is its stored answer again, headers included, and not another guess.
    const replayed = await t.request('/v1/me/aviso-settings/contacts/phone/confirm', {
      method: 'POST',
      headers: auth(token, { 'idempotency-key': `guess-4-${pendingAviso!.id}` }),
      json: { code: '000000' },
    });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replayed.json()) as any).code).toBe('contact_code_invalid');
    expect(replayed.headers.get('puente-should-retry')).toBe('false');
    const ended = await t.request('/v1/me/aviso-settings/contacts/phone/confirm', {
      method: 'POST',
      headers: auth(token),
      json: { code: '123456' },
    });
    expect(((await ended.json()) as any).code).toBe('contact_code_expired');
  });

  it('delegations ending within 30 days are told once', async () => {
    const org = await registerOrg(t, { legal_name: 'Gestoría Faro S.L.' });
    const { idNumber, token, own } = await citizenWithEmail('Elena Mora', 'elena');
    t.clock.set('2026-03-02T09:00:00Z');
    const request = await createRequest(
      t,
      org.testKey,
      delegationRequestBody(idNumber, { citizen: { id_number: idNumber }, valid_until: '2026-04-15' }),
    );
    expect(
      (await t.request(`/v1/me/delegation-requests/${request.id}/accept`, { method: 'POST', headers: auth(token) }))
        .status,
    ).toBe(200);
    const calendar = new CalendarStore();
    await runScheduler(t.sql, t.clock.now(), calendar);
    await drain();
    expect(mailsTo(own).some((m) => m.subject?.includes('termina'))).toBe(false);
    // 16 March: the last day (15 April) is 30 days away.
    t.clock.set('2026-03-16T09:00:00Z');
    await runScheduler(t.sql, t.clock.now(), calendar);
    await runScheduler(t.sql, t.clock.now(), calendar);
    await drain();
    const ending = mailsTo(own).filter((m) => m.subject?.includes('termina'));
    expect(ending.map((m) => m.subject)).toEqual([
      '[Prueba] Su autorización a Gestoría Faro S.L. termina el 15 de abril de 2026',
    ]);
  });
});

describe('avisos of the agency, the clock and the citizen, each through SMTP with its date', () => {
  const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto'];
  /** 2026-07-11 → "11 de julio de 2026", written out here rather than with the code under test. */
  const inWords = (day: string) => {
    const [y, m, d] = day.split('-').map(Number);
    return `${d} de ${MONTHS[m! - 1]} de ${y}`;
  };

  it('resolution, unopened notification three days ahead, presumed denial with the prior-claim date, and a revocation', async () => {
    const smtp = await startSmtp();
    const env = configFromEnv({ PUENTE_ENV: 'test', PUENTE_BASE_URL: BASE, PUENTE_SMTP_URL: smtp.url });
    const t = await createTestApp({ config: { avisos: env.avisos } });
    try {
      const deps = { config: t.config, clock: t.clock, logger: memoryLogger(), mailer: smtpMailer(smtp.url) };
      const drain = async () => {
        for (let i = 0; i < 20; i++) if ((await deliverAvisos(t.sql, deps, { limit: 10 })) === 0) return;
      };
      const calendar = new CalendarStore();
      // Monday 2 March 2026: the citizen confirms an email; a firm holds a delegation and files three JUB.
      t.clock.set('2026-03-02T09:00:00Z');
      const idNumber = newCitizenId();
      const token = await citizenToken(t, idNumber, 'Marta Vidal Serra');
      const own = `marta.${idNumber.toLowerCase()}@example.es`;
      const start = await t.request('/v1/me/aviso-settings/contacts/email', {
        method: 'POST',
        headers: auth(token),
        json: { value: own },
      });
      expect(start.status).toBe(202);
      await drain();
      const code = smtp.messages.at(-1)!.text!.match(/\b(\d{6})\b/)![1]!;
      const confirmed = await t.request('/v1/me/aviso-settings/contacts/email/confirm', {
        method: 'POST',
        headers: auth(token),
        json: { code },
      });
      expect(confirmed.status).toBe(200);
      const c = await citizenCase(t, { idNumber, orgName: 'Gestoría Nube S.L.' });
      const [unopened, decided, silent] = [await fileJub(t, c), await fileJub(t, c), await fileJub(t, c)];
      const mails = (subject: string) => smtp.messages.filter((m) => m.subject === `[Prueba] ${subject}`);

      // Tuesday 3 March: a requirement nobody opens, and a denial.
      t.clock.set('2026-03-03T09:00:00Z');
      await advance(t, c, unopened.id, {
        action: 'require',
        kinds: ['COMPANY_CERT'],
        message: 'Falta el certificado.',
      });
      await advance(t, c, decided.id, { action: 'deny', message: 'No reúne el periodo mínimo.' });
      await drain();
      expect(mails(`Hay una resolución de su trámite ${decided.registry_entry_number}`)).toHaveLength(1);

      // Made available on 3 March, unopened: deemed rejected on the 10th natural day, Friday 13 March (a working
      // day in Madrid); the citizen is told three natural days ahead, from 10 March, once.
      t.clock.set('2026-03-09T09:00:00Z');
      await runScheduler(t.sql, t.clock.now(), calendar);
      await drain();
      const warning = `Notificación sin abrir: ${unopened.registry_entry_number}`;
      expect(mails(warning)).toHaveLength(0);
      t.clock.set('2026-03-10T09:00:00Z');
      await runScheduler(t.sql, t.clock.now(), calendar);
      await runScheduler(t.sql, t.clock.now(), calendar);
      await drain();
      expect(mails(warning)).toHaveLength(1);
      expect(mails(warning)[0]!.text).toContain('el 13 de marzo de 2026 se entenderá rechazada');

      // The third is never decided. 90 días hábiles from Monday 2 March in Madrid (the applicant's place and the
      // office's), without weekends, 2–3 April, 1 May and 15 May (San Isidro): Friday 10 July. Denied by silence
      // from Saturday 11 July; 30 días hábiles for the reclamación previa from then: Friday 21 August.
      t.clock.set('2026-07-11T09:00:00Z');
      await runScheduler(t.sql, t.clock.now(), calendar);
      await drain();
      const api = (await (
        await t.request(`/v1/procedures/${silent.id}`, { headers: await c.consent() })
      ).json()) as any;
      expect(api.deadlines.max_resolution_date).toBe('2026-07-10');
      expect(api.deadlines.presumed_denied_at).toBe('2026-07-11');
      expect(api.deadlines.prior_claim_deadline).toBe('2026-08-21');
      const silence = mails(`Sin respuesta a tiempo: ${silent.registry_entry_number}`);
      expect(silence).toHaveLength(1);
      expect(silence[0]!.text).toContain(`desde el ${inWords('2026-07-11')} se entiende denegado`);
      expect(silence[0]!.text).toContain(`reclamación previa hasta el ${inWords('2026-08-21')}`);

      // The citizen revokes the delegation: told too, and every message names only the first name.
      const revoked = await t.request(`/v1/me/delegations/${c.delegationId}/revoke`, {
        method: 'POST',
        headers: auth(await citizenToken(t, idNumber)),
      });
      expect(revoked.status).toBe(200);
      await drain();
      expect(mails('Ha revocado la autorización a Gestoría Nube S.L.')).toHaveLength(1);
      for (const m of smtp.messages) {
        expect(m.text).not.toContain(idNumber);
        expect(m.text).not.toContain('Vidal');
      }
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});

describe('avisos without SMTP: the development mailbox', () => {
  it('outside production, email avisos land in /dev/mailbox; in production it does not exist and email fails with a reason', async () => {
    const t = await createTestApp();
    const logger = memoryLogger();
    try {
      const org = await registerOrg(t, { legal_name: 'Gestoría Gama S.L.' });
      const idNumber = newCitizenId();
      const request = await createRequest(t, org.testKey, delegationRequestBody(idNumber));
      expect(await deliverAvisos(t.sql, { config: t.config, clock: t.clock, logger })).toBeGreaterThan(0);
      const list = await t.request('/dev/mailbox');
      expect(list.status).toBe(200);
      const html = await list.text();
      expect(html).toContain('Gestoría Gama S.L. pide representarle');
      const href = html.match(/href="(\/dev\/mailbox\/\d+)"/)![1]!;
      const message = await (await t.request(href)).text();
      expect(message).toContain(request.code);
      expect(message).toContain(`/ciudadania/solicitudes/${request.id}`);

      const production = configFromEnv({
        PUENTE_ENV: 'production',
        PUENTE_BASE_URL: 'https://puente.example.es',
        PUENTE_SECRET_KEY: 'a-production-secret-of-32-characters-at-least',
      });
      const prod = await createTestApp({ database: t.database, config: production });
      expect((await prod.request('/dev/mailbox')).status).toBe(404);
      // A live-mode aviso in production with no SMTP server: failed, with the reason recorded.
      const [cit] = await t.sql<
        { id: string }[]
      >`select citizen_id as id from delegation_requests where id = ${request.id}`;
      await t.sql`
        insert into citizen_aviso_settings (citizen_id, email, email_confirmed_at, updated_at)
        values (${cit!.id}, 'x@example.es', now(), now())
        on conflict (citizen_id) do update set email = excluded.email, email_confirmed_at = excluded.email_confirmed_at`;
      await t.sql`
        insert into avisos (id, dedupe_key, citizen_id, livemode, kind, channel, recipient, recipient_source, lang, facts, path, next_attempt_at, created_at)
        values ('avs_prodtest', 'prodtest', ${cit!.id}, true, 'filing', 'email', 'x@example.es', 'citizen', 'es',
          ${t.sql.json({ kind: 'filing', org: 'Gestoría Gama S.L.', registry: 'REG-1' })}, '/ciudadania/tramites', ${t.clock.now()}, ${t.clock.now()})`;
      await deliverAvisos(t.sql, { config: production, clock: t.clock, logger });
      const [row] = await t.sql<
        { status: string; last_error: string }[]
      >`select status, last_error from avisos where id = 'avs_prodtest'`;
      expect(row).toEqual({ status: 'failed', last_error: 'no SMTP server configured (PUENTE_SMTP_URL)' });
      // A runtime without an SMTP transport (Workers), with PUENTE_SMTP_URL set: failed, saying so.
      await t.sql`update avisos set status = 'pending', attempts = 0, lease_until = null where id = 'avs_prodtest'`;
      await deliverAvisos(t.sql, {
        config: { ...production, avisos: { ...production.avisos, smtpUrl: 'smtp://mail.example.es:587' } },
        clock: t.clock,
        logger,
      });
      const [again] = await t.sql<{ status: string; last_error: string }[]>`
        select status, last_error from avisos where id = 'avs_prodtest'`;
      expect(again!.status).toBe('failed');
      expect(again!.last_error).toContain('no SMTP transport on this runtime');
    } finally {
      await t.close();
    }
  });
});
