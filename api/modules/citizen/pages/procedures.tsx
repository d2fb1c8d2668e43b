import type { App } from '../../../http/context';
import { contentDisposition } from '../../documents/files';
import type { TimelineRow } from '../../procedures/timeline.queries';
import { delegationStatusText } from '../access-log-view';
import { formatDay, formatMadridDay, formatMadridTime, type Messages } from '../i18n';
import { Layout, type PageContext, pageContext, sendPage, type SessionChrome } from '../layout';
import { citizenLivemodeFilter } from '../routes';
import {
  downloadMyDocument,
  type LegalDate,
  listMyProcedures,
  myProcedure,
  type MyProcedureDetail,
  type MyProcedureSummary,
  myReceipt,
  scopeOf,
} from '../service';
import {
  citizenListPage,
  citizenOrSignIn,
  orProblemPage,
  procedureNames,
  PROCEDURES,
  sessionChrome,
  Table,
} from './shared';

const PROCEDURES_PAGE = 50;
const MANAGED_BY_SOCIAL_SECURITY = ['INSS', 'ISM', 'MUTUA'];

function procedureHref(id: string): string {
  return `${PROCEDURES}/${encodeURIComponent(id)}`;
}

function statusText(t: Messages, status: string): string {
  return t.procedureStatus[status] ?? status;
}

function HandledBy(props: { t: Messages; s: MyProcedureSummary }) {
  const { t, s } = props;
  return (
    <>{t.handledBy(s.holder.organization_name, t.orgKinds[s.holder.organization_kind] ?? s.holder.organization_kind)}</>
  );
}

