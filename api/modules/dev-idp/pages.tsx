import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

import { SESSION_COOKIE } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { base64UrlEncode } from '../../lib/encoding';
import { checkPersonalId } from '../../lib/identifiers';
import { isStorableText } from '../../lib/text';
import type { Messages } from '../citizen/i18n';
import {
  checkCsrf,
  cookieOptions,
  csrfToken,
  InputField,
  Layout,
  type PageContext,
  pageContext,
  sendPage,
} from '../citizen/layout';
import { safeReturnPath } from '../citizen/pages';
import { issueDevIdToken } from './tokens';

const LOGIN = '/dev-idp/login';
/** Binds the sign-in form to the browser that loaded it (no session exists yet to bind it to). */
const FORM_COOKIE = 'puente_dev_login';
const FORM_COOKIE_SECONDS = 1800;
const SESSION_SECONDS = 3600;

interface FormState {
  idNumber: string;
  name: string;
  errors: { idNumber?: string; name?: string; form?: string };
}

function loginPath(returnTo: string): string {
  return `${LOGIN}?return_to=${encodeURIComponent(returnTo)}`;
}

function LoginPage(props: { page: PageContext; csrf: string; returnTo: string; form: FormState }) {
  const { page, csrf, returnTo, form } = props;
  const { t } = page;
  const errors: { field?: 'id_number' | 'name'; text: string }[] = [];
  if (form.errors.form) errors.push({ text: form.errors.form });
  if (form.errors.idNumber) errors.push({ field: 'id_number', text: form.errors.idNumber });
  if (form.errors.name) errors.push({ field: 'name', text: form.errors.name });
  return (
    <Layout page={page} title={t.devTitle} devBanner={t.devBanner}>
      <h1>{t.devTitle}</h1>
      <p class="lead">{t.devExplain}</p>
      {errors.length > 0 ? (
        <div class="alert error-summary" role="alert" aria-labelledby="errores-titulo" tabindex={-1}>
          <h2 id="errores-titulo">{t.devErrorsHeading}</h2>
          <ul>
            {errors.map((e) => (
              <li>{e.field ? <a href={`#${e.field}`}>{e.text}</a> : e.text}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={LOGIN} novalidate>
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="return_to" value={returnTo} />
        <InputField
          id="id_number"
          label={t.devIdNumber}
          hint={{ id: 'id_number-hint', text: t.devIdNumberHint }}
          error={form.errors.idNumber}
          input={{ name: 'id_number', value: form.idNumber, autocomplete: 'off', spellcheck: false, required: true }}
        />
        <InputField
          id="name"
          label={t.devName}
          error={form.errors.name}
          input={{ name: 'name', value: form.name, autocomplete: 'name', required: true }}
        />
        <div class="actions">
          <button type="submit">{t.devSubmit}</button>
        </div>
      </form>
    </Layout>
  );
}

/** The form's cookie, created when missing, and the CSRF token bound to it. */
async function formBinding(c: Context<AppEnv>): Promise<string> {
  const config = c.get('deps').config;
  let value = getCookie(c, FORM_COOKIE);
  if (!value) {
    value = base64UrlEncode(crypto.getRandomValues(new Uint8Array(24)));
    setCookie(c, FORM_COOKIE, value, cookieOptions(config, FORM_COOKIE_SECONDS, '/dev-idp'));
  }
  return csrfToken(config.secretKey, value);
}

async function renderLogin(
  c: Context<AppEnv>,
  returnTo: string,
  form: FormState,
  status: 200 | 400 | 403,
): Promise<Response> {
  const page = pageContext(c, loginPath(returnTo));
  const csrf = await formBinding(c);
  return sendPage(c, page, <LoginPage page={page} csrf={csrf} returnTo={returnTo} form={form} />, status);
}

function validate(t: Messages, idNumber: string, name: string): { id?: string; errors: FormState['errors'] } {
  const errors: FormState['errors'] = {};
  const checked = checkPersonalId(idNumber);
  if (!checked.ok) errors.idNumber = checked.reason === 'check_letter' ? t.devIdCheckLetter : t.devIdInvalid;
  if (name.length < 2 || name.length > 200 || !isStorableText(name)) errors.name = t.devNameInvalid;
  return { id: checked.ok ? checked.value : undefined, errors };
}

/**
 * The development identity provider's sign-in page: stands in for Cl@ve, signs whoever is typed
 * in, and says so. Registered only when `config.devIdentityProvider` is on.
 */
export function registerDevIdentityProviderPages(app: App): void {
  app.get(LOGIN, async (c) => {
    if (!c.get('deps').config.devIdentityProvider) return c.notFound();
    const returnTo = safeReturnPath(c.req.query('return_to'));
    return renderLogin(c, returnTo, { idNumber: '', name: '', errors: {} }, 200);
  });

  app.post(LOGIN, bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Payload Too Large', 413) }), async (c) => {
    const { config, signingKeys, clock } = c.get('deps');
    if (!config.devIdentityProvider) return c.notFound();
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string).trim() : '');
    const returnTo = safeReturnPath(body.return_to);
    const form: FormState = { idNumber: text('id_number'), name: text('name').replace(/\s+/g, ' '), errors: {} };
    if (!(await checkCsrf(config.secretKey, getCookie(c, FORM_COOKIE), body.csrf))) {
      // A form from another site, or one whose cookie has gone: show a fresh form to try again.
      const t = pageContext(c, loginPath(returnTo)).t;
      return renderLogin(c, returnTo, { ...form, errors: { form: t.forbiddenText } }, 403);
    }
    const page = pageContext(c, loginPath(returnTo));
    const { id, errors } = validate(page.t, form.idNumber, form.name);
    if (!id || errors.idNumber || errors.name) return renderLogin(c, returnTo, { ...form, errors }, 400);
    const token = await issueDevIdToken(signingKeys, c.get('sql'), config, id, form.name, clock.now());
    setCookie(c, SESSION_COOKIE, token, cookieOptions(config, SESSION_SECONDS));
    deleteCookie(c, FORM_COOKIE, cookieOptions(config, undefined, '/dev-idp'));
    c.header('Cache-Control', 'no-store');
    return c.redirect(returnTo, 303);
  });
}
