import type { App } from '../../../http/context';
import { decodeCursor, encodeCursor } from '../../../http/pagination';
import { ProblemError } from '../../../http/problem';
import { listAccessLog, type AccessLogRow } from '../../access-log/queries';
import { citizenFromSession } from '../identity';
import { formatMadridTime, type Messages } from '../i18n';
import { Layout, pageContext, sendPage, type PageContext, type SessionChrome } from '../layout';
import { ACCESS_LOG, problemPage, sessionChrome, signInPage } from './shared';

const ACCESS_LOG_PAGE = 20;

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

/** Every access made on the citizen's behalf. */
export function registerAccessLogPages(app: App): void {
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
