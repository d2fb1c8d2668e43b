import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { h1, haveChromium, inBothLanguages, suiteBrowserHarness } from '../support/browser';
import { advance, answerRequirement, citizenCase, fileJub } from '../support/citizen-procedures';
import { auth, citizenToken, newCitizenId } from '../support/fixtures';
import { pdfText } from '../support/pdf';
import { openNotification } from '../support/procedures';

const FIRST_ORG = 'Gestoría Martínez y Asociados S.L.';
const SECOND_ORG = 'Asesoría Ribera S.L.P.';

describe.skipIf(!haveChromium)('Mis trámites and the access log in a real browser', () => {
  const h = suiteBrowserHarness();

  /** The cells of a table body as a reader sees them, test-mode tags left out. */
  async function tableRows(page: Page, selector: string): Promise<string[][]> {
    return page.locator(`${selector} tbody tr`).evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.children).map((cell) => {
          const copy = cell.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.tag').forEach((tag) => tag.remove());
          return (copy.textContent ?? '').trim();
        }),
      ),
    );
  }

  it('shows an empty list to a citizen nobody has filed for', async () => {
    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/ciudadania/tramites`);
    await inBothLanguages(page, 'procedures, signed out', async (lang) => {
      expect(await h1(page)).toBe(lang === 'es' ? 'Mis trámites' : 'My procedures');
    });
    await page.getByRole('link', { name: 'Identificarse' }).click();
    await h.signIn(page, newCitizenId(), 'Pedro Ruiz Soler');
    expect(new URL(page.url()).pathname).toBe('/ciudadania/tramites');
    await inBothLanguages(page, 'procedures, empty', async (lang) => {
      expect(await h1(page)).toBe(lang === 'es' ? 'Mis trámites' : 'My procedures');
      expect(await page.locator('main').innerText()).toContain(
        lang === 'es'
          ? 'Nadie ha preparado ni presentado todavía ningún trámite en su nombre.'
          : 'Nobody has prepared or filed any procedure in your name yet.',
      );
      expect(await page.locator('nav a[aria-current=page]').innerText()).toBe(
        lang === 'es' ? 'Mis trámites' : 'My procedures',
      );
    });
  });

  it('lists, explains and exports: open requirement, resolved procedure, filtered access log, in Spanish and English', async () => {
    // Two firms file a JUB application each for the same citizen on Monday 2 March 2026.
    h.clock.set('2026-03-02T09:00:00Z');
    const first = await citizenCase(h.t, { orgName: FIRST_ORG });
    const second = await citizenCase(h.t, { idNumber: first.idNumber, orgName: SECOND_ORG });
    const open = await fileJub(h.t, first);
    const resolved = await fileJub(h.t, second);
    // The second is required on the 3rd, answered on the 4th and denied on Thursday 5 March.
    h.clock.set('2026-03-03T09:00:00Z');
    const req = await advance(h.t, second, resolved.id, {
      action: 'require',
      kinds: ['COMPANY_CERT'],
      message: 'Falta el certificado de empresa.',
    });
    h.clock.set('2026-03-04T09:00:00Z');
    await answerRequirement(h.t, second, resolved.id, req.requirements[0].id, 'COMPANY_CERT');
    h.clock.set('2026-03-05T09:00:00Z');
    await advance(h.t, second, resolved.id, { action: 'deny', message: 'No reúne el periodo mínimo de cotización.' });
    // Each notification is opened by the firm the day it is made available: its term runs from the next day.
    await openNotification(h.t, second.orgKey, await second.token(), resolved.id, 'resolution');
    const denied = (await (
      await h.t.request(`/v1/procedures/${resolved.id}`, { headers: await second.consent() })
    ).json()) as Record<string, any>;
    // The first is required on Tuesday 10 March; the citizen then revokes the second firm's delegation.
    h.clock.set('2026-03-10T09:00:00Z');
    await advance(h.t, first, open.id, {
      action: 'require',
      kinds: ['COMPANY_CERT', 'QUOTA_PROOF'],
      message: 'Aporte el certificado de empresa y el informe de cotizaciones.',
    });
    const required = await openNotification(h.t, first.orgKey, await first.token(), open.id, 'requirement').then(
      async () =>
        (await h.t.request(`/v1/procedures/${open.id}`, { headers: await first.consent() })).json() as Promise<
          Record<string, any>
        >,
    );
    // The citizen looks at their area the next day, Wednesday 11 March.
    h.clock.set('2026-03-11T09:00:00Z');
    const revoke = await h.t.request(`/v1/me/delegations/${second.delegationId}/revoke`, {
      method: 'POST',
      headers: auth(await citizenToken(h.t, first.idNumber)),
    });
    expect(revoke.status).toBe(200);

    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/dev-idp/login?return_to=${encodeURIComponent('/ciudadania/tramites')}`);
    await h.signIn(page, first.idNumber, 'Carmen López García');

    // The list: both procedures, their state in words, who handles them; the revoked one stays as history.
    await inBothLanguages(page, 'procedures, two', async (lang) => {
      const rows = await tableRows(page, 'table');
      expect(rows).toHaveLength(2);
      const byOrg = (org: string) => rows.find((r) => r[2]!.startsWith(org))!;
      if (lang === 'es') {
        expect(byOrg(FIRST_ORG).slice(0, 2)).toEqual(['Pensión de jubilación contributiva', 'Le piden documentación']);
        expect(byOrg(FIRST_ORG)[2]).toBe(`${FIRST_ORG} (Gestoría administrativa)`);
        expect(byOrg(SECOND_ORG)[1]).toBe('Denegado');
        expect(byOrg(SECOND_ORG)[2]).toContain('La delegación ya no está vigente (revocada por usted)');
        expect(byOrg(FIRST_ORG)[3]).toBe('2 de marzo de 2026');
      } else {
        expect(byOrg(FIRST_ORG).slice(0, 2)).toEqual([
          'Contributory retirement pension',
          'Documents are requested from you',
        ]);
        expect(byOrg(SECOND_ORG)[1]).toBe('Refused');
        expect(byOrg(SECOND_ORG)[2]).toContain('The delegation is no longer in force (revoked by you)');
      }
    });

    // The procedure with an open requirement: what is missing, by when, and the legal dates in words.
    await page.locator('tr', { hasText: FIRST_ORG }).getByRole('link').click();
    await page.waitForURL((url) => url.pathname === `/ciudadania/tramites/${open.id}`);
    // 10 días hábiles from Tuesday 10 March in Madrid: 24 March.
    expect(required.deadlines.requirement_deadline).toBe('2026-03-24');
    await inBothLanguages(page, 'procedure with an open requirement', async (lang) => {
      const section = await page.locator('section.alert').innerText();
      const legal = await page.locator('section.legal').innerText();
      if (lang === 'es') {
        expect(await h1(page)).toBe('Pensión de jubilación contributiva');
        expect(section).toContain('Plazo: hasta el 24 de marzo de 2026.');
        expect(section).toContain('Le piden: Certificado de empresa y Justificante de cotizaciones.');
        expect(section).toContain('Falta por aportar: Certificado de empresa y Justificante de cotizaciones.');
        expect(section).toContain('Aporte el certificado de empresa y el informe de cotizaciones.');
        expect(legal).toContain('Se registró el 2 de marzo de 2026.');
        expect(legal).toContain('el plazo para resolver está parado. Hay que aportarlo hasta el 24 de marzo de 2026.');
        const main = await page.locator('main').innerText();
        expect(main).toContain(open.registry_entry_number);
        expect(main).toContain('Pidió documentación: Certificado de empresa y Justificante de cotizaciones');
      } else {
        expect(await h1(page)).toBe('Contributory retirement pension');
        expect(section).toContain('Time limit: until 24 March 2026.');
        expect(section).toContain('Still missing: Employer certificate and Proof of contributions.');
        expect(legal).toContain('It was registered on 2 March 2026.');
      }
    });

    // The citizen downloads one of their documents; the receipt is a real PDF.
    const docRows = await tableRows(page, 'section[aria-labelledby=documentos] table');
    expect(docRows.map((r) => r[0]).sort()).toEqual(['Certificado de la cuenta bancaria', 'DNI o NIE']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Descargar dni_nie.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('dni_nie.pdf');
    const receiptHref = await page.getByRole('link', { name: 'Descargar el justificante (PDF)' }).getAttribute('href');
    const receipt = await page.context().request.get(`${h.baseUrl}${receiptHref}`);
    expect(receipt.headers()['content-type']).toBe('application/pdf');
    expect((await pdfText(await receipt.body())).text).toContain(open.registry_entry_number);

    // The resolved procedure: the decision and the reclamación previa deadline.
    await page.goto(`${h.baseUrl}/ciudadania/tramites/${resolved.id}`);
    // 30 días hábiles from Thursday 5 March in Madrid, Holy Thursday (2 April) and Good Friday (3 April) not counted: 20 April.
    expect(denied.deadlines.prior_claim_deadline).toBe('2026-04-20');
    await inBothLanguages(page, 'resolved procedure', async (lang) => {
      const main = await page.locator('main').innerText();
      const legal = await page.locator('section.legal').innerText();
      if (lang === 'es') {
        expect(main).toContain('Denegada. Resuelta el 5 de marzo de 2026.');
        expect(main).toContain('No reúne el periodo mínimo de cotización.');
        expect(legal).toContain('Puede presentar una reclamación previa hasta el 20 de abril de 2026.');
        expect(main).toContain('Revocada por usted');
        expect(await page.locator('section.alert').count()).toBe(0);
      } else {
        expect(main).toContain('Refused. Decided on 5 March 2026.');
        expect(legal).toContain('You may file a prior claim (reclamación previa) until 20 April 2026.');
      }
    });

    // The access log, filtered by the first firm's delegation and by 10 March: only the citizen's own downloads.
    await page.goto(`${h.baseUrl}/ciudadania/registro`);
    await page.getByLabel('Delegación').selectOption(first.delegationId);
    await page.getByLabel('Desde el día').fill('2026-03-11');
    await page.getByLabel('Hasta el día (incluido)').fill('2026-03-11');
    await page.getByRole('button', { name: 'Aplicar el filtro' }).click();
    await page.waitForURL((url) => url.searchParams.get('delegacion') === first.delegationId);
    await inBothLanguages(page, 'access log filtered', async (lang) => {
      const rows = await tableRows(page, 'table');
      expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual(
        lang === 'es'
          ? [
              [FIRST_ORG, 'Usted', 'Consultó el justificante de presentación'],
              [FIRST_ORG, 'Usted', 'Descargó un documento'],
            ]
          : [
              [FIRST_ORG, 'You', 'Read the filing receipt'],
              [FIRST_ORG, 'You', 'Downloaded a document'],
            ],
      );
      expect(await page.getByRole('status').innerText()).toBe(
        lang === 'es'
          ? 'Esta página muestra 2 accesos con este filtro.'
          : 'This page shows 2 accesses that match this filter.',
      );
    });

    // Without the period, the firm's own accesses of 2 March show too; the exports hold exactly the page's rows.
    await page.getByLabel('Desde el día').fill('');
    await page.getByLabel('Hasta el día (incluido)').fill('');
    await page.getByRole('button', { name: 'Aplicar el filtro' }).click();
    await page.waitForURL((url) => !url.searchParams.get('inicio'));
    const shown = await tableRows(page, 'table');
    expect(shown.length).toBeGreaterThan(2);
    expect(shown.every((r) => r[1] === FIRST_ORG)).toBe(true);
    const csvHref = await page.getByRole('link', { name: 'Descargar en CSV' }).getAttribute('href');
    const csv = await page.context().request.get(`${h.baseUrl}${csvHref}`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers()['cache-control']).toBe('no-store');
    const records = parse(await csv.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r['Fecha y hora'], r['Organización'], r['Persona'], r['Acción'], r['Sobre']])).toEqual(
      shown,
    );
    const pdfHref = await page.getByRole('link', { name: 'Descargar en PDF' }).getAttribute('href');
    const pdf = await pdfText(await (await page.context().request.get(`${h.baseUrl}${pdfHref}`)).body());
    // The PDF's table holds the same rows in the same order, and no other: time, organisation, person, action.
    const flat = pdf.text.replace(/\s+/g, ' ');
    const table = flat.slice(flat.indexOf('Fecha y hora Organización Persona Acción Sobre'));
    let from = 0;
    for (const row of shown) {
      const at = table.indexOf(row.slice(0, 4).join(' '), from);
      expect(at, `${row.slice(0, 4).join(' ')}, after the previous row`).toBeGreaterThan(from - 1);
      from = at + 1;
    }
    expect(table.match(/\d{1,2} [a-z]{3} \d{4}, \d{2}:\d{2} CET/g)).toHaveLength(shown.length);
    expect(pdf.text).not.toContain(SECOND_ORG);
    await inBothLanguages(page, 'access log, unfiltered, with its exports', async (lang) => {
      expect(
        await page.getByRole('link', { name: lang === 'es' ? 'Descargar en CSV' : 'Download as CSV' }).count(),
      ).toBe(1);
    });

    // A period that ends before it starts is pointed at, next to its field.
    await page.getByLabel('Desde el día').fill('2026-03-11');
    await page.getByLabel('Hasta el día (incluido)').fill('2026-03-09');
    await page.getByRole('button', { name: 'Aplicar el filtro' }).click();
    await page.waitForURL((url) => url.searchParams.get('fin') === '2026-03-09');
    await inBothLanguages(page, 'access log, period in error', async (lang) => {
      expect(await page.getByRole('alert').innerText()).toContain(
        lang === 'es' ? 'El día «hasta» es anterior al día «desde».' : 'The “to” day is before the “from” day.',
      );
      expect(await page.locator('input[aria-invalid=true]').count()).toBe(1);
    });
    expect(await page.getByLabel('Hasta el día (incluido)').getAttribute('aria-invalid')).toBe('true');
  }, 120_000);
});
