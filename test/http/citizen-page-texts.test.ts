import { describe, expect, it } from 'vitest';

import { SESSION_COOKIE } from '../../api/http/auth';
import { fileTestApp } from '../support/app';
import { advance, answerRequirement, citizenCase, fileJub } from '../support/citizen-procedures';
import { auth, citizenToken, expectJson, grantDelegation, registerOrg } from '../support/fixtures';
import { createDraft, FORMS, openNotification, upload } from '../support/procedures';

const t = await fileTestApp();

/** A citizen page as the signed-in citizen gets it, in one language. */
async function pageOf(idNumber: string, path: string, lang: 'es' | 'en'): Promise<string> {
  const token = await citizenToken(t, idNumber);
  const sep = path.includes('?') ? '&' : '?';
  const res = await t.request(`${path}${sep}lang=${lang}`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
  expect(res.status).toBe(200);
  return res.text();
}

describe("the citizen's pages put every step in words", () => {
  it('the history of a procedure names the firm opening a notification, in Spanish and English', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    t.clock.set('2026-03-03T09:00:00Z');
    await advance(t, c, filed.id, { action: 'require', kinds: ['COMPANY_CERT'], message: 'Falta el certificado.' });
    await openNotification(t, c.orgKey, await c.token(), filed.id, 'requirement');
    const es = await pageOf(c.idNumber, `/ciudadania/tramites/${filed.id}`, 'es');
    expect(es).toContain('Abrió una notificación de la Administración');
    expect(es).not.toContain('Otro paso');
    const en = await pageOf(c.idNumber, `/ciudadania/tramites/${filed.id}`, 'en');
    expect(en).toContain('Opened a notification from the administration');
    expect(en).not.toContain('Other step');
  });
});

