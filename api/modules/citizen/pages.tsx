import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { App, AppEnv } from '../../http/context';
import type { Config } from '../../config';
import type { Sql } from '../../db/sql';
import { decodeCursor, encodeCursor } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { legalDay } from '../../lib/legal-day';
import { PROCEDURE_TYPE_CODES, type Subject } from '../catalog/schemas';
import { listProcedureTypes } from '../catalog/queries';
import { findDelegationRequest, listDelegationRequests, type DelegationRequestRow } from '../delegation-requests/queries';
import { acceptDelegationRequest, rejectDelegationRequest } from '../delegation-requests/service';
import { listDelegations, type DelegationRow } from '../delegations/queries';
import { revokeDelegation } from '../delegations/service';
import { CAPACITIES, coveredTypes, type Capacity } from '../delegations/scope';
import { listAccessLog, type AccessLogRow } from '../access-log/queries';
import { citizenFromSession, SESSION_COOKIE, type CitizenPrincipal } from '../../http/auth';
import { citizenLivemodeFilter, myRequest } from './routes';
import { formatDay, formatMadridDay, formatMadridTime, type Messages } from './i18n';
import { checkCsrf, cookieOptions, csrfToken, Layout, pageContext, sendPage, type PageContext, type SessionChrome } from './layout';

const HOME = '/ciudadania';
const DELEGATIONS = '/ciudadania/delegaciones';
const ACCESS_LOG = '/ciudadania/registro';
const SIGN_IN = '/ciudadania/entrar';
const PENDING_SHOWN = 50;
const DELEGATIONS_PAGE = 50;
const ACCESS_LOG_PAGE = 20;
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

async function sessionChrome(c: Context<AppEnv>, citizen: CitizenPrincipal | undefined): Promise<SessionChrome | undefined> {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!citizen || !cookie) return undefined;
  return { name: citizen.name, csrf: await csrfToken(c.get('deps').config.secretKey, cookie) };
}

async function procedureNames(sql: Sql, page: PageContext): Promise<Map<string, string>> {
  const rows = await listProcedureTypes(sql);
  return new Map(rows.map((r) => [r.code, page.lang === 'es' ? r.name_es : r.name_en]));
}

function orderedCapacities(capacities: readonly string[]): Capacity[] {
  return CAPACITIES.filter((cap) => capacities.includes(cap));
}

function noticeFor(c: Context<AppEnv>, t: Messages): string | undefined {
  const key = c.req.query('aviso');
  if (!key || !(key in NOTICES)) return undefined;
  return t.notices[NOTICES[key as keyof typeof NOTICES]];
}

function problemText(t: Messages, error: ProblemError): string {
  return t.problems[error.code] ?? t.problemFallback;
}

function Notice(props: { text: string | undefined }) {
  if (!props.text) return null;
  return (
    <div class="notice" role="status">
      <p>{props.text}</p>
    </div>
  );
}

function CsrfField(props: { token: string }) {
  return <input type="hidden" name="csrf" value={props.token} />;
}

