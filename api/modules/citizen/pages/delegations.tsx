import type { App } from '../../../http/context';
import { decodeCursor, encodeCursor } from '../../../http/pagination';
import { ProblemError } from '../../../http/problem';
import { legalDay } from '../../../lib/legal-day';
import { type DelegationRow, listDelegations } from '../../delegations/queries';
import { revokeDelegation } from '../../delegations/service';
import { formatDay } from '../i18n';
import { Layout, type PageContext, pageContext, sendPage, type SessionChrome } from '../layout';
import { citizenLivemodeFilter } from '../routes';
import {
  citizenOrSignIn,
  CsrfField,
  DELEGATIONS,
  formLimit,
  Notice,
  noticeFor,
  postSession,
  problemPage,
  procedureNames,
  ScopeDetails,
  sessionChrome,
} from './shared';

const DELEGATIONS_PAGE = 50;

function DelegationCard(props: {
  page: PageContext;
  session: SessionChrome;
  d: DelegationRow;
  names: Map<string, string>;
}) {
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
      <ScopeDetails
        t={t}
        names={names}
        types={d.procedure_types}
        subjects={d.scope.subjects}
        capacities={d.capacities}
      />
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

function DelegationsPage(props: {
  page: PageContext;
  session: SessionChrome;
  notice?: string;
  rows: DelegationRow[];
  next?: string;
  names: Map<string, string>;
}) {
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

/** The delegations the citizen granted, and revoking one. */
export function registerDelegationPages(app: App): void {
  app.get(DELEGATIONS, async (c) => {
    const citizen = await citizenOrSignIn(c, DELEGATIONS, (t) => t.delegationsTitle);
    if (citizen instanceof Response) return citizen;
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
    const next =
      rows.length > DELEGATIONS_PAGE && last
        ? encodeCursor('citizen_page_delegations', [last.created_at.toISOString(), last.id])
        : undefined;
    const names = await procedureNames(c.get('sql'), page);
    const session = (await sessionChrome(c, citizen))!;
    return sendPage(
      c,
      page,
      <DelegationsPage
        page={page}
        session={session}
        notice={noticeFor(c, page.t)}
        rows={shown}
        next={next}
        names={names}
      />,
    );
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
}
