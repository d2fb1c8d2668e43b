import type { Context } from 'hono';

import type { App, AppEnv } from '../../../http/context';
import { decodeCursor, encodeCursor, SEQUENCE_KEY } from '../../../http/pagination';
import { ProblemError } from '../../../http/problem';
import { isIsoDate } from '../../../lib/dates';
import type { AccessLogFilter, AccessLogRow } from '../../access-log/queries';
import { accessLogCells, delegationStatusText } from '../access-log-view';
import { formatDay, type Lang, type Messages } from '../i18n';
import { FieldError, Layout, type PageContext, pageContext, sendPage, type SessionChrome } from '../layout';
import { type DelegationChoiceRow, listDelegationChoices } from '../queries';
import { citizenLivemodeFilter, sendAccessLogExport } from '../routes';
import { accessLogFilter, accessLogPage, type CitizenScope, scopeOf, todayOf } from '../service';
import { ACCESS_LOG, citizenOrSignIn, problemPage, sessionChrome, Table } from './shared';

const ACCESS_LOG_PAGE = 50;
const CURSOR_LIST = 'citizen_page_access_log';

/** The page's query, as typed: `delegacion`, `inicio`, `fin` (Madrid days) and the `antes` cursor. */
interface PageQuery {
  delegacion: string;
  inicio: string;
  fin: string;
  antes: string;
}

type FieldErrors = Partial<Record<'inicio' | 'fin', string>>;

/** A date input of the filter form, with its hint and its error, both named by its `aria-describedby`. */
function DateFilter(props: { name: string; label: string; hint: string; value: string | undefined; error?: string }) {
  const hint = `${props.name}-ayuda`;
  const errorId = `${props.name}-error`;
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      <span class="hint" id={hint}>
        {props.hint}
      </span>
      <FieldError id={errorId} message={props.error} />
      <input
        type="date"
        id={props.name}
        name={props.name}
        value={props.value}
        aria-describedby={props.error ? `${hint} ${errorId}` : hint}
        aria-invalid={props.error ? 'true' : undefined}
      />
    </div>
  );
}

function readQuery(c: Context<AppEnv>): PageQuery {
  const q = (name: string) => (c.req.query(name) ?? '').trim().slice(0, 128);
  return { delegacion: q('delegacion'), inicio: q('inicio'), fin: q('fin'), antes: q('antes') };
}

/** The same filter and window for the page and its exports, or the fields in error. */
function resolve(
  scope: CitizenScope,
  t: Messages,
  query: PageQuery,
): { filter: AccessLogFilter; before?: string } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (query.inicio && !isIsoDate(query.inicio)) errors.inicio = t.filterDateInvalid;
  if (query.fin && !isIsoDate(query.fin)) errors.fin = t.filterDateInvalid;
  if (!errors.inicio && !errors.fin && query.inicio && query.fin && query.fin < query.inicio)
    errors.fin = t.filterPeriodInvalid;
  if (errors.inicio || errors.fin) return { errors };
  const filter = accessLogFilter(scope, { delegationId: query.delegacion, from: query.inicio, to: query.fin });
  const before = query.antes ? decodeCursor(CURSOR_LIST, query.antes, SEQUENCE_KEY)[0] : undefined;
  return { filter, before };
}