/** The visible text of the delegation card of `org` on the delegations page (up to the next card). */
function cardOf(html: string, org: string): string {
  const card = html.split('<li class="card').find((part) => part.includes(org));
  expect(card, `a card for ${org}`).toBeDefined();
  return card!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('an ended delegation', () => {
  it('says when it ended, as a day in Madrid, and who ended it, in Spanish and English', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const revoked = await citizenCase(t, { orgName: 'Gestoría Revocada S.L.' });
    const renounced = await citizenCase(t, { idNumber: revoked.idNumber, orgName: 'Asesoría Renuncia S.L.' });
    const org = await registerOrg(t, { legal_name: 'Gestoría Caducada S.L.' });
    await grantDelegation(t, org.testKey, { idNumber: revoked.idNumber, validUntil: '2026-03-10' });
    // Revoked at 23:30 UTC on 5 March: 00:30 on 6 March in Madrid (CET, UTC+1).
    t.clock.set('2026-03-05T23:30:00Z');
    const token = await citizenToken(t, revoked.idNumber);
    await expectJson(
      await t.request(`/v1/me/delegations/${revoked.delegationId}/revoke`, { method: 'POST', headers: auth(token) }),
      200,
    );
    t.clock.set('2026-03-09T10:00:00Z');
    await expectJson(
      await t.request(`/v1/delegations/${renounced.delegationId}/renounce`, {
        method: 'POST',
        headers: auth(renounced.orgKey),
      }),
      200,
    );
    // The third ran out with its last day, 10 March.
    t.clock.set('2026-03-12T10:00:00Z');
    const es = await pageOf(revoked.idNumber, '/ciudadania/delegaciones', 'es');
    const revokedEs = cardOf(es, 'Gestoría Revocada S.L.');
    expect(revokedEs).toContain('Vigencia concedida');
    expect(revokedEs).toContain('Terminó El 6 de marzo de 2026');
    expect(revokedEs).toContain('Quién la terminó Usted, al revocarla');
    expect(cardOf(es, 'Asesoría Renuncia S.L.')).toContain(
      'Terminó El 9 de marzo de 2026 Quién la terminó Asesoría Renuncia S.L., al renunciar a ella',
    );
    expect(cardOf(es, 'Gestoría Caducada S.L.')).toContain(
      'Terminó Al acabar el 10 de marzo de 2026 Quién la terminó Nadie: llegó al final de su vigencia',
    );
    const en = await pageOf(revoked.idNumber, '/ciudadania/delegaciones', 'en');
    expect(cardOf(en, 'Gestoría Revocada S.L.')).toContain('Ended On 6 March 2026 Ended by You, by revoking it');
    expect(cardOf(en, 'Asesoría Renuncia S.L.')).toContain(
      'Ended On 9 March 2026 Ended by Asesoría Renuncia S.L., by giving it up',
    );
    expect(cardOf(en, 'Gestoría Caducada S.L.')).toContain(
      'Ended At the end of 10 March 2026 Ended by Nobody: its validity ran out',
    );
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

describe('an open requirement whose notification nobody has opened', () => {
  it('gives the day it is deemed rejected, in /v1/me and on the page, in Spanish and English', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    // Made available on Tuesday 3 March; + 10 días naturales = Friday 13 March, a working day.
    t.clock.set('2026-03-03T09:00:00Z');
    await advance(t, c, filed.id, { action: 'require', kinds: ['COMPANY_CERT'], message: 'Falta el certificado.' });
    const token = await citizenToken(t, c.idNumber);
    const mine = await expectJson<{ open_requirement: Record<string, unknown> }>(
      await t.request(`/v1/me/procedures/${filed.id}`, { headers: auth(token) }),
      200,
    );
    expect(mine.open_requirement).toMatchObject({
      deadline: null,
      term_starts: 'on_access_or_deemed_rejection',
      deemed_rejected_on: '2026-03-13',
    });
    const es = await pageOf(c.idNumber, `/ciudadania/tramites/${filed.id}`, 'es');
    // Opening it on the 13th itself still counts as opening it: "by", not "before".
    expect(es).toContain(
      'Si no la abre a más tardar el 13 de marzo de 2026, se entenderá rechazada ese día y el plazo empezará a contar el día siguiente.',
    );
    const en = await pageOf(c.idNumber, `/ciudadania/tramites/${filed.id}`, 'en');
    expect(en).toContain(
      'If it is not opened by 13 March 2026, it is deemed rejected on that day and the time limit starts on the next day.',
    );
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

describe('a lapse warning (caducidad, art. 95.1)', () => {
  /** A JUB filed on 2 March, a requirement on 3 March opened by the firm, and a lapse warning made available on 4 March. */
  async function warned() {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    t.clock.set('2026-03-03T09:00:00Z');
    const required = await advance(t, c, filed.id, { action: 'require', kinds: ['COMPANY_CERT'] });
    await openNotification(t, c.orgKey, await c.token(), filed.id, 'requirement');
    t.clock.set('2026-03-04T09:00:00Z');
    await advance(t, c, filed.id, { action: 'warn_lapse' });
    const requirementId = (required.requirements as Array<{ id: string }>)[0]!.id;
    return { c, id: filed.id as string, requirementId };
  }

  async function legalDates(c: { idNumber: string }, id: string) {
    const token = await citizenToken(t, c.idNumber);
    const mine = await expectJson<{ legal_dates: Array<{ code: string; date: string | null }> }>(
      await t.request(`/v1/me/procedures/${id}`, { headers: auth(token) }),
      200,
    );
    return mine.legal_dates.filter((l) => l.code.startsWith('lapse_'));
  }

  it('unopened, gives the day its notification is deemed rejected', async () => {
    const { c, id } = await warned();
    // Made available on 4 March; + 10 días naturales = Saturday 14 March, moved to Monday 16 March.
    t.clock.set('2026-03-05T09:00:00Z');
    expect(await legalDates(c, id)).toEqual([{ code: 'lapse_warned_unopened', date: '2026-03-16', silence: null }]);
    const es = await pageOf(c.idNumber, `/ciudadania/tramites/${id}`, 'es');
    expect(es).toContain('puede caducar (art. 95.1 de la Ley 39/2015)');
    expect(es).toContain('si no la abre, se entenderá rechazada el 16 de marzo de 2026');
    const en = await pageOf(c.idNumber, `/ciudadania/tramites/${id}`, 'en');
    expect(en).toContain('if it is not opened, it is deemed rejected on 16 March 2026');
    t.clock.set('2026-03-02T09:00:00Z');
  });

  it('opened, gives the first day caducidad may be declared, the day the agency is held to', async () => {
    const { c, id } = await warned();
    // Opened on 5 March: three months date to date end on Friday 5 June; caducidad from 6 June.
    t.clock.set('2026-03-05T09:00:00Z');
    await openNotification(t, c.orgKey, await c.token(), id, 'lapse_warning');
    expect(await legalDates(c, id)).toEqual([{ code: 'lapse_declarable_from', date: '2026-06-06', silence: null }]);
    const es = await pageOf(c.idNumber, `/ciudadania/tramites/${id}`, 'es');
    expect(es).toContain(
      'Si su representante no actúa en él antes, a partir del 6 de junio de 2026 la Administración podrá declararlo caducado y archivarlo.',
    );
    const en = await pageOf(c.idNumber, `/ciudadania/tramites/${id}`, 'en');
    expect(en).toContain('from 6 June 2026 the administration may declare it lapsed and close it.');
    // The agency cannot declare it a day earlier.
    t.clock.set('2026-06-05T09:00:00Z');
    const early = await t.request(`/v1/sandbox/procedures/${id}/advance`, {
      method: 'POST',
      headers: auth(c.orgKey),
      json: { action: 'declare_lapse' },
    });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ code: 'term_not_elapsed', earliest_on: '2026-06-06' });
    t.clock.set('2026-03-02T09:00:00Z');
  });

  it('says nothing of caducidad once the representative has acted since the warning', async () => {
    const { c, id, requirementId } = await warned();
    t.clock.set('2026-03-05T09:00:00Z');
    expect((await legalDates(c, id)).map((l) => l.code)).toEqual(['lapse_warned_unopened']);
    await answerRequirement(t, c, id, requirementId, 'COMPANY_CERT');
    expect(await legalDates(c, id)).toEqual([]);
    expect(await pageOf(c.idNumber, `/ciudadania/tramites/${id}`, 'es')).not.toContain('caducado');
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

describe('a reclamación previa denied', () => {
  it('points the citizen to the social court, not to another reclamación previa', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t, { procedureTypes: ['JUB', 'RP'] });
    const filed = await fileJub(t, c);
    t.clock.set('2026-04-01T09:00:00Z');
    await advance(t, c, filed.id, { action: 'deny' });
    await openNotification(t, c.orgKey, await c.token(), filed.id, 'resolution');
    t.clock.set('2026-04-06T09:00:00Z');
    const rp = await expectJson<{ id: string; missing_documents: Array<{ any_of: string[] }> }>(
      await t.request('/v1/procedures', {
        method: 'POST',
        headers: await c.consent(),
        json: {
          type: 'RP',
          original_procedure_id: filed.id,
          form: {
            applicant: FORMS.JUB.applicant,
            original_procedure_id: filed.id,
            resolution_date: '2026-04-01',
            grounds: 'La resolución no computa los periodos cotizados en Francia entre 1995 y 2001.',
          },
        },
      }),
      201,
    );
    for (const group of rp.missing_documents)
      expect((await upload(t, c.orgKey, await c.token(), rp.id, group.any_of[0]!)).status).toBe(201);
    await expectJson(
      await t.request(`/v1/procedures/${rp.id}/submit`, { method: 'POST', headers: await c.consent() }),
      200,
    );
    await advance(t, c, rp.id, { action: 'deny' });
    await openNotification(t, c.orgKey, await c.token(), rp.id, 'resolution');
    const es = await pageOf(c.idNumber, `/ciudadania/tramites/${rp.id}`, 'es');
    expect(es).toContain('cabe demanda ante el Juzgado de lo Social');
    expect(es).not.toContain('Puede presentar una reclamación previa');
    const token = await citizenToken(t, c.idNumber);
    const mine = await expectJson<{ legal_dates: Array<{ code: string }> }>(
      await t.request(`/v1/me/procedures/${rp.id}`, { headers: auth(token) }),
      200,
    );
    expect(mine.legal_dates.map((l) => l.code)).toEqual(['registered', 'court_claim']);
    // The original claim still shows its own reclamación previa.
    const original = await pageOf(c.idNumber, `/ciudadania/tramites/${filed.id}`, 'es');
    expect(original).toContain('Puede presentar una reclamación previa hasta el');
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

describe("the citizen's access log puts every access in words", () => {
  it("a firm listing a procedure's documents, on the page and in the CSV", async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    const listed = await t.request(`/v1/procedures/${filed.id}/documents`, { headers: await c.consent() });
    expect(listed.status).toBe(200);
    const es = await pageOf(c.idNumber, '/ciudadania/registro', 'es');
    expect(es).toContain('Consultó la lista de documentos de un expediente');
    expect(es).not.toContain('Otra acción');
    const en = await pageOf(c.idNumber, '/ciudadania/registro', 'en');
    expect(en).toContain('Listed the documents of a case');
    expect(en).not.toContain('Other action');
    const csv = await pageOf(c.idNumber, '/ciudadania/registro/exportar.csv', 'es');
    expect(csv).toContain('Consultó la lista de documentos de un expediente');
    expect(csv).not.toContain('documents.listed');
  });

  it('names the procedure an access concerns as the other pages do, never by its internal id', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    expect((await t.request(`/v1/procedures/${filed.id}`, { headers: await c.consent() })).status).toBe(200);
    // One of its documents downloaded: named by the procedure it belongs to.
    const documents = await expectJson<{ data: Array<{ id: string }> }>(
      await t.request(`/v1/procedures/${filed.id}/documents`, { headers: await c.consent() }),
      200,
    );
    const content = await t.request(`/v1/procedures/${filed.id}/documents/${documents.data[0]!.id}/content`, {
      headers: await c.consent(),
    });
    expect(content.status).toBe(200);
    const registry = filed.registry_entry_number as string;
    expect(registry).toMatch(/^REG-2026-/);
    const es = await pageOf(c.idNumber, '/ciudadania/registro', 'es');
    expect(es).toContain(`Expediente · Pensión de jubilación contributiva · ${registry}`);
    expect(es).toContain(`Documento · Pensión de jubilación contributiva · ${registry}`);
    const en = await pageOf(c.idNumber, '/ciudadania/registro', 'en');
    expect(en).toContain(`Case · Contributory retirement pension · ${registry}`);
    for (const page of [es, en]) {
      expect(page).not.toContain(filed.id);
      expect(page).not.toContain(documents.data[0]!.id);
    }
  });
});

describe("the access log's filter", () => {
  it('counts the rows on the page as such, never as all that match, and says when older ones match too', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    // 60 token mints: 60 entries, more than the 50 a page shows.
    for (let i = 0; i < 60; i++) await c.token();
    const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const es = visible(await pageOf(c.idNumber, '/ciudadania/registro?inicio=2026-03-01', 'es'));
    expect(es).toContain(
      'Esta página muestra 50 accesos con este filtro. Hay más accesos anteriores con este filtro en la página siguiente.',
    );
    expect(es).not.toContain('Se muestran 50 accesos con este filtro');
    const en = visible(await pageOf(c.idNumber, '/ciudadania/registro?inicio=2026-03-01', 'en'));
    expect(en).toContain(
      'This page shows 50 accesses that match this filter. More, older accesses match it on the next page.',
    );
    expect(en).not.toContain('50 accesses match this filter.');
    // The next page holds the rest, and none older.
    const older = /href="([^"]*antes=[^"]*)"/.exec(
      await pageOf(c.idNumber, '/ciudadania/registro?inicio=2026-03-01', 'es'),
    );
    expect(older, 'a link to the older entries').not.toBeNull();
    const rest = visible(await pageOf(c.idNumber, older![1]!.replaceAll('&amp;', '&'), 'es'));
    expect(rest).toMatch(/Esta página muestra \d+ accesos? con este filtro\./);
    expect(rest).not.toContain('Hay más accesos anteriores');
  });

  it('ties a date it cannot read to its field, so a screen reader says it there', async () => {
    const c = await citizenCase(t);
    const token = await citizenToken(t, c.idNumber);
    const res = await t.request('/ciudadania/registro?inicio=2026-02-30&fin=2026-03-01', {
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    const input = /<input type="date" id="inicio"[^>]*>/.exec(html)?.[0];
    expect(input).toContain('aria-invalid="true"');
    const describedBy = /aria-describedby="([^"]*)"/.exec(input!)?.[1]?.split(' ') ?? [];
    expect(describedBy).toContain('inicio-ayuda');
    const errorId = describedBy.find((id) => id !== 'inicio-ayuda');
    expect(errorId, 'the error named by the field').toBeDefined();
    expect(html).toMatch(new RegExp(`<span class="field-error" id="${errorId}">[^<]+</span>`));
    // The other field, valid, names its hint only.
    expect(/<input type="date" id="fin"[^>]*>/.exec(html)?.[0]).toContain('aria-describedby="fin-ayuda"');
  });
});

describe('a request the pages cannot take', () => {
  it('a tampered page link says so, in words, and leads back', async () => {
    const c = await citizenCase(t);
    const token = await citizenToken(t, c.idNumber);
    const res = await t.request('/ciudadania/tramites?desde=garbage', {
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('El enlace de esta página no es válido o ha caducado');
    expect(html).not.toContain('Inténtelo de nuevo más tarde');
  });

  it('the receipt of a procedure not filed yet says there is none yet, in Spanish and English', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const draft = await createDraft(t, c.orgKey, await c.token(), 'JUB', FORMS.JUB);
    const token = await citizenToken(t, c.idNumber);
    for (const [lang, text] of [
      ['es', 'Este trámite todavía no se ha presentado, así que no tiene justificante de presentación.'],
      ['en', 'This procedure has not been filed yet, so it has no filing receipt.'],
    ] as const) {
      const res = await t.request(`/ciudadania/tramites/${draft.id}/justificante?lang=${lang}`, {
        headers: { cookie: `${SESSION_COOKIE}=${token}` },
      });
      expect(res.status).toBe(409);
      const html = await res.text();
      expect(html).toContain(text);
      expect(html).not.toContain(lang === 'es' ? 'solicitud o delegación' : 'request or delegation');
    }
  });

  it("a form far larger than any of ours is a page in the citizen's language, not a bare status", async () => {
    const c = await citizenCase(t);
    const token = await citizenToken(t, c.idNumber);
    const res = await t.request('/ciudadania/avisos/preferencias', {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `x=${'a'.repeat(64 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Lo que ha enviado es demasiado largo');
  });
});