/** Procedure types by name (subjects expanded) and capacities in plain words. */
function ScopeDetails(props: { t: Messages; names: Map<string, string>; types: readonly string[]; subjects: readonly Subject[]; capacities: readonly string[] }) {
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

function MessagePage(props: { page: PageContext; session?: SessionChrome; title: string; text: string; links?: { href: string; text: string }[] }) {
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

async function messagePage(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  content: { title: (t: Messages) => string; text: (t: Messages) => string; links?: (t: Messages) => { href: string; text: string }[] },
  options: { citizen?: CitizenPrincipal; switchPath?: string } = {},
): Promise<Response> {
  const page = pageContext(c, options.switchPath);
  const session = await sessionChrome(c, options.citizen);
  return sendPage(
    c,
    page,
    <MessagePage page={page} session={session} title={content.title(page.t)} text={content.text(page.t)} links={content.links?.(page.t)} />,
    status,
  );
}

function notFoundPage(c: Context<AppEnv>, citizen?: CitizenPrincipal, switchPath?: string): Promise<Response> {
  return messagePage(c, 404, { title: (t) => t.notFoundTitle, text: (t) => t.notFoundText }, { citizen, switchPath });
}

function problemPage(c: Context<AppEnv>, error: ProblemError, citizen: CitizenPrincipal, back: string): Promise<Response> {
  if (error.code === 'not_found') return notFoundPage(c, citizen, back);
  const status = (error.status >= 400 && error.status < 600 ? error.status : 400) as ContentfulStatusCode;
  return messagePage(
    c,
    status,
    { title: (t) => t.errorTitle, text: (t) => problemText(t, error), links: (t) => [{ href: back, text: t.backHome }] },
    { citizen, switchPath: back },
  );
}

function signInPage(c: Context<AppEnv>, returnTo: string, text: (t: Messages) => string, title: (t: Messages) => string): Promise<Response> {
  const config = c.get('deps').config;
  return messagePage(c, 200, { title, text, links: (t) => [{ href: signInHref(config, returnTo), text: t.signIn }] });
}

/* ------------------------------------------------------------------ POST machinery */

const formLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: FORM_MAX_BYTES,
  onError: (c) => c.text('Payload Too Large', 413),
});

/**
 * Every form POST: a session cookie, a CSRF token bound to it, and a valid session behind it.
 * Answers the signed-in citizen (also set as the request's principal) or the page to show instead.
 */
async function postSession(c: Context<AppEnv>, back: string): Promise<CitizenPrincipal | Response> {
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
    return messagePage(c, 403, { title: (t) => t.forbiddenTitle, text: (t) => t.forbiddenText, links: (t) => [{ href: back, text: t.backHome }] }, { switchPath: back });
  }
  const citizen = await citizenFromSession(c);
  if (!citizen) return sessionEnded();
  c.set('principal', citizen);
  return citizen;
}

