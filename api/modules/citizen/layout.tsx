import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html, raw } from 'hono/html';
import type { Child, JSX } from 'hono/jsx';
import type { CookieOptions } from 'hono/utils/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { Config } from '../../config';
import type { AppEnv } from '../../http/context';
import { base64UrlEncode } from '../../lib/encoding';
import { constantTimeEqual, hmacSha256 } from '../../lib/secrets';
import { DEFAULT_LANG, isLang, type Lang, MESSAGES, type Messages } from './i18n';

export const LANG_COOKIE = 'lang';
const LANG_COOKIE_SECONDS = 365 * 86_400;

/** HttpOnly, SameSite=Lax, whole site; Secure whenever the service is served over https. */
export function cookieOptions(config: Config, maxAge?: number, path = '/'): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    path,
    secure: config.baseUrl.startsWith('https:'),
    ...(maxAge !== undefined ? { maxAge } : {}),
  };
}

/** `?lang=en` (or `es`) switches and is remembered in a cookie; otherwise the cookie; otherwise Spanish. */
export function pageLang(c: Context<AppEnv>): Lang {
  const asked = c.req.query('lang');
  if (isLang(asked)) {
    if (getCookie(c, LANG_COOKIE) !== asked)
      setCookie(c, LANG_COOKIE, asked, cookieOptions(c.get('deps').config, LANG_COOKIE_SECONDS));
    return asked;
  }
  const remembered = getCookie(c, LANG_COOKIE);
  return isLang(remembered) ? remembered : DEFAULT_LANG;
}

/* ------------------------------------------------------------------ CSRF */

/** The form token bound to a cookie value: HMAC-SHA256 of it, keyed with the service secret. */
export async function csrfToken(secret: string, cookieValue: string): Promise<string> {
  return hmacSha256(secret, cookieValue);
}

/** Constant-time comparison of a submitted token with the one the cookie value calls for. */
export async function checkCsrf(secret: string, cookieValue: string | undefined, submitted: unknown): Promise<boolean> {
  if (!cookieValue || typeof submitted !== 'string' || submitted.length === 0) return false;
  return constantTimeEqual(await csrfToken(secret, cookieValue), submitted);
}

/* ------------------------------------------------------------------ page chrome */

export interface PageContext {
  lang: Lang;
  t: Messages;
  /** Nonce of this response's inline style, allowed by its Content-Security-Policy. */
  nonce: string;
  /** Link to this same page in the other language. */
  switchHref: string;
}

/**
 * Everything a page needs to render: language (remembered when switched) and a fresh CSP nonce.
 * `switchPath` names the GET page to offer in the other language (pages rendered from a POST).
 */
export function pageContext(c: Context<AppEnv>, switchPath?: string): PageContext {
  const lang = pageLang(c);
  const t = MESSAGES[lang];
  const url = new URL(switchPath ?? c.req.url, 'http://page.local');
  url.searchParams.delete('aviso');
  url.searchParams.set('lang', t.switchTo.lang);
  return {
    lang,
    t,
    nonce: base64UrlEncode(crypto.getRandomValues(new Uint8Array(16))),
    switchHref: `${url.pathname}${url.search}`,
  };
}

export interface SessionChrome {
  name: string | null;
  csrf: string;
}

export type NavKey = 'home' | 'procedures' | 'delegations' | 'log' | 'avisos';

/**
 * The signed-in navigation, in order. The avisos page (messages sent to the citizen and their
 * contact preferences) takes the `avisos` slot, after the access log.
 */
const NAV: { key: NavKey; href: string; text: (t: Messages) => string }[] = [
  { key: 'home', href: '/ciudadania', text: (t) => t.navHome },
  { key: 'procedures', href: '/ciudadania/tramites', text: (t) => t.navProcedures },
  { key: 'delegations', href: '/ciudadania/delegaciones', text: (t) => t.navDelegations },
  { key: 'log', href: '/ciudadania/registro', text: (t) => t.navAccessLog },
  { key: 'avisos', href: '/ciudadania/avisos', text: (t) => t.navAvisos },
];

