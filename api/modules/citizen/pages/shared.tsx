import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { Config } from '../../../config';
import type { Sql } from '../../../db/sql';
import { citizenFromSession, type CitizenPrincipal, SESSION_COOKIE } from '../../../http/auth';
import type { AppEnv } from '../../../http/context';
import { CREATED_KEY, type CursorKey, decodeCursor, toPage } from '../../../http/pagination';
import { ProblemError } from '../../../http/problem';
import { listProcedureTypes } from '../../catalog/queries';
import { PROCEDURE_TYPE_CODES, type Subject } from '../../catalog/schemas';
import { CAPACITIES, type Capacity } from '../../delegations/scope';
import type { Messages } from '../i18n';
import { checkCsrf, csrfToken, Layout, type PageContext, pageContext, sendPage, type SessionChrome } from '../layout';
import { citizenLivemodeFilter } from '../routes';
import { type CitizenScope, scopeOf } from '../service';

/** Where each citizen page lives. */
export const HOME = '/ciudadania';
export const DELEGATIONS = '/ciudadania/delegaciones';
export const ACCESS_LOG = '/ciudadania/registro';
export const PROCEDURES = '/ciudadania/tramites';
export const SIGN_IN = '/ciudadania/entrar';
const FORM_MAX_BYTES = 16 * 1024;

/** Status messages shown after a redirect: `?aviso=…` names one, never free text. */
const NOTICES = { aceptada: 'accepted', rechazada: 'rejected', revocada: 'revoked', salida: 'signed_out' } as const;

/** Where to sign in, coming back to `returnTo` afterwards. */
export function signInHref(config: Config, returnTo: string): string {
  const back = encodeURIComponent(returnTo);
  return config.devIdentityProvider ? `/dev-idp/login?return_to=${back}` : `${SIGN_IN}?return_to=${back}`;
}

/** A path the sign-in may come back to: only the citizen pages of this same origin. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) return HOME;
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\s]/.test(value)) return HOME;
  let url: URL;
  try {
    url = new URL(value, 'http://puente.invalid');
  } catch {
    return HOME;
  }
  if (url.origin !== 'http://puente.invalid') return HOME;
  if (url.pathname !== HOME && !url.pathname.startsWith(`${HOME}/`)) return HOME;
  return `${url.pathname}${url.search}`;
}

/* ------------------------------------------------------------------ small helpers */

export async function sessionChrome(
  c: Context<AppEnv>,
  citizen: CitizenPrincipal | undefined,
): Promise<SessionChrome | undefined> {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!citizen || !cookie) return undefined;
  return { name: citizen.name, csrf: await csrfToken(c.get('deps').config.secretKey, cookie) };
}

export async function procedureNames(sql: Sql, page: PageContext): Promise<Map<string, string>> {
  const rows = await listProcedureTypes(sql);
  return new Map(rows.map((r) => [r.code, page.lang === 'es' ? r.name_es : r.name_en]));
}

export function orderedCapacities(capacities: readonly string[]): Capacity[] {
  return CAPACITIES.filter((cap) => capacities.includes(cap));
}

export function noticeFor(c: Context<AppEnv>, t: Messages): string | undefined {
  const key = c.req.query('aviso');
  if (!key || !(key in NOTICES)) return undefined;
  return t.notices[NOTICES[key as keyof typeof NOTICES]];
}

/** What a page says of a problem in words, by its code; a page may word some codes its own way (`texts`). */
export type ProblemTexts = Partial<Record<string, (t: Messages) => string>>;

export function problemText(t: Messages, error: ProblemError, texts: ProblemTexts = {}): string {
  return texts[error.code]?.(t) ?? t.problems[error.code] ?? t.problemFallback;
}

export function Notice(props: { text: string | undefined }) {
  if (!props.text) return null;
  return (
    <div class="notice" role="status">
      <p>{props.text}</p>
    </div>
  );
}

