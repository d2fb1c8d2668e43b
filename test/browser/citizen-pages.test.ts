import { describe, expect, it } from 'vitest';

import { expectAccessible, h1, haveChromium, suiteBrowserHarness } from '../support/browser';
import {
  auth,
  createRequest,
  delegationRequestBody,
  expectProblem,
  mintToken,
  newCitizenId,
  registerVerifiedOrg,
} from '../support/fixtures';

const ORG_NAME = 'Gestoría Martínez y Asociados S.L.';
const MEMBER_NAME = 'Lucía Martínez Pardo';
const DEV_BANNER = 'Proveedor de identidad de DESARROLLO — no usar en producción';

describe.skipIf(!haveChromium)('citizen pages in a real browser', () => {
  const h = suiteBrowserHarness();

  it('lets a citizen sign in, read, accept and revoke a live request, and see the access log', async () => {
    const org = await registerVerifiedOrg(h.t, { legal_name: ORG_NAME });
    const idNumber = newCitizenId();
    const request = await createRequest(
      h.t,
      org.liveKey,
      delegationRequestBody(idNumber, {
        scope: { procedure_types: ['JUB'], subjects: ['family'], capacities: ['consult', 'file', 'respond'] },
      }),
    );
    expect(request.approval_url).toBe(`${h.baseUrl}/ciudadania/solicitudes/${request.id}`);

    const page = await h.newPage();

    // Signed out, the approval link asks to sign in and shows nothing of the request.
    const first = await page.goto(request.approval_url);
    expect(first?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await h1(page)).toBe('Solicitud de representación');
    expect(await page.content()).not.toContain(ORG_NAME);
    await expectAccessible(page, 'approval page, signed out');

    // The skip link is the first thing the keyboard reaches, and it shows up when focused.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#contenido');
    const skip = await page.locator('a.skip').boundingBox();
    expect(skip?.x).toBeGreaterThanOrEqual(0);

    await page.getByRole('link', { name: 'Identificarse' }).click();
    await page.waitForURL((url) => url.pathname === '/dev-idp/login');
    expect(new URL(page.url()).searchParams.get('return_to')).toBe(`/ciudadania/solicitudes/${request.id}`);
    await expect.poll(() => page.getByText(DEV_BANNER).count()).toBe(1);
    await expectAccessible(page, 'development sign-in');

    // A wrong check letter is reported next to the field, and linked to it.
    await page.getByLabel('DNI o NIE').fill(`${idNumber.slice(0, 8)}${idNumber.endsWith('A') ? 'B' : 'A'}`);
    await page.getByLabel('Nombre y apellidos').fill('Carmen López García');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForLoadState();
    const idField = page.getByLabel('DNI o NIE');
    expect(await idField.getAttribute('aria-invalid')).toBe('true');
    expect(await idField.getAttribute('aria-describedby')).toContain('id_number-error');
    expect(await page.locator('#id_number-error').innerText()).toContain('letra');
    expect(await page.getByRole('alert').innerText()).toContain('Hay errores en el formulario');
    await expectAccessible(page, 'development sign-in with an error');

    await h.signIn(page, idNumber, 'Carmen López García');
    expect(page.url()).toBe(request.approval_url);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'puente_citizen');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });

    // The approval page: who asks, what, until when, in plain Spanish.
    expect(await h1(page)).toBe('Solicitud de representación');
    const main = await page.locator('main').innerText();
    expect(main).toContain(ORG_NAME);
    expect(main).toContain('Organización verificada por Puente');
    expect(main).toContain('Gestoría administrativa');
    expect(main).toMatch(/Colegio Oficial de Gestores Administrativos de Madrid, número \d+/);
    expect(main).toContain('Pensión de jubilación contributiva');
    expect(main).toContain('Nacimiento y cuidado de menor');
    expect(main).toContain('Asignación por hijo a cargo con discapacidad');
    expect(main).toContain('Incluye todos los trámites de: familia.');
    expect(main).toContain('consultar sus expedientes');
    expect(main).toContain('presentar solicitudes');
    expect(main).toContain('responder a requerimientos');
    expect(main).not.toContain('desistir o renunciar');
    expect(main).toContain('31 de diciembre de 2027');
    expect(main).toContain('Para tramitar su pensión de jubilación.');
    expect(main).toContain(request.code);
    await expectAccessible(page, 'approval page, signed in');

    // Home lists it as pending, linking back to the approval page.
    await page.goto(`${h.baseUrl}/ciudadania`);
    expect(await h1(page)).toBe('Área de ciudadanía');
    const pending = page.locator('section', { has: page.getByRole('heading', { name: 'Solicitudes pendientes' }) });
    expect(await pending.innerText()).toContain(ORG_NAME);
    await expectAccessible(page, 'home, signed in');
    await page.getByRole('link', { name: `Revisar la solicitud de ${ORG_NAME}` }).click();
    await page.waitForURL(request.approval_url);

    // Accept: on to the delegations page, where it is active.
    await page.getByRole('button', { name: 'Aceptar y conceder la representación' }).click();
    await page.waitForURL((url) => url.pathname === '/ciudadania/delegaciones');
    expect(await h1(page)).toBe('Mis delegaciones');
    expect(await page.getByRole('status').innerText()).toContain('Ha aceptado la solicitud');
    const card = page.locator('li.card', { hasText: ORG_NAME });
    expect(await card.innerText()).toContain('Activa');
    expect(await card.innerText()).toContain('Del 2 de marzo de 2026 al 31 de diciembre de 2027');
    await expectAccessible(page, 'delegations, active');

    // The organisation now mints a consent token and uses it.
    const accepted = (await (
      await h.t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.liveKey) })
    ).json()) as { status: string; delegation_id: string };
    expect(accepted.status).toBe('accepted');
    const delegationId = accepted.delegation_id;
    const token = await mintToken(h.t, org.liveKey, delegationId);
    const check = await h.t.request('/v1/consent-tokens/current', {
      headers: auth(org.liveKey, { 'puente-consent': token }),
    });
    expect(check.status, await check.clone().text()).toBe(200);

    // A forged form (wrong CSRF token) is refused, and changes nothing.
    const forged = await page.context().request.post(`${h.baseUrl}/ciudadania/delegaciones/${delegationId}/revocar`, {
      form: { csrf: 'forged' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('Acción no permitida');
    expect(
      (await h.t.request('/v1/consent-tokens/current', { headers: auth(org.liveKey, { 'puente-consent': token }) }))
        .status,
    ).toBe(200);

    // Revoke: effective on the organisation's very next request.
    await page.reload();
    await page.getByRole('button', { name: `Revocar la delegación de ${ORG_NAME}` }).click();
    await page.waitForURL((url) => url.searchParams.get('aviso') === 'revocada');
    expect(await page.getByRole('status').innerText()).toContain('Tiene efecto inmediato');
    expect(await page.locator('li.card', { hasText: ORG_NAME }).innerText()).toContain('Revocada por usted');
    expect(await page.getByRole('button', { name: /Revocar/ }).count()).toBe(0);
    await expectAccessible(page, 'delegations, revoked');

    await expectProblem(
      await h.t.request(`/v1/delegations/${delegationId}/consent-tokens`, {
        method: 'POST',
        headers: auth(org.liveKey),
        json: {},
      }),
      403,
      'delegation_inactive',
    );
    await expectProblem(
      await h.t.request('/v1/consent-tokens/current', { headers: auth(org.liveKey, { 'puente-consent': token }) }),
      403,
      'delegation_inactive',
    );

    // The access log: newest first, Madrid time, organisation and member by name.
    await page.getByRole('link', { name: 'Registro de accesos' }).click();
    await page.waitForURL((url) => url.pathname === '/ciudadania/registro');
    expect(await h1(page)).toBe('Registro de accesos');
    const rows = page.locator('table tbody tr');
    const texts = await rows.allInnerTexts();
    const minted = texts.findIndex((r) => r.includes('Obtuvo un permiso temporal para actuar en su nombre'));
    const checked = texts.findIndex((r) => r.includes('Comprobó que su permiso sigue vigente'));
    expect(minted).toBeGreaterThanOrEqual(0);
    expect(checked).toBeGreaterThanOrEqual(0);
    expect(checked).toBeLessThan(minted);
    expect(texts[minted]).toContain(MEMBER_NAME);
    expect(texts[minted]).toContain(ORG_NAME);
    expect(texts[minted]).toContain('10:00');
    await expectAccessible(page, 'access log');

    // English on request, remembered across pages, and back.
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL((url) => url.searchParams.get('lang') === 'en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await h1(page)).toBe('Access log');
    expect(await page.locator('table').innerText()).toContain('Obtained a temporary permission to act on your behalf');
    await expectAccessible(page, 'access log in English');
    await page.getByRole('link', { name: 'My delegations' }).click();
    await page.waitForURL((url) => url.pathname === '/ciudadania/delegaciones');
    expect(await h1(page)).toBe('My delegations');
    expect(await page.locator('main').innerText()).toContain('Revoked by you');
    await page.goto(`${h.baseUrl}/ciudadania`);
    expect(await h1(page)).toBe('Citizen area');
    expect(await page.getByRole('heading', { level: 2, name: 'Pending requests' }).count()).toBe(1);
    await expectAccessible(page, 'home in English');
    await page.getByRole('link', { name: 'Español' }).click();
    await page.waitForURL((url) => url.searchParams.get('lang') === 'es');
    expect(await h1(page)).toBe('Área de ciudadanía');

    // The request, once answered, shows its status instead of the buttons.
    await page.goto(request.approval_url);
    expect(await page.locator('main').innerText()).toContain('Ya aceptó esta solicitud.');
    expect(await page.getByRole('button', { name: /Aceptar/ }).count()).toBe(0);

    // Signing out clears the session.
    await page.goto(`${h.baseUrl}/ciudadania`);
    await page.getByRole('button', { name: 'Salir' }).click();
    await page.waitForURL((url) => url.searchParams.get('aviso') === 'salida');
    expect(await page.getByRole('status').innerText()).toContain('Ha salido de su sesión');
    expect((await page.context().cookies()).some((c) => c.name === 'puente_citizen')).toBe(false);
    expect(await page.getByRole('link', { name: 'Identificarse' }).count()).toBe(1);
  }, 60_000);

  it('asks for the withdraw capacity apart, with its own box, and grants it only once ticked', async () => {
    const org = await registerVerifiedOrg(h.t, { legal_name: 'Despacho Soler Abogados S.L.P.', kind: 'law_firm' });
    const idNumber = newCitizenId();
    const request = await createRequest(
      h.t,
      org.liveKey,
      delegationRequestBody(idNumber, {
        scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'withdraw'] },
      }),
    );
    const page = await h.newPage();
    await page.goto(
      `${h.baseUrl}/dev-idp/login?return_to=${encodeURIComponent(`/ciudadania/solicitudes/${request.id}`)}`,
    );
    await h.signIn(page, idNumber, 'Carmen López García');
    expect(page.url()).toBe(request.approval_url);
    expect(await page.locator('main').innerText()).toContain('desistir o renunciar');
    const box = page.getByRole('checkbox', {
      name: /Autorizo expresamente a esta organización a desistir de mis solicitudes o renunciar a ellas en mi nombre/,
    });
    expect(await box.isChecked()).toBe(false);
    await expectAccessible(page, 'approval page asking for withdraw');

    // Accepting without the box grants nothing: the page says why, next to the box.
    const answered = page.waitForResponse((r) => r.url().endsWith('/aceptar'));
    await page.getByRole('button', { name: 'Aceptar y conceder la representación' }).click();
    expect((await answered).status()).toBe(422);
    await page.waitForLoadState();
    expect(await page.getByRole('alert').innerText()).toContain('marque la casilla que lo autoriza expresamente');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'approval page, withdraw not confirmed');
    const still = (await (
      await h.t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.liveKey) })
    ).json()) as { status: string };
    expect(still.status).toBe('pending');

    // The same box in English.
    await page.goto(`${request.approval_url}?lang=en`);
    expect(
      await page
        .getByRole('checkbox', {
          name: /I expressly authorise this organisation to withdraw or renounce my applications/,
        })
        .count(),
    ).toBe(1);
    await page.goto(`${request.approval_url}?lang=es`);

    // Ticked, the request is accepted with the capacity.
    await box.check();
    await page.getByRole('button', { name: 'Aceptar y conceder la representación' }).click();
    await page.waitForURL((url) => url.pathname === '/ciudadania/delegaciones');
    const accepted = (await (
      await h.t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.liveKey) })
    ).json()) as { status: string; delegation_id: string };
    expect(accepted.status).toBe('accepted');
    await mintToken(h.t, org.liveKey, accepted.delegation_id, { capacities: ['withdraw'] });
  }, 60_000);

  it("shows another citizen a 404 page for someone else's request, and rejects answering it", async () => {
    const org = await registerVerifiedOrg(h.t, {
      legal_name: 'Asesoría Laboral Ribera S.L.P.',
      kind: 'graduado_social',
    });
    const owner = newCitizenId();
    const request = await createRequest(h.t, org.liveKey, delegationRequestBody(owner));

    const page = await h.newPage();
    await page.goto(
      `${h.baseUrl}/dev-idp/login?return_to=${encodeURIComponent(`/ciudadania/solicitudes/${request.id}`)}`,
    );
    const responses: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === `/ciudadania/solicitudes/${request.id}`) responses.push(r.status());
    });
    await h.signIn(page, newCitizenId(), 'Pedro Ruiz Soler');
    expect(responses).toEqual([404]);
    expect(await h1(page)).toBe('Página no encontrada');
    const content = await page.content();
    expect(content).not.toContain('Asesoría Laboral Ribera');
    expect(content).not.toContain(request.code);
    await expectAccessible(page, '404 page');

    // Even with a valid CSRF token for their own session, they cannot accept it.
    await page.goto(`${h.baseUrl}/ciudadania`);
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const attempt = await page
      .context()
      .request.post(`${h.baseUrl}/ciudadania/solicitudes/${request.id}/aceptar`, { form: { csrf }, maxRedirects: 0 });
    expect(attempt.status()).toBe(404);
    const still = (await (
      await h.t.request(`/v1/delegation-requests/${request.id}`, { headers: auth(org.liveKey) })
    ).json()) as { status: string };
    expect(still.status).toBe('pending');

    // Returning elsewhere than the citizen pages is refused: the sign-in goes home instead.
    const other = await h.newPage();
    await other.goto(`${h.baseUrl}/dev-idp/login?return_to=${encodeURIComponent('//evil.example/ciudadania')}`);
    await h.signIn(other, newCitizenId(), 'Ana Gil Torres');
    expect(new URL(other.url()).pathname).toBe('/ciudadania');
  }, 60_000);

  it('renders styled under its Content-Security-Policy, and says who handles sign-in', async () => {
    const page = await h.newPage({ bypassCSP: false });
    const res = await page.goto(`${h.baseUrl}/ciudadania`);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(res?.headers()['cache-control']).toBe('no-store');
    const headerBackground = await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(headerBackground).toBe('rgb(11, 58, 102)');
    await page.goto(`${h.baseUrl}/ciudadania?lang=en`);
    expect(await h1(page)).toBe('Citizen area');
    expect(await page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe(
      '/dev-idp/login?return_to=%2Fciudadania',
    );
  }, 60_000);
});