function queryString(query: Partial<PageQuery>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

function AccessLogPage(props: {
  page: PageContext;
  session: SessionChrome;
  rows: AccessLogRow[];
  query: PageQuery;
  choices: DelegationChoiceRow[];
  errors: FieldErrors;
  older?: string;
}) {
  const { page, session, rows, query, choices, errors } = props;
  const { t } = page;
  const filtered = Boolean(query.delegacion || query.inicio || query.fin);
  const filterOnly = { delegacion: query.delegacion, inicio: query.inicio, fin: query.fin };
  const same = queryString({ ...filterOnly, antes: query.antes });
  const failed = Boolean(errors.inicio || errors.fin);
  return (
    <Layout page={page} title={t.accessLogTitle} current="log" session={session}>
      <h1>{t.accessLogTitle}</h1>
      <p class="lead">{t.accessLogIntro}</p>
      <section aria-labelledby="filtro">
        <h2 id="filtro">{t.filterHeading}</h2>
        {failed ? (
          <div class="alert error-summary" role="alert">
            <ul>
              {errors.inicio ? (
                <li>
                  <a href="#inicio">{errors.inicio}</a>
                </li>
              ) : null}
              {errors.fin ? (
                <li>
                  <a href="#fin">{errors.fin}</a>
                </li>
              ) : null}
            </ul>
          </div>
        ) : null}
        <form method="get" action={ACCESS_LOG} class="filters">
          <div>
            <label for="delegacion">{t.filterDelegation}</label>
            <select id="delegacion" name="delegacion">
              <option value="" selected={!query.delegacion}>
                {t.filterAll}
              </option>
              {choices.map((d) => (
                <option value={d.id} selected={query.delegacion === d.id}>
                  {t.delegationChoice(
                    d.organization_name,
                    formatDay(page.lang, d.valid_from),
                    delegationStatusText(t, d.status).toLowerCase(),
                  )}
                </option>
              ))}
            </select>
          </div>
          <DateFilter
            name="inicio"
            label={t.filterFrom}
            hint={t.filterDateHint}
            value={query.inicio}
            error={errors.inicio}
          />
          <DateFilter name="fin" label={t.filterTo} hint={t.filterDateHint} value={query.fin} error={errors.fin} />
          <div class="actions">
            <button type="submit">{t.filterApply}</button>
            {filtered ? <a href={ACCESS_LOG}>{t.filterClear}</a> : null}
          </div>
        </form>
      </section>
      {failed ? null : (
        <section aria-labelledby="accesos">
          <h2 id="accesos">{t.accessLogCaption}</h2>
          {filtered ? <p role="status">{t.filterActive(rows.length, Boolean(props.older))}</p> : null}
          {rows.length === 0 ? (
            <p>{t.accessLogNone}</p>
          ) : (
            <Table
              caption={t.accessLogCaption}
              columns={[t.colWhen, t.colOrg, t.colMember, t.colAction, t.colResource]}
            >
              {rows.map((e) => {
                const cells = accessLogCells(page.lang, e);
                return (
                  <tr data-entry={e.id}>
                    <td>
                      <time datetime={e.occurred_at.toISOString()}>{cells.when}</time>
                    </td>
                    <td>
                      {cells.organization}
                      {e.livemode ? null : <span class="tag">{t.testMode}</span>}
                    </td>
                    <td>{cells.person}</td>
                    <td>{cells.action}</td>
                    <td>{cells.about}</td>
                  </tr>
                );
              })}
            </Table>
          )}
          {props.older || query.antes ? (
            <nav aria-label={t.accessLogCaption}>
              <ul>
                {props.older ? (
                  <li>
                    <a href={`${ACCESS_LOG}${queryString({ ...filterOnly, antes: props.older })}`}>{t.olderEntries}</a>
                  </li>
                ) : null}
                {query.antes ? (
                  <li>
                    <a href={`${ACCESS_LOG}${queryString(filterOnly)}`}>{t.newestEntries}</a>
                  </li>
                ) : null}
              </ul>
            </nav>
          ) : null}
          {rows.length > 0 ? (
            <>
              <h2 id="descargar">{t.exportHeading}</h2>
              <p>{t.exportHelp}</p>
              <ul>
                <li>
                  <a href={`${ACCESS_LOG}/exportar.csv${same}`} download>
                    {t.exportCsv}
                  </a>
                </li>
                <li>
                  <a href={`${ACCESS_LOG}/exportar.pdf${same}`} download>
                    {t.exportPdf}
                  </a>
                </li>
              </ul>
            </>
          ) : null}
        </section>
      )}
    </Layout>
  );
}

/**
 * What the page and its exports start from: the signed-in citizen and the period and page asked
 * for. A Response instead when the citizen must sign in or the query cannot be read.
 */
async function openAccessLog(c: Context<AppEnv>) {
  const citizen = await citizenOrSignIn(c, ACCESS_LOG, (t) => t.accessLogTitle);
  if (citizen instanceof Response) return citizen;
  const page = pageContext(c);
  const scope = scopeOf(citizen, citizenLivemodeFilter(c), c.get('deps').clock.now());
  const query = readQuery(c);
  try {
    return { citizen, page, scope, query, window: resolve(scope, page.t, query) };
  } catch (error) {
    if (error instanceof ProblemError) return problemPage(c, error, citizen, ACCESS_LOG);
    throw error;
  }
}

/** Every access made on the citizen's behalf: filtered by delegation and period, exported as CSV or PDF. */
export function registerAccessLogPages(app: App): void {
  app.get(ACCESS_LOG, async (c) => {
    const opened = await openAccessLog(c);
    if (opened instanceof Response) return opened;
    const { citizen, page, scope, query, window } = opened;
    const choices = await listDelegationChoices(c.get('sql'), citizen.citizenId, scope.livemode, todayOf(scope));
    const session = (await sessionChrome(c, citizen))!;
    const render = (list: { rows: AccessLogRow[]; errors: FieldErrors; older?: string }, status?: 400) =>
      sendPage(
        c,
        page,
        <AccessLogPage page={page} session={session} query={query} choices={choices} {...list} />,
        status,
      );
    if ('errors' in window) return render({ rows: [], errors: window.errors }, 400);
    const { rows, older } = await accessLogPage(c.get('sql'), window.filter, {
      before: window.before,
      limit: ACCESS_LOG_PAGE,
    });
    return render({ rows, errors: {}, older: older ? encodeCursor(CURSOR_LIST, [older]) : undefined });
  });

  for (const format of ['csv', 'pdf'] as const) {
    app.get(`${ACCESS_LOG}/exportar.${format}`, async (c) => {
      const opened = await openAccessLog(c);
      if (opened instanceof Response) return opened;
      const { citizen, page, scope, query, window } = opened;
      if ('errors' in window) return c.redirect(`${ACCESS_LOG}${queryString(query)}`, 303);
      const { rows } = await accessLogPage(c.get('sql'), window.filter, {
        before: window.before,
        limit: ACCESS_LOG_PAGE,
      });
      c.set('principal', citizen);
      return sendAccessLogExport(c, scope, format, page.lang as Lang, window.filter, rows);
    });
  }
}