function ProceduresPage(props: {
  page: PageContext;
  session: SessionChrome;
  rows: MyProcedureSummary[];
  names: Map<string, string>;
  next?: string;
}) {
  const { page, session, rows, names } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t.proceduresTitle} current="procedures" session={session}>
      <h1>{t.proceduresTitle}</h1>
      <p class="lead">{t.proceduresIntro}</p>
      {rows.length === 0 ? (
        <p>{t.proceduresNone}</p>
      ) : (
        <Table caption={t.proceduresCaption} columns={[t.colProcedure, t.colStatus, t.colHandledBy, t.colFiled]}>
          {rows.map((s) => {
            const name = names.get(s.row.type) ?? s.row.type;
            return (
              <tr>
                <th scope="row">
                  <a href={procedureHref(s.row.id)} aria-label={t.seeProcedureOf(name)}>
                    {name}
                  </a>
                  {s.row.livemode ? null : <span class="tag">{t.testMode}</span>}
                </th>
                <td>{statusText(t, s.row.status)}</td>
                <td>
                  <HandledBy t={t} s={s} />
                  {s.holder.delegation_status === 'active' ? null : (
                    <p class="muted">
                      {t.delegationEndedNote(delegationStatusText(t, s.holder.delegation_status).toLowerCase())}
                    </p>
                  )}
                </td>
                <td>{s.row.submitted_at ? formatMadridDay(page.lang, s.row.submitted_at) : t.notFiledYet}</td>
              </tr>
            );
          })}
        </Table>
      )}
      {props.next ? (
        <p>
          <a href={`${PROCEDURES}?desde=${encodeURIComponent(props.next)}`}>{t.morePages}</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** Each legal date in words; every date is one the deadline code computed. */
function LegalDates(props: { page: PageContext; d: MyProcedureDetail }) {
  const { page, d } = props;
  const { t } = page;
  const day = (date: string) => formatDay(page.lang, date);
  const body = d.type.managing_bodies.every((b) => MANAGED_BY_SOCIAL_SECURITY.includes(b))
    ? t.bodySocialSecurity
    : t.bodyAdministration;
  const sentence = (l: LegalDate): string => {
    switch (l.code) {
      case 'not_filed':
        return t.legal.not_filed();
      case 'dates_unknown':
        return t.legal.dates_unknown();
      case 'court_claim':
        return t.legal.court_claim();
      case 'resolve_by':
        return t.legal.resolve_by(body, day(l.date), l.silence === 'positive');
      default:
        return t.legal[l.code](day(l.date));
    }
  };
  return (
    <section aria-labelledby="fechas" class="legal">
      <h2 id="fechas">{t.datesHeading}</h2>
      {d.legalDates.map((l) => (
        <p data-legal={l.code}>{sentence(l)}</p>
      ))}
    </section>
  );
}

function actorText(t: Messages, e: TimelineRow, organization: string): string {
  switch (e.actor_type) {
    case 'member':
      return e.actor_name ? `${e.actor_name} (${organization})` : organization;
    case 'caseworker':
      return t.actorAgency;
    case 'citizen':
      return t.actorYou;
    default:
      return t.actorSystem;
  }
}

function ProcedurePage(props: { page: PageContext; session: SessionChrome; d: MyProcedureDetail; name: string }) {
  const { page, session, d, name } = props;
  const { t } = page;
  const r = d.row;
  const kind = (k: string) => t.documentKinds[k] ?? k;
  const open = d.openRequirement;
  const resolution = d.procedure.resolution;
  const base = procedureHref(r.id);
  const money = new Intl.NumberFormat(t.locale, { style: 'currency', currency: 'EUR' });
  return (
    <Layout page={page} title={name} current="procedures" session={session}>
      <p>
        <a href={PROCEDURES}>{t.backToProcedures}</a>
      </p>
      <h1>{name}</h1>
      {r.livemode ? null : <p class="notice">{t.testModeNote}</p>}
      <p class="lead status" data-status={r.status}>
        {statusText(t, r.status)}
      </p>
      <section aria-labelledby="resumen">
        <h2 id="resumen">{t.summaryHeading}</h2>
        <dl class="facts">
          <dt>{t.handledByLabel}</dt>
          <dd>
            <HandledBy t={t} s={d} />
          </dd>
          <dt>{t.delegationLabel}</dt>
          <dd>{delegationStatusText(t, d.holder.delegation_status)}</dd>
          {r.registry_entry_number ? (
            <>
              <dt>{t.registryNumber}</dt>
              <dd>{r.registry_entry_number}</dd>
            </>
          ) : null}
          {r.submitted_at ? (
            <>
              <dt>{t.filedAt}</dt>
              <dd>{formatMadridTime(page.lang, r.submitted_at)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      {open ? (
        <section aria-labelledby="requerimiento" class="alert">
          <h2 id="requerimiento">{t.requirementHeading}</h2>
          <p class="lead" data-deadline={open.requirement.deadline ?? undefined}>
            <strong>
              {open.requirement.deadline
                ? t.requirementDeadline(formatDay(page.lang, open.requirement.deadline))
                : open.requirement.term_starts === 'on_access_or_deemed_rejection' &&
                    open.requirement.deemed_rejected_on
                  ? t.requirementTermFrom(formatDay(page.lang, open.requirement.deemed_rejected_on))
                  : t.requirementTermPending}
            </strong>
          </p>
          <p>
            <strong>{t.requirementAsked}</strong> {t.listJoin(open.requirement.kinds.map(kind))}.
          </p>
          {open.missingKinds.length > 0 ? (
            <p data-missing={open.missingKinds.join(' ')}>
              <strong>{t.requirementMissing}</strong> {t.listJoin(open.missingKinds.map(kind))}.
            </p>
          ) : (
            <p>{t.requirementAllProvided}</p>
          )}
          {open.requirement.message === null ? (
            <p data-withheld>{t.requirementMessageWithheld}</p>
          ) : (
            <>
              <p>
                <strong>{t.requirementMessage}</strong>
              </p>
              <blockquote>
                <p>{open.requirement.message}</p>
              </blockquote>
            </>
          )}
          {open.requirement.extended ? <p class="muted">{t.requirementExtended}</p> : null}
        </section>
      ) : null}
      <LegalDates page={page} d={d} />
      {resolution ? (
        <section aria-labelledby="resolucion">
          <h2 id="resolucion">{t.resolutionHeading}</h2>
          <p class="lead">
            <strong>{t.resolutionOutcome[resolution.outcome] ?? resolution.outcome}</strong>.{' '}
            {t.resolvedOn(formatMadridDay(page.lang, new Date(resolution.resolved_at)))}
          </p>
          {resolution.content_withheld ? <p data-withheld>{t.resolutionWithheld}</p> : null}
          {resolution.text ? (
            <blockquote>
              <p>{resolution.text}</p>
            </blockquote>
          ) : null}
          {resolution.amount !== null ? (
            <dl class="facts">
              <dt>{t.resolutionAmount}</dt>
              <dd class="amount">{money.format(resolution.amount)}</dd>
            </dl>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="documentos">
        <h2 id="documentos">{t.documentsHeading}</h2>
        {d.documents.length === 0 ? (
          <p>{t.documentsNone}</p>
        ) : (
          <>
            <Table caption={t.documentsCaption} columns={[t.colKind, t.colName, t.colDate, t.colDownload]}>
              {d.documents.map((doc) => (
                <tr>
                  <td>{kind(doc.kind)}</td>
                  <td>{doc.filename}</td>
                  <td>{formatMadridDay(page.lang, doc.created_at)}</td>
                  <td>
                    <a
                      href={`${base}/documentos/${encodeURIComponent(doc.id)}`}
                      aria-label={t.downloadOf(doc.filename)}
                      download={doc.filename}
                    >
                      {t.download}
                    </a>
                  </td>
                </tr>
              ))}
            </Table>
            <p class="muted">{t.downloadNote}</p>
          </>
        )}
      </section>
      <section aria-labelledby="justificante">
        <h2 id="justificante">{t.receiptHeading}</h2>
        {r.registry_entry_number ? (
          <p>
            <a href={`${base}/justificante`}>{t.receiptLink}</a>
          </p>
        ) : (
          <p>{t.receiptNone}</p>
        )}
      </section>
      <section aria-labelledby="historial">
        <h2 id="historial">{t.timelineHeading}</h2>
        <Table caption={t.timelineCaption} columns={[t.colWhen, t.colWho, t.colAction]}>
          {d.timeline.map((e) => (
            <tr>
              <td>
                <time datetime={e.occurred_at.toISOString()}>{formatMadridTime(page.lang, e.occurred_at)}</time>
              </td>
              <td>{actorText(t, e, d.holder.organization_name)}</td>
              <td>
                {t.timelineActions[e.action] ?? t.otherTimelineAction(e.action)}
                {e.action === 'document_added' && typeof e.details.kind === 'string' ? `: ${kind(e.details.kind)}` : ''}
                {e.action === 'requirement_issued' && Array.isArray(e.details.kinds)
                  ? `: ${t.listJoin((e.details.kinds as string[]).map(kind))}`
                  : ''}
              </td>
            </tr>
          ))}
        </Table>
      </section>
    </Layout>
  );
}

/** "Mis trámites": every procedure in the citizen's name, one procedure in full, its documents and receipt. */
export function registerProcedurePages(app: App): void {
  app.get(PROCEDURES, async (c) => {
    const listed = await citizenListPage(
      c,
      async (scope, paging) =>
        listMyProcedures(c.get('sql'), scope, await c.get('deps').calendar.ensure(c.get('sql')), paging),
      {
        path: PROCEDURES,
        title: (t) => t.proceduresTitle,
        name: 'citizen_page_procedures',
        size: PROCEDURES_PAGE,
        keyOf: (p) => [p.row.created_at.toISOString(), p.row.id],
      },
    );
    if (listed instanceof Response) return listed;
    const { page, session, shown, next } = listed;
    const names = await procedureNames(c.get('sql'), page);
    return sendPage(c, page, <ProceduresPage page={page} session={session} rows={shown} names={names} next={next} />);
  });

  app.get(`${PROCEDURES}/:id`, async (c) => {
    const id = c.req.param('id');
    const path = procedureHref(id);
    const citizen = await citizenOrSignIn(c, path, (t) => t.proceduresTitle);
    if (citizen instanceof Response) return citizen;
    const scope = scopeOf(citizen, citizenLivemodeFilter(c), c.get('deps').clock.now());
    const d = await orProblemPage(c, citizen, PROCEDURES, async () =>
      myProcedure(c.get('sql'), scope, await c.get('deps').calendar.ensure(c.get('sql')), id),
    );
    if (d instanceof Response) return d;
    const page = pageContext(c);
    const name = page.lang === 'es' ? d.type.name_es : d.type.name_en;
    const session = (await sessionChrome(c, citizen))!;
    return sendPage(c, page, <ProcedurePage page={page} session={session} d={d} name={name} />);
  });

  app.get(`${PROCEDURES}/:id/documentos/:documentId`, async (c) => {
    const id = c.req.param('id');
    const citizen = await citizenOrSignIn(c, procedureHref(id), (t) => t.proceduresTitle);
    if (citizen instanceof Response) return citizen;
    const scope = scopeOf(citizen, citizenLivemodeFilter(c), c.get('deps').clock.now());
    const found = await orProblemPage(c, citizen, procedureHref(id), () =>
      downloadMyDocument(
        c.get('sql'),
        scope,
        id,
        c.req.param('documentId'),
        c.get('requestId'),
        c.get('deps').documents,
      ),
    );
    if (found instanceof Response) return found;
    c.header('Cache-Control', 'no-store');
    return c.body(found.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': found.document.content_type,
      'content-length': String(found.bytes.length),
      'content-disposition': contentDisposition(found.document.filename),
      'x-content-type-options': 'nosniff',
    });
  });

  app.get(`${PROCEDURES}/:id/justificante`, async (c) => {
    const id = c.req.param('id');
    const citizen = await citizenOrSignIn(c, procedureHref(id), (t) => t.proceduresTitle);
    if (citizen instanceof Response) return citizen;
    const scope = scopeOf(citizen, citizenLivemodeFilter(c), c.get('deps').clock.now());
    const found = await orProblemPage(
      c,
      citizen,
      procedureHref(id),
      () => myReceipt(c.get('sql'), scope, c.get('deps').calendar, id, c.get('requestId')),
      // The one state it refuses: not filed yet, so there is no receipt.
      { invalid_state_transition: (t) => t.receiptNotFiled },
    );
    if (found instanceof Response) return found;
    c.header('Cache-Control', 'no-store');
    return c.body(found.pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': contentDisposition(`justificante-${found.row.registry_entry_number}.pdf`),
    });
  });
}