/** The citizen's own request (as the JSON API finds it), or undefined for anyone else's. */
async function ownRequest(c: Context<AppEnv>, citizen: CitizenPrincipal, id: string): Promise<DelegationRequestRow | undefined> {
  c.set('principal', citizen);
  try {
    return await myRequest(c, id);
  } catch (error) {
    if (error instanceof ProblemError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/* ------------------------------------------------------------------ pages */

function HomePage(props: { page: PageContext; session?: SessionChrome; signIn: string; notice?: string; pending?: DelegationRequestRow[]; names: Map<string, string> }) {
  const { page, session, pending, names } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t.homeTitle} current="home" session={session}>
      <h1>{t.homeTitle}</h1>
      <Notice text={props.notice} />
      <p class="lead">{t.homeIntro}</p>
      <p>{t.homeWhat}</p>
      {!session || !pending ? (
        <>
          <p>{t.homeSignInPrompt}</p>
          <p>
            <a class="button" href={props.signIn}>
              {t.signIn}
            </a>
          </p>
        </>
      ) : (
        <section aria-labelledby="pendientes">
          <h2 id="pendientes">{t.pendingHeading}</h2>
          {pending.length === 0 ? (
            <p>{t.pendingNone}</p>
          ) : (
            <ul class="list">
              {pending.map((r) => (
                <li class="card">
                  <h3>
                    {r.org_legal_name}
                    {r.livemode ? null : <span class="tag">{t.testMode}</span>}
                  </h3>
                  <p>{t.pendingAsks}</p>
                  <ul>
                    {coveredTypes(r.scope).map((code) => (
                      <li>{names.get(code) ?? code}</li>
                    ))}
                  </ul>
                  <p>{t.listJoin(orderedCapacities(r.scope.capacities).map((cap) => t.capacities[cap]))}.</p>
                  <p class="muted">{t.pendingUntil(formatMadridDay(page.lang, r.expires_at))}</p>
                  <p>
                    <a href={`/ciudadania/solicitudes/${encodeURIComponent(r.id)}`} aria-label={t.reviewRequestOf(r.org_legal_name)}>
                      {t.reviewRequest}
                    </a>
                  </p>
                </li>
              ))}
            </ul>
          )}
          <h2>{t.moreLinks}</h2>
          <ul>
            <li>
              <a href={DELEGATIONS}>{t.navDelegations}</a>
            </li>
            <li>
              <a href={ACCESS_LOG}>{t.navAccessLog}</a>
            </li>
          </ul>
        </section>
      )}
    </Layout>
  );
}

function RequestPage(props: { page: PageContext; session: SessionChrome; request: DelegationRequestRow; names: Map<string, string> }) {
  const { page, session, request: r, names } = props;
  const { t } = page;
  const place = r.org_colegio ?? r.org_registry;
  const base = `/ciudadania/solicitudes/${encodeURIComponent(r.id)}`;
  return (
    <Layout page={page} title={t.requestTitle} session={session}>
      <h1>{t.requestTitle}</h1>
      {r.livemode ? null : <p class="notice">{t.testModeNote}</p>}
      <section aria-labelledby="quien">
        <h2 id="quien">{t.whoHeading}</h2>
        <p class="lead">
          <strong>{r.org_legal_name}</strong>
        </p>
        <p>
          {r.org_status === 'verified' ? (
            <span class="verified">
              <span aria-hidden="true">✔ </span>
              {t.verified}
            </span>
          ) : (
            <span class="unverified">{r.org_status === 'suspended' ? t.suspendedOrg : t.notVerified}</span>
          )}
        </p>
        <dl class="facts">
          <dt>{t.orgKind}</dt>
          <dd>{t.orgKinds[r.org_kind] ?? r.org_kind}</dd>
          <dt>{t.orgRegistration}</dt>
          <dd>{place ? t.registrationNumber(place, r.org_registration_number) : r.org_registration_number}</dd>
          <dt>{t.orgNif}</dt>
          <dd>{r.org_nif}</dd>
        </dl>
      </section>
      <section aria-labelledby="que">
        <h2 id="que">{t.whatHeading}</h2>
        <ScopeDetails t={t} names={names} types={coveredTypes(r.scope)} subjects={r.scope.subjects} capacities={r.scope.capacities} />
      </section>
      <section aria-labelledby="hasta">
        <h2 id="hasta">{t.untilHeading}</h2>
        <p>{t.until(formatDay(page.lang, r.valid_until))}</p>
      </section>
      {r.message ? (
        <section aria-labelledby="mensaje">
          <h2 id="mensaje">{t.messageHeading}</h2>
          <blockquote>
            <p>{r.message}</p>
          </blockquote>
        </section>
      ) : null}
      <section aria-labelledby="codigo">
        <h2 id="codigo">{t.codeHeading}</h2>
        <p class="code">{r.code}</p>
        <p>{t.codeHelp}</p>
      </section>
      <section aria-labelledby="respuesta">
        <h2 id="respuesta">{t.answerHeading}</h2>
        {r.status === 'pending' ? (
          <>
            <p id="respuesta-ayuda">{t.answerHelp}</p>
            <p class="muted">{t.answerBy(formatMadridDay(page.lang, r.expires_at))}</p>
            <div class="actions">
              <form method="post" action={`${base}/aceptar`}>
                <CsrfField token={session.csrf} />
                <button type="submit" aria-describedby="respuesta-ayuda">
                  {t.accept}
                </button>
              </form>
              <form method="post" action={`${base}/rechazar`}>
                <CsrfField token={session.csrf} />
                <button type="submit" class="secondary">
                  {t.reject}
                </button>
              </form>
            </div>
          </>
        ) : (
          <>
            <p class="lead" role="status">
              {t.requestStatus[r.status] ?? r.status}
            </p>
            {r.status === 'accepted' ? (
              <p>
                <a href={DELEGATIONS}>{t.seeDelegations}</a>
              </p>
            ) : null}
          </>
        )}
      </section>
    </Layout>
  );
}

function DelegationCard(props: { page: PageContext; session: SessionChrome; d: DelegationRow; names: Map<string, string> }) {
  const { page, session, d, names } = props;
  const { t } = page;
  const active = d.status === 'active';
  const helpId = `revocar-ayuda-${d.id}`;
  return (
    <li class={active ? 'card' : 'card ended'}>
      <h3>
        {d.organization_name}
        {d.livemode ? null : <span class="tag">{t.testMode}</span>}
      </h3>
      <ScopeDetails t={t} names={names} types={d.procedure_types} subjects={d.scope.subjects} capacities={d.capacities} />
      <dl class="facts">
        <dt>{t.validity}</dt>
        <dd>{t.validityRange(formatDay(page.lang, d.valid_from), formatDay(page.lang, d.valid_until))}</dd>
        <dt>{t.status}</dt>
        <dd>{t.delegationStatus[d.status] ?? d.status}</dd>
      </dl>
      {active ? (
        <form method="post" action={`/ciudadania/delegaciones/${encodeURIComponent(d.id)}/revocar`}>
          <CsrfField token={session.csrf} />
          <p id={helpId} class="muted">
            {t.revokeHelp}
          </p>
          <button type="submit" class="danger" aria-label={t.revokeOf(d.organization_name)} aria-describedby={helpId}>
            {t.revoke}
          </button>
        </form>
      ) : null}
    </li>
  );
}

function DelegationsPage(props: { page: PageContext; session: SessionChrome; notice?: string; rows: DelegationRow[]; next?: string; names: Map<string, string> }) {
  const { page, session, rows, names } = props;
  const { t } = page;
  const active = rows.filter((d) => d.status === 'active');
  const ended = rows.filter((d) => d.status !== 'active');
  return (
    <Layout page={page} title={t.delegationsTitle} current="delegations" session={session}>
      <h1>{t.delegationsTitle}</h1>
      <Notice text={props.notice} />
      <p class="lead">{t.delegationsIntro}</p>
      {rows.length === 0 ? (
        <p>{t.delegationsNone}</p>
      ) : (
        <>
          <section aria-labelledby="activas">
            <h2 id="activas">{t.activeHeading}</h2>
            {active.length === 0 ? (
              <p>{t.activeNone}</p>
            ) : (
              <ul class="list">
                {active.map((d) => (
                  <DelegationCard page={page} session={session} d={d} names={names} />
                ))}
              </ul>
            )}
          </section>
          {ended.length > 0 ? (
            <section aria-labelledby="terminadas">
              <h2 id="terminadas">{t.endedHeading}</h2>
              <ul class="list">
                {ended.map((d) => (
                  <DelegationCard page={page} session={session} d={d} names={names} />
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
      {props.next ? (
        <p>
          <a href={`${DELEGATIONS}?desde=${encodeURIComponent(props.next)}`}>{t.morePages}</a>
        </p>
      ) : null}
    </Layout>
  );
}

function actionText(t: Messages, action: string): string {
  return t.actions[action] ?? t.otherAction(action);
}

function AccessLogPage(props: { page: PageContext; session: SessionChrome; rows: AccessLogRow[]; older?: string; paged: boolean }) {
  const { page, session, rows } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t.accessLogTitle} current="log" session={session}>
      <h1>{t.accessLogTitle}</h1>
      <p class="lead">{t.accessLogIntro}</p>
      {rows.length === 0 ? (
        <p>{t.accessLogNone}</p>
      ) : (
        <table>
          <caption>{t.accessLogCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.colWhen}</th>
              <th scope="col">{t.colOrg}</th>
              <th scope="col">{t.colMember}</th>
              <th scope="col">{t.colAction}</th>
              <th scope="col">{t.colResource}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr>
                <td>
                  <time datetime={e.occurred_at.toISOString()}>{formatMadridTime(page.lang, e.occurred_at)}</time>
                </td>
                <td>
                  {e.organization_name}
                  {e.livemode ? null : <span class="tag">{t.testMode}</span>}
                </td>
                <td>{e.member_name ?? t.unknownMember}</td>
                <td>{actionText(t, e.action)}</td>
                <td>{e.resource_type && e.resource_id ? `${t.resources[e.resource_type] ?? e.resource_type} ${e.resource_id}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.older || props.paged ? (
        <nav aria-label={t.accessLogCaption}>
          <ul>
            {props.older ? (
              <li>
                <a href={`${ACCESS_LOG}?antes=${encodeURIComponent(props.older)}`}>{t.olderEntries}</a>
              </li>
            ) : null}
            {props.paged ? (
              <li>
                <a href={ACCESS_LOG}>{t.newestEntries}</a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </Layout>
  );
}

/* ------------------------------------------------------------------ routes */

/** Server-rendered citizen pages (Spanish by default, English on request). Not part of the API document. */
export function registerCitizenPages(app: App): void {
  app.get(HOME, async (c) => {
    const config = c.get('deps').config;
    const citizen = await citizenFromSession(c);
    const page = pageContext(c);
    const notice = noticeFor(c, page.t);
    if (!citizen) {
      return sendPage(c, page, <HomePage page={page} signIn={signInHref(config, HOME)} notice={notice} names={new Map()} />);
    }
    const rows = await listDelegationRequests(c.get('sql'), {
      citizenId: citizen.citizenId,
      livemode: citizenLivemodeFilter(c),
      status: 'pending',
      limit: PENDING_SHOWN,
      now: c.get('deps').clock.now(),
    });
    const names = await procedureNames(c.get('sql'), page);
    return sendPage(
      c,
      page,
      <HomePage page={page} session={await sessionChrome(c, citizen)} signIn={signInHref(config, HOME)} notice={notice} pending={rows.slice(0, PENDING_SHOWN)} names={names} />,
    );
  });

  app.get(SIGN_IN, async (c) => {
    const config = c.get('deps').config;
    const returnTo = safeReturnPath(c.req.query('return_to'));
    if (config.devIdentityProvider) return c.redirect(signInHref(config, returnTo), 302);
    return messagePage(c, 200, { title: (t) => t.signInTitle, text: (t) => t.signInExternal });
  });

  app.post('/ciudadania/salir', formLimit, async (c) => {
    const config = c.get('deps').config;
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie) return c.redirect(HOME, 303);
    if (!(await checkCsrf(config.secretKey, cookie, form.csrf))) {
      return messagePage(c, 403, { title: (t) => t.forbiddenTitle, text: (t) => t.forbiddenText }, { switchPath: HOME });
    }
    deleteCookie(c, SESSION_COOKIE, cookieOptions(config));
    return c.redirect(`${HOME}?aviso=salida`, 303);
  });

  app.get('/ciudadania/solicitudes/:id', async (c) => {
    const id = c.req.param('id');
    const path = `/ciudadania/solicitudes/${encodeURIComponent(id)}`;
    const citizen = await citizenFromSession(c);
    if (!citizen) return signInPage(c, path, (t) => t.signInNeeded, (t) => t.requestTitle);
    const row = await ownRequest(c, citizen, id);
    if (!row) return notFoundPage(c, citizen);
    const page = pageContext(c);
    const names = await procedureNames(c.get('sql'), page);
    const session = (await sessionChrome(c, citizen))!;
    return sendPage(c, page, <RequestPage page={page} session={session} request={row} names={names} />);
  });

  app.post('/ciudadania/solicitudes/:id/aceptar', formLimit, async (c) => {
    const id = c.req.param('id');
    const back = `/ciudadania/solicitudes/${encodeURIComponent(id)}`;
    const citizen = await postSession(c, back);
    if (citizen instanceof Response) return citizen;
    const row = await ownRequest(c, citizen, id);
    if (!row) return notFoundPage(c, citizen, HOME);
    try {
      await acceptDelegationRequest(c.get('sql'), row, c.get('deps').clock.now());
    } catch (error) {
      if (error instanceof ProblemError) return problemPage(c, error, citizen, back);
      throw error;
    }
    return c.redirect(`${DELEGATIONS}?aviso=aceptada`, 303);
  });

  app.post('/ciudadania/solicitudes/:id/rechazar', formLimit, async (c) => {
    const id = c.req.param('id');
    const back = `/ciudadania/solicitudes/${encodeURIComponent(id)}`;
    const citizen = await postSession(c, back);
    if (citizen instanceof Response) return citizen;
    const row = await ownRequest(c, citizen, id);
    if (!row) return notFoundPage(c, citizen, HOME);
    try {
      await rejectDelegationRequest(c.get('sql'), row.id, c.get('deps').clock.now());
    } catch (error) {
      if (error instanceof ProblemError) return problemPage(c, error, citizen, back);
      throw error;
    }
    return c.redirect(`${HOME}?aviso=rechazada`, 303);
  });

  app.get(DELEGATIONS, async (c) => {
    const citizen = await citizenFromSession(c);
    if (!citizen) return signInPage(c, DELEGATIONS, (t) => t.signInNeededGeneric, (t) => t.delegationsTitle);
    const page = pageContext(c);
    const cursor = c.req.query('desde');
    let after: [string, string] | undefined;
    try {
      after = cursor ? (decodeCursor('citizen_page_delegations', cursor, 2) as [string, string]) : undefined;
    } catch (error) {
      if (error instanceof ProblemError) return problemPage(c, error, citizen, DELEGATIONS);
      throw error;
    }
    const rows = await listDelegations(c.get('sql'), {
      citizenId: citizen.citizenId,
      livemode: citizenLivemodeFilter(c),
      after,
      limit: DELEGATIONS_PAGE,
      today: legalDay(c.get('deps').clock.now()),
    });
    const shown = rows.slice(0, DELEGATIONS_PAGE);
    const last = shown[shown.length - 1];
    const next = rows.length > DELEGATIONS_PAGE && last ? encodeCursor('citizen_page_delegations', [last.created_at.toISOString(), last.id]) : undefined;
    const names = await procedureNames(c.get('sql'), page);
    const session = (await sessionChrome(c, citizen))!;
    return sendPage(c, page, <DelegationsPage page={page} session={session} notice={noticeFor(c, page.t)} rows={shown} next={next} names={names} />);
  });

  app.post('/ciudadania/delegaciones/:id/revocar', formLimit, async (c) => {
    const citizen = await postSession(c, DELEGATIONS);
    if (citizen instanceof Response) return citizen;
    try {
      await revokeDelegation(c.get('sql'), citizen.citizenId, c.req.param('id'), c.get('deps').clock.now());
    } catch (error) {
      if (error instanceof ProblemError) return problemPage(c, error, citizen, DELEGATIONS);
      throw error;
    }
    return c.redirect(`${DELEGATIONS}?aviso=revocada`, 303);
  });

  app.get(ACCESS_LOG, async (c) => {
    const citizen = await citizenFromSession(c);
    if (!citizen) return signInPage(c, ACCESS_LOG, (t) => t.signInNeededGeneric, (t) => t.accessLogTitle);
    const page = pageContext(c);
    const cursor = c.req.query('antes');
    let before: string | undefined;
    try {
      before = cursor ? decodeCursor('citizen_page_access_log', cursor, 1)[0] : undefined;
    } catch (error) {
      if (error instanceof ProblemError) return problemPage(c, error, citizen, ACCESS_LOG);
      throw error;
    }
    const rows = await listAccessLog(c.get('sql'), { citizenId: citizen.citizenId, before, limit: ACCESS_LOG_PAGE });
    const shown = rows.slice(0, ACCESS_LOG_PAGE);
    const last = shown[shown.length - 1];
    const older = rows.length > ACCESS_LOG_PAGE && last ? encodeCursor('citizen_page_access_log', [last.seq]) : undefined;
    const session = (await sessionChrome(c, citizen))!;
    return sendPage(c, page, <AccessLogPage page={page} session={session} rows={shown} older={older} paged={before !== undefined} />);
  });
}
