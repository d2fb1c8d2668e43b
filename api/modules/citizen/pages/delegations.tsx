import type { App } from '../../../http/context';
import { type DelegationRow, listDelegations } from '../../delegations/queries';
import { revokeDelegation } from '../../delegations/service';
import { formatDay, formatMadridDay, type Messages } from '../i18n';
import { Layout, type PageContext, sendPage, type SessionChrome } from '../layout';
import { citizenLivemodeFilter } from '../routes';
import { todayOf } from '../service';
import {
  CardList,
  citizenListPage,
  CsrfField,
  DELEGATIONS,
  formLimit,
  Notice,
  noticeFor,
  orProblemPage,
  postSession,
  procedureNames,
  ScopeDetails,
} from './shared';

const DELEGATIONS_PAGE = 50;

/**
 * When an ended delegation ended, as a day in Madrid. One that ran out ended at the midnight that
 * closes its last day, so it is named by that day (`valid_until`), not by the next one.
 */
function endedWhen(page: PageContext, d: DelegationRow): string {
  if (d.ended_by === 'expiry') return page.t.endedAtEndOf(formatDay(page.lang, d.valid_until));
  return page.t.endedOn(formatMadridDay(page.lang, d.ended_at!));
}

/** Who ended a delegation, in words. */
function endedBy(t: Messages, d: DelegationRow): string {
  switch (d.ended_by) {
    case 'citizen':
      return t.endedByCitizen;
    case 'organization':
      return t.endedByOrganization(d.organization_name);
    case 'platform':
      return t.endedByPlatform;
    case 'expiry':
      return t.endedByExpiry;
    default:
      return d.ended_by ?? '';
  }
}

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
        <dt>{active ? t.validity : t.validityGranted}</dt>
        <dd>{t.validityRange(formatDay(page.lang, d.valid_from), formatDay(page.lang, d.valid_until))}</dd>
        <dt>{t.status}</dt>
        <dd>{t.delegationStatus[d.status] ?? d.status}</dd>
        {active || !d.ended_at ? null : (
          <>
            <dt>{t.endedLabel}</dt>
            <dd>{endedWhen(page, d)}</dd>
          </>
        )}
        {active || !d.ended_by ? null : (
          <>
            <dt>{t.endedByLabel}</dt>
            <dd>{endedBy(t, d)}</dd>
          </>
        )}
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
            <CardList
              items={active}
              none={t.activeNone}
              card={(d) => <DelegationCard page={page} session={session} d={d} names={names} />}
            />
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
    const listed = await citizenListPage(
      c,
      (scope, paging) => listDelegations(c.get('sql'), { ...scope, ...paging, today: todayOf(scope) }),
      {
        path: DELEGATIONS,
        title: (t) => t.delegationsTitle,
        name: 'citizen_page_delegations',
        size: DELEGATIONS_PAGE,
        keyOf: (d) => [d.created_at.toISOString(), d.id],
      },
    );
    if (listed instanceof Response) return listed;
    const { page, session, shown, next } = listed;
    const names = await procedureNames(c.get('sql'), page);
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
    const revoked = await orProblemPage(c, citizen, DELEGATIONS, () =>
      revokeDelegation(
        c.get('sql'),
        { citizenId: citizen.citizenId, livemode: citizenLivemodeFilter(c) },
        c.req.param('id'),
        c.get('deps').clock.now(),
      ),
    );
    if (revoked instanceof Response) return revoked;
    return c.redirect(`${DELEGATIONS}?aviso=revocada`, 303);
  });
}
