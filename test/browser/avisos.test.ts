import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { memoryLogger } from '../../api/http/logger';
import { deliverAvisos } from '../../api/modules/avisos/delivery';
import { expectAccessible, h1, haveChromium, inBothLanguages, suiteBrowserHarness } from '../support/browser';
import { createRequest, delegationRequestBody, newCitizenId, registerOrg } from '../support/fixtures';

const ORG = 'Gestoría Navarro S.L.';

describe.skipIf(!haveChromium)('avisos pages in a real browser, in Spanish and English', () => {
  const h = suiteBrowserHarness();
  const logger = memoryLogger();

  const deliver = () => deliverAvisos(h.t.sql, { config: h.t.config, clock: h.clock, logger }, { limit: 50 });
  const main = (page: Page) => page.locator('main').innerText();

  /** Runs a form-driven state in each language (the language cookie set first), checking it and running axe. */
  async function inEachLanguage(page: Page, label: string, run: (lang: 'es' | 'en') => Promise<void>) {
    for (const lang of ['es', 'en'] as const) {
      await page.goto(`${h.baseUrl}/ciudadania/avisos?lang=${lang}`);
      await run(lang);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await expectAccessible(page, `${label} (${lang})`);
    }
    await page.goto(`${h.baseUrl}/ciudadania/avisos?lang=es`);
  }

  /** The newest development-mailbox message to an address, opened in the page; answers its text. */
  async function openMail(page: Page, to: string): Promise<string> {
    await page.goto(`${h.baseUrl}/dev/mailbox`);
    await page.locator('tbody tr', { hasText: to }).first().getByRole('link').click();
    await page.waitForURL((url) => /^\/dev\/mailbox\/\d+$/.test(url.pathname));
    return (await page.locator('blockquote').innerText()).trim();
  }

  it('settings, contact confirmation, avisos sent, unsubscribe and the development mailbox', async () => {
    const org = await registerOrg(h.t, { legal_name: ORG });
    const idNumber = newCitizenId();
    const firmGiven = `isabel.${idNumber.toLowerCase()}@example.es`;
    const request = await createRequest(
      h.t,
      org.testKey,
      delegationRequestBody(idNumber, { citizen: { id_number: idNumber, name: 'Isabel Navas', contact: firmGiven } }),
    );
    expect(await deliver()).toBe(1);
    const page = await h.newPage();

    // Signed out, the avisos page asks to sign in.
    await page.goto(`${h.baseUrl}/ciudadania/avisos`);
    await inBothLanguages(page, 'avisos, signed out', async (lang) => {
      expect(await h1(page)).toBe(lang === 'es' ? 'Avisos' : 'Notices');
    });

    // The development mailbox, listing and one message (the request's aviso with its approval link).
    await page.goto(`${h.baseUrl}/dev/mailbox`);
    await inBothLanguages(page, 'development mailbox', async (lang) => {
      expect(await h1(page)).toBe(lang === 'es' ? 'Buzón de desarrollo' : 'Development mailbox');
      expect(await main(page)).toContain(`[Prueba] ${ORG} pide representarle`);
    });
    const requestText = await openMail(page, firmGiven);
    expect(requestText).toContain(request.code);
    await inBothLanguages(page, 'development mailbox message', async () => {
      expect(await h1(page)).toBe(`[Prueba] ${ORG} pide representarle`);
    });
    // The approval link in the message is a working link.
    await page.getByRole('link', { name: `${h.baseUrl}/ciudadania/solicitudes/${request.id}` }).click();
    await page.waitForURL((url) => url.pathname === `/ciudadania/solicitudes/${request.id}`);

    // Signing in to the avisos page: nothing set up yet.
    await page.goto(`${h.baseUrl}/ciudadania/avisos`);
    await page.getByRole('link', { name: 'Identificarse' }).click();
    await h.signIn(page, idNumber, 'Isabel Navas Ruiz');
    expect(new URL(page.url()).pathname).toBe('/ciudadania/avisos');
    await inBothLanguages(page, 'avisos, nothing set up', async (lang) => {
      expect(await h1(page)).toBe(lang === 'es' ? 'Avisos' : 'Notices');
      expect(await page.locator('nav a[aria-current=page]').innerText()).toBe(lang === 'es' ? 'Avisos' : 'Notices');
      expect(await main(page)).toContain(lang === 'es' ? 'Ninguno todavía.' : 'None yet.');
      // The firm's contact is not the citizen's.
      expect(await main(page)).not.toContain(firmGiven);
    });

    // A mistyped email: the error summary and the field, in each language.
    await inEachLanguage(page, 'avisos, invalid email', async (lang) => {
      await page.getByLabel(lang === 'es' ? 'Nuevo correo electrónico' : 'New email address').fill('isabel-at-example');
      await page
        .getByRole('button', { name: lang === 'es' ? 'Enviar el código' : 'Send the code' })
        .first()
        .click();
      await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
      expect(await page.locator('#correo-valor').getAttribute('aria-invalid')).toBe('true');
    });

    // A real one: a code is sent; the page waits for it.
    const own = `isabel.propio.${idNumber.toLowerCase()}@example.es`;
    await page.getByLabel('Nuevo correo electrónico').fill(own);
    await page.getByRole('button', { name: 'Enviar el código' }).first().click();
    await page.waitForURL((url) => url.searchParams.get('hecho') === 'code_sent');
    await inBothLanguages(page, 'avisos, code sent', async (lang) => {
      expect(await main(page)).toContain(
        lang === 'es' ? `Hemos enviado un código a ${own}` : `We sent a code to ${own}`,
      );
    });
    expect(await deliver()).toBe(1);
    const code = (await openMail(page, own)).match(/\b(\d{6})\b/)![1]!;

    // A wrong code, in each language (two tries of the five).
    const wrong = code === '000000' ? '111111' : '000000';
    await inEachLanguage(page, 'avisos, wrong code', async (lang) => {
      await page.getByLabel(lang === 'es' ? 'Código recibido' : 'Code received').fill(wrong);
      await page.getByRole('button', { name: lang === 'es' ? 'Confirmar' : 'Confirm' }).click();
      await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
      expect(await page.locator('#correo-codigo').getAttribute('aria-invalid')).toBe('true');
    });

    // The right code: confirmed.
    await page.getByLabel('Código recibido').fill(code);
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.waitForURL((url) => url.searchParams.get('hecho') === 'confirmed');
    await inBothLanguages(page, 'avisos, email confirmed', async (lang) => {
      expect(await main(page)).toContain(lang === 'es' ? `Confirmado: ${own}` : `Confirmed: ${own}`);
    });

    // Preferences: SMS off, English avisos, no "delegation granted" ones.
    await page.getByLabel('SMS', { exact: true }).uncheck();
    await page.getByLabel('Idioma de los avisos').selectOption('en');
    await page.getByLabel('He concedido una representación').uncheck();
    await page.getByRole('button', { name: 'Guardar las preferencias' }).click();
    await page.waitForURL((url) => url.searchParams.get('hecho') === 'saved');
    await inBothLanguages(page, 'avisos, preferences saved', async (lang) => {
      expect(await main(page)).toContain(lang === 'es' ? 'Preferencias guardadas.' : 'Preferences saved.');
      expect(await page.getByLabel(lang === 'es' ? 'SMS' : 'Text message', { exact: true }).isChecked()).toBe(false);
    });
    const settings = await h.t.sql<{ lang: string; channels: string[]; kinds_off: string[] }[]>`
      select lang, channels, kinds_off from citizen_aviso_settings where email = ${own}`;
    expect(settings).toEqual([{ lang: 'en', channels: ['email'], kinds_off: ['delegation_granted'] }]);

    // Avisos sent: the request's (to the firm's contact) and the code, each with its attempt.
    await page.getByRole('link', { name: 'Ver los avisos enviados' }).click();
    await page.waitForURL((url) => url.pathname === '/ciudadania/avisos/enviados');
    await inBothLanguages(page, 'avisos sent', async (lang) => {
      expect(await h1(page)).toBe(lang === 'es' ? 'Avisos enviados' : 'Notices sent');
      const rows = page.locator('#avisos-enviados tbody tr');
      expect(await rows.count()).toBe(2);
      const fromFirm = rows.filter({ hasText: firmGiven });
      expect(await fromFirm.count()).toBe(1);
      expect(await fromFirm.innerText()).toContain(
        lang === 'es' ? 'dado por la organización para esta solicitud' : 'given by the organisation for this request',
      );
      expect(await rows.filter({ hasText: own }).innerText()).toContain(lang === 'es' ? 'Enviado' : 'Sent');
    });

    // The firm's address subscribed to nothing: the request's aviso there has no unsubscribe link.
    expect(requestText).not.toContain('/avisos/baja');
    // Another firm's request reaches the citizen's own address; its unsubscribe link works signed
    // out: it asks, then turns the kind off.
    const second = await registerOrg(h.t, { legal_name: 'Asesoría Segunda S.L.' });
    await createRequest(h.t, second.testKey, delegationRequestBody(idNumber, { citizen: { id_number: idNumber } }));
    expect(await deliver()).toBe(1);
    const ownText = await openMail(page, own);
    const unsubscribe = ownText.match(/https?:\/\/\S+\/avisos\/baja\?t=[^\s&]+/)![0]!;
    const anonymous = await h.newPage();
    await anonymous.goto(unsubscribe);
    await inBothLanguages(anonymous, 'unsubscribe, asking', async (lang) => {
      expect(await h1(anonymous)).toBe(lang === 'es' ? 'Dejar de recibir avisos' : 'Stop getting notices');
      expect(await main(anonymous)).toContain(
        lang === 'es' ? 'Una organización pide representarme' : 'An organisation asks to represent me',
      );
    });
    await anonymous.getByRole('button', { name: 'Sí, no quiero recibirlos' }).click();
    await expect.poll(() => main(anonymous)).toContain('Hecho: no le enviaremos más avisos de este tipo.');
    await expectAccessible(anonymous, 'unsubscribe, done (es)');
    await anonymous.goto(`${unsubscribe}&lang=en`);
    await anonymous.getByRole('button', { name: 'Yes, stop them' }).click();
    await expect.poll(() => main(anonymous)).toContain('Done: we will not send you more notices of this kind.');
    await expectAccessible(anonymous, 'unsubscribe, done (en)');
    await anonymous.goto(`${h.baseUrl}/avisos/baja?t=forged.link&lang=es`);
    expect(await main(anonymous)).toContain('Este enlace no es válido.');
    await expectAccessible(anonymous, 'unsubscribe, invalid link (es)');
    await anonymous.goto(`${h.baseUrl}/avisos/baja?t=forged.link&lang=en`);
    expect(await main(anonymous)).toContain('This link is not valid.');
    await expectAccessible(anonymous, 'unsubscribe, invalid link (en)');

    // The settings page shows the kind turned off.
    await page.goto(`${h.baseUrl}/ciudadania/avisos?lang=es`);
    expect(await page.getByLabel('Una organización pide representarme').isChecked()).toBe(false);
    // Some twenty page states, each checked with axe in two languages.
  }, 120_000);

  it('avisos sent, empty, in both languages', async () => {
    const page = await h.newPage();
    await page.goto(`${h.baseUrl}/ciudadania/avisos/enviados`);
    await page.getByRole('link', { name: 'Identificarse' }).click();
    await h.signIn(page, newCitizenId(), 'Tomás Gil');
    await inBothLanguages(page, 'avisos sent, empty', async (lang) => {
      expect(await main(page)).toContain(
        lang === 'es' ? 'Todavía no le hemos enviado ningún aviso.' : 'We have not sent you any notice yet.',
      );
    });
  });
});