/** A data table with its caption and column headings; the rows are its children. */
export function Table(props: { caption: string; columns: string[]; children?: Child }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col">{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** A list of cards, or the sentence that says there are none. */
export function CardList<T>(props: { items: readonly T[]; none: string; card: (item: T) => Child }) {
  return props.items.length === 0 ? <p>{props.none}</p> : <ul class="list">{props.items.map(props.card)}</ul>;
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="csrf" value={props.token} />;
}

/** Procedure types by name (subjects expanded) and capacities in plain words. */
export function ScopeDetails(props: {
  t: Messages;
  names: Map<string, string>;
  types: readonly string[];
  subjects: readonly Subject[];
  capacities: readonly string[];
}) {
  const { t, names, subjects } = props;
  const types = PROCEDURE_TYPE_CODES.filter((code) => props.types.includes(code));
  return (
    <div class="scope">
      <p>
        <strong>{t.proceduresLabel}</strong>
      </p>
      <ul>
        {types.map((code) => (
          <li>{names.get(code) ?? code}</li>
        ))}
      </ul>
      {subjects.length > 0 ? <p>{t.subjectsIncluded(t.listJoin(subjects.map((s) => t.subjects[s])))}</p> : null}
      <p>
        <strong>{t.capacitiesLabel}</strong>
      </p>
      <ul>
        {orderedCapacities(props.capacities).map((cap) => (
          <li>{t.capacities[cap]}</li>
        ))}
      </ul>
    </div>
  );
}

export function MessagePage(props: {
  page: PageContext;
  session?: SessionChrome;
  title: string;
  text: string;
  links?: { href: string; text: string }[];
}) {
  const { page, session, title, text, links } = props;
  return (
    <Layout page={page} title={title} session={session}>
      <h1>{title}</h1>
      <p class="lead">{text}</p>
      <ul>
        {(links ?? [{ href: HOME, text: page.t.backHome }]).map((l) => (
          <li>
            <a href={l.href}>{l.text}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export async function messagePage(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  content: {
    title: (t: Messages) => string;
    text: (t: Messages) => string;
    links?: (t: Messages) => { href: string; text: string }[];
  },
  options: { citizen?: CitizenPrincipal; switchPath?: string } = {},
): Promise<Response> {
  const page = pageContext(c, options.switchPath);
  const session = await sessionChrome(c, options.citizen);
  return sendPage(
    c,
    page,
    <MessagePage
      page={page}
      session={session}
      title={content.title(page.t)}
      text={content.text(page.t)}
      links={content.links?.(page.t)}
    />,
    status,
  );
}

export function notFoundPage(c: Context<AppEnv>, citizen?: CitizenPrincipal, switchPath?: string): Promise<Response> {
  return messagePage(c, 404, { title: (t) => t.notFoundTitle, text: (t) => t.notFoundText }, { citizen, switchPath });
}

export function problemPage(
  c: Context<AppEnv>,
  error: ProblemError,
  citizen: CitizenPrincipal,
  back: string,
  texts: ProblemTexts = {},
): Promise<Response> {
  if (error.code === 'not_found') return notFoundPage(c, citizen, back);
  const status = (error.status >= 400 && error.status < 600 ? error.status : 400) as ContentfulStatusCode;
  return messagePage(
    c,
    status,
    {
      title: (t) => t.errorTitle,
      text: (t) => problemText(t, error, texts),
      links: (t) => [{ href: back, text: t.back }],
    },
    { citizen, switchPath: back },
  );
}

/**
 * The page's answer to a ProblemError from the service: a 404 page, or the problem in words
 * (`texts` words a code the page's own way, where the general text would not fit it).
 */
export async function orProblemPage<T>(
  c: Context<AppEnv>,
  citizen: CitizenPrincipal,
  back: string,
  work: () => Promise<T>,
  texts: ProblemTexts = {},
): Promise<T | Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProblemError) return problemPage(c, error, citizen, back, texts);
    throw error;
  }
}

/**
 * The signed-in citizen's page of one of their lists at `path` (else the sign-in page `title`
 * names): the rows `read` in the citizen's scope after `?desde=` (the cursor that ended the page
 * before; `read` answers one row more than the page's `size`, see `toPage`), the cursor for the page
 * after, and what the page is rendered with. A cursor of another list answers a problem page.
 */
export async function citizenListPage<Row>(
  c: Context<AppEnv>,
  read: (scope: CitizenScope, paging: { after?: [string, string]; limit: number }) => Promise<readonly Row[]>,
  list: { path: string; title: (t: Messages) => string; name: string; size: number; keyOf: (row: Row) => CursorKey },
): Promise<{ page: PageContext; session: SessionChrome; shown: Row[]; next: string | undefined } | Response> {
  const citizen = await citizenOrSignIn(c, list.path, list.title);
  if (citizen instanceof Response) return citizen;
  const cursor = c.req.query('desde');
  const scope = scopeOf(citizen, citizenLivemodeFilter(c), c.get('deps').clock.now());
  const rows = await orProblemPage(c, citizen, list.path, () =>
    read(scope, {
      after: cursor ? decodeCursor(list.name, cursor, CREATED_KEY) : undefined,
      limit: list.size,
    }),
  );
  if (rows instanceof Response) return rows;
  const { data, next_cursor } = toPage(rows, list.size, list.name, list.keyOf, (row) => row);
  const session = (await sessionChrome(c, citizen))!;
  return { page: pageContext(c), session, shown: data, next: next_cursor ?? undefined };
}

export function signInPage(
  c: Context<AppEnv>,
  returnTo: string,
  text: (t: Messages) => string,
  title: (t: Messages) => string,
): Promise<Response> {
  const config = c.get('deps').config;
  return messagePage(c, 200, { title, text, links: (t) => [{ href: signInHref(config, returnTo), text: t.signIn }] });
}

/** The signed-in citizen, or the sign-in page that brings them back to `returnTo`. */
export async function citizenOrSignIn(
  c: Context<AppEnv>,
  returnTo: string,
  title: (t: Messages) => string,
): Promise<CitizenPrincipal | Response> {
  return (await citizenFromSession(c)) ?? signInPage(c, returnTo, (t) => t.signInNeededGeneric, title);
}

/* ------------------------------------------------------------------ POST machinery */

/** A form larger than any of ours: a page in the citizen's language, not a bare status. */
export const formLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: FORM_MAX_BYTES,
  onError: (c) =>
    messagePage(c as Context<AppEnv>, 413, {
      title: (t) => t.errorTitle,
      text: (t) => t.problems.payload_too_large!,
      links: (t) => [{ href: HOME, text: t.backHome }],
    }),
});

/**
 * Every form POST: a session cookie, a CSRF token bound to it, and a valid session behind it.
 * Answers the signed-in citizen (also set as the request's principal) or the page to show instead.
 */
export async function postSession(c: Context<AppEnv>, back: string): Promise<CitizenPrincipal | Response> {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const cookie = getCookie(c, SESSION_COOKIE);
  const sessionEnded = () =>
    messagePage(
      c,
      401,
      {
        title: (t) => t.sessionEndedTitle,
        text: (t) => t.sessionEndedText,
        links: (t) => [{ href: signInHref(c.get('deps').config, back), text: t.signIn }],
      },
      { switchPath: back },
    );
  if (!cookie) return sessionEnded();
  if (!(await checkCsrf(c.get('deps').config.secretKey, cookie, form.csrf))) {
    return messagePage(
      c,
      403,
      {
        title: (t) => t.forbiddenTitle,
        text: (t) => t.forbiddenText,
        links: (t) => [{ href: back, text: t.backHome }],
      },
      { switchPath: back },
    );
  }
  const citizen = await citizenFromSession(c);
  if (!citizen) return sessionEnded();
  c.set('principal', citizen);
  return citizen;
}
