import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SESSION_COOKIE } from '../../api/http/auth';
import { CalendarStore } from '../../api/modules/calendar/store';
import { runScheduler } from '../../api/modules/events/scheduler';
import { createTestApp, type TestApp } from '../support/app';
import { citizenToken, expectProblem, newCitizenId } from '../support/fixtures';

/**
 * The pages keep a citizen's session in a cookie that holds the ID token. Signing out must end
 * that session, not only delete the cookie from the browser that asked: a copy kept elsewhere (a
 * shared computer's other profile, a synced browser) is the same token, and must sign no one in,
 * on the pages or as a bearer token on the JSON API.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const session = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` });

async function signedInPage(token: string): Promise<string> {
  const res = await t.request('/ciudadania', { headers: session(token) });
  expect(res.status).toBe(200);
  return res.text();
}

function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  expect(match, 'a signed-in page has the sign-out form').not.toBeNull();
  return match![1]!;
}

async function signOut(token: string, csrf: string): Promise<Response> {
  return t.request('/ciudadania/salir', {
    method: 'POST',
    headers: { ...session(token), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf }).toString(),
  });
}

describe('signing out of the citizen pages', () => {
  it('ends the session: a kept copy of the cookie signs no one in, on the pages or the API', async () => {
    const token = await citizenToken(t, newCitizenId(), 'Lucía Martín Vega');
    const other = await citizenToken(t, newCitizenId(), 'Andrés Gil Soto');
    const html = await signedInPage(token);
    expect(html).toContain('Lucía Martín Vega');
    expect((await t.request('/v1/me/avisos', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    const out = await signOut(token, csrfOf(html));
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/ciudadania?aviso=salida');
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));

    // The same cookie, sent again from elsewhere: signed out.
    const after = await t.request('/ciudadania', { headers: session(token) });
    expect(after.status).toBe(200);
    const text = await after.text();
    expect(text).not.toContain('Lucía Martín Vega');
    expect(text).toContain('Identificarse');
    const procedures = await t.request('/ciudadania/tramites', { headers: session(token) });
    expect(await procedures.text()).not.toContain('Lucía Martín Vega');
    await expectProblem(
      await t.request('/v1/me/avisos', { headers: { authorization: `Bearer ${token}` } }),
      401,
      'citizen_token_invalid',
    );
    // Another citizen's session is untouched.
    expect(await signedInPage(other)).toContain('Andrés Gil Soto');
  });

  it('refuses a copy of the token spelled differently, whose signature is the same', async () => {
    const token = await citizenToken(t, newCitizenId(), 'Elena Ruiz Cano');
    expect((await signOut(token, csrfOf(await signedInPage(token)))).status).toBe(303);
    // The signature's last character carries spare bits a base64url decoder ignores: flipping
    // the lowest one spells the same signature differently, and the token still verifies.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = token.slice(0, -1) + alphabet[alphabet.indexOf(token.at(-1)!) ^ 1];
    expect(respelled).not.toBe(token);
    await expectProblem(
      await t.request('/v1/me/avisos', { headers: { authorization: `Bearer ${respelled}` } }),
      401,
      'citizen_token_invalid',
    );
    expect(await (await t.request('/ciudadania', { headers: session(respelled) })).text()).not.toContain(
      'Elena Ruiz Cano',
    );
  });

  it('refuses a sign-out without the form token, and the session goes on', async () => {
    const token = await citizenToken(t, newCitizenId(), 'Rosa Prieto Gil');
    expect((await signOut(token, 'forged')).status).toBe(403);
    expect(await signedInPage(token)).toContain('Rosa Prieto Gil');
  });

  it('keeps the record only until the token expires, when the scheduler deletes it', async () => {
    const token = await citizenToken(t, newCitizenId(), 'Jorge Sanz Ortiz');
    expect((await signOut(token, csrfOf(await signedInPage(token)))).status).toBe(303);
    const digest = await t.deps!.sha256(token.slice(0, token.lastIndexOf('.')));
    const kept = async () => (await t.sql`select 1 from ended_citizen_sessions where token_sha256 = ${digest}`).length;
    expect(await kept()).toBe(1);
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    await runScheduler(t.sql, new Date(exp * 1000 - 1000), new CalendarStore());
    expect(await kept()).toBe(1);
    const report = await runScheduler(t.sql, new Date(exp * 1000 + 1000), new CalendarStore());
    expect(report.prunedEndedSessions).toBeGreaterThanOrEqual(1);
    expect(await kept()).toBe(0);
  });
});