const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:100%;line-height:1.5;color:#0b0c0c;background:#fff}
body{margin:0}
a{color:#0b4f8a;text-decoration:underline;text-underline-offset:.15em}
a:hover{color:#072f52;text-decoration-thickness:3px}
:focus-visible{outline:3px solid #ffbf47;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
a:focus-visible{background:#ffbf47;color:#0b0c0c;text-decoration:none}
.skip{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:#ffbf47;color:#0b0c0c;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
header{background:#0b3a66;color:#fff}
header a{color:#fff}
header a:focus-visible{color:#0b0c0c}
.bar{max-width:60rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between}
.bar+.bar{padding-top:0}
.brand{margin:0;font-weight:700;font-size:1.25rem}
.brand span{font-weight:400;font-size:1rem;margin-left:.5rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.who{margin:0;font-size:.95rem}
.banner-dev{background:#ffdd00;color:#0b0c0c;border-bottom:4px solid #0b0c0c;padding:.75rem 1rem;font-weight:700;font-size:1.125rem;text-align:center;margin:0}
main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 3rem}
main:focus{outline:none}
h1{font-size:2rem;line-height:1.2;margin:0 0 1rem}
h2{font-size:1.4rem;margin:2rem 0 .75rem}
h3{font-size:1.15rem;margin:0 0 .5rem}
.lead{font-size:1.15rem}
.card{border:1px solid #6f777b;border-left:6px solid #0b4f8a;padding:1rem 1.25rem;margin:0 0 1rem;border-radius:2px}
.card.ended{border-left-color:#6f777b}
.list{list-style:none;margin:0;padding:0}
dl.facts{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem;margin:0 0 .75rem}
dl.facts dt{font-weight:700}
dl.facts dd{margin:0}
.verified{display:inline-block;color:#005a30;background:#cce2d8;padding:.1rem .5rem;font-weight:700;border-radius:2px}
.unverified{display:inline-block;color:#6e3619;background:#fcd6c3;padding:.1rem .5rem;font-weight:700;border-radius:2px}
.tag{display:inline-block;background:#0b0c0c;color:#fff;padding:0 .4rem;font-size:.85rem;font-weight:700;border-radius:2px;margin-left:.5rem}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.5rem;letter-spacing:.15em;font-weight:700}
blockquote{margin:0;padding:.5rem 1rem;border-left:4px solid #6f777b;background:#f3f2f1}
.notice{border:4px solid #00703c;padding:1rem;margin:0 0 1.5rem;background:#fff}
.alert{border:4px solid #b10e1e;padding:1rem;margin:0 0 1.5rem;background:#fff}
.alert h2{margin-top:0}
.actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;margin-top:1rem}
.actions form{margin:0}
button,.button{font:inherit;font-weight:700;padding:.6rem 1.1rem;border:2px solid transparent;border-radius:3px;cursor:pointer;background:#00703c;color:#fff;box-shadow:0 2px 0 #002d18}
button:hover{background:#005a30}
a.button{display:inline-block;text-decoration:none}
a.button:hover{color:#fff;background:#005a30}
button.secondary{background:#f3f2f1;color:#0b0c0c;border-color:#0b0c0c;box-shadow:0 2px 0 #6f777b}
button.secondary:hover{background:#dbdad9}
button.danger{background:#b10e1e;color:#fff;box-shadow:0 2px 0 #55070e}
button.danger:hover{background:#8e0b18}
button.link{background:transparent;color:#fff;border:2px solid #fff;padding:.25rem .75rem;box-shadow:none;font-weight:400}
button.link:hover{background:#072f52}
button:focus-visible{outline:3px solid #ffbf47;box-shadow:0 0 0 6px #0b0c0c}
label{display:block;font-weight:700;margin:1rem 0 .25rem}
.hint{display:block;color:#484949;margin:0 0 .25rem}
input[type=text],input[type=date],input[type=email],input[type=tel],select{font:inherit;padding:.4rem .5rem;border:2px solid #0b0c0c;border-radius:0;width:100%;max-width:24rem}
input[aria-invalid=true]{border-color:#b10e1e;border-width:3px}
.field-error{display:block;color:#b10e1e;font-weight:700;margin:0 0 .25rem}
.error-summary a{color:#b10e1e;font-weight:700}
table{border-collapse:collapse;width:100%;margin:0 0 1rem}
caption{text-align:left;font-weight:700;margin-bottom:.5rem}
th,td{text-align:left;vertical-align:top;padding:.5rem .75rem .5rem 0;border-bottom:1px solid #b1b4b6}
th{font-weight:700}
.muted{color:#484949}
.filters{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-end}
.filters>div{min-width:12rem}
.status{font-weight:700}
.legal p{margin:0 0 .5rem}
.checks label{font-weight:400;margin:.25rem 0}
.checks input{margin-right:.5rem}
fieldset{border:0;padding:0;margin:1rem 0}
legend{font-weight:700}
.amount{font-variant-numeric:tabular-nums}
footer{border-top:1px solid #b1b4b6;margin-top:2rem}
footer p{max-width:60rem;margin:0 auto;padding:1rem;color:#484949}
`;

/** A form field's error, when it has one; `id` is what the field's `aria-describedby` names. */
export function FieldError(props: { id?: string; message: string | undefined }) {
  return props.message ? (
    <span class="field-error" id={props.id}>
      {props.message}
    </span>
  ) : null;
}

/**
 * A labelled input with its hint, if any, and its error, when it has one (`<id>-error`), both named
 * by the input's `aria-describedby`.
 */
export function InputField(props: {
  id: string;
  label: string;
  hint?: { id: string; text: string };
  error: string | undefined;
  input: JSX.IntrinsicElements['input'];
}) {
  const errorId = `${props.id}-error`;
  const describedBy = [props.hint?.id, props.error ? errorId : undefined].filter(Boolean).join(' ');
  return (
    <>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <span class="hint" id={props.hint.id}>
          {props.hint.text}
        </span>
      ) : null}
      <FieldError id={errorId} message={props.error} />
      <input
        type={props.input.type ?? 'text'}
        id={props.id}
        {...props.input}
        aria-describedby={describedBy || undefined}
        aria-invalid={props.error ? 'true' : undefined}
      />
    </>
  );
}

export function Layout(props: {
  page: PageContext;
  title: string;
  current?: NavKey;
  session?: SessionChrome;
  /** The development identity provider's warning, shown above everything. */
  devBanner?: string;
  children?: Child;
}) {
  const { page, title, current, session, devBanner, children } = props;
  const { t } = page;
  const link = (key: NavKey, href: string, text: string) => (
    <li>
      <a href={href} aria-current={current === key ? 'page' : undefined}>
        {text}
      </a>
    </li>
  );
  return (
    <html lang={page.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · ${t.siteName}`}</title>
        <style nonce={page.nonce} dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a class="skip" href="#contenido">
          {t.skipLink}
        </a>
        <header>
          {devBanner ? (
            <p class="banner-dev" role="note">
              {devBanner}
            </p>
          ) : null}
          <div class="bar">
            <p class="brand">
              <a href="/ciudadania">{t.siteName}</a> <span>{t.areaName}</span>
            </p>
            {session ? (
              <nav aria-label={t.navLabel}>
                <ul>
                  {NAV.map((item) => link(item.key, item.href, item.text(t)))}
                  <li>
                    <form method="post" action="/ciudadania/salir">
                      <input type="hidden" name="csrf" value={session.csrf} />
                      <button type="submit" class="link">
                        {t.signOut}
                      </button>
                    </form>
                  </li>
                </ul>
              </nav>
            ) : null}
            <nav aria-label={t.langNavLabel}>
              <ul>
                <li>
                  <a href={page.switchHref} lang={t.switchTo.lang} hreflang={t.switchTo.lang}>
                    {t.switchTo.label}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
          {session?.name ? (
            <div class="bar">
              <p class="who">{t.signedInAs(session.name)}</p>
            </div>
          ) : null}
        </header>
        <main id="contenido" tabindex={-1}>
          {children}
        </main>
        <footer>
          <p>{t.footer}</p>
        </footer>
      </body>
    </html>
  );
}

/**
 * Sends a page: doctype, no caching (pages carry personal data), and a strict policy: no
 * scripts at all, only this response's own style, forms posting to this origin, no framing.
 */
export function sendPage(
  c: Context<AppEnv>,
  page: PageContext,
  node: Child,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${page.nonce}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  return c.html(html`${raw('<!DOCTYPE html>')}${node}`, status);
}
