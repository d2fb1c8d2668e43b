import { type Sql, transaction } from '../../db/sql';
import { agencyPrincipal } from '../../http/auth';
import type { App } from '../../http/context';
import { checkIfMatch, etagOf } from '../../http/etag';
import { fileResponse, get, ok, optionalJsonBody, post, routesOf } from '../../http/openapi';
import { CREATED_KEY, decodeCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import type { CalendarSnapshot } from '../../lib/calendar';
import { newId } from '../../lib/ids';
import { legalDay } from '../../lib/legal-day';
import { insertAccessLogBatch } from '../access-log/queries';
import { documentHeaders } from '../documents/files';
import { toDocument } from '../documents/mappers';
import { findDocument, listDocuments } from '../documents/queries';
import { DocumentParams } from '../documents/schemas';
import { toProcedure } from '../procedures/mappers';
import { findAgencyProcedure, listAgencyQueue, type ProcedureRow } from '../procedures/queries';
import { ProcedureParams, ProcedureSchema } from '../procedures/schemas';
import { admitProcedure, DECLARATIONS, issueRequirement, resolveProcedure } from '../procedures/service';
import type { Actor } from '../procedures/timeline.queries';
import {
  AgencyActBody,
  AgencyProcedureSchema,
  AgencyQueueQuery,
  AgencyQueueSchema,
  IssueRequirementBody,
  ResolveBody,
} from './schemas';

/** A declaration or warning: an optional text, notified to the representative; the example is that act's. */
const actText = (example: string) => optionalJsonBody(AgencyActBody, { text: example });

const routes = routesOf('Agency', {
  queue: get('/v1/agency/procedures', {
    operationId: 'agencyListProcedures',
    summary: 'The back-office queue',
    description:
      "Live procedures the body of the key decides (`managing_body`), in its community if the key is limited to one, oldest filing first. Each procedure on the page is recorded in its citizen's access log as read by the key's body and office.",
    auth: 'agencyRead',
    query: AgencyQueueQuery,
    responses: ok('A page of procedures.', AgencyQueueSchema),
  }),
  retrieve: get('/v1/agency/procedures/{id}', {
    operationId: 'agencyRetrieveProcedure',
    summary: 'A procedure with its documents',
    description:
      "For the managing body's caseworkers: a procedure the body decides, with its form and documents, to review it. Another body's procedure, or one outside the key's community, answers 404. The read is recorded in the citizen's access log, naming the key's body and office, before anything is answered. Answers an `ETag`: send it as `If-Match` with an act so that it is refused (412) if the procedure changed since you read it (a colleague's act, the representative's answer).",
    auth: 'agencyRead',
    etag: true,
    params: ProcedureParams,
    responses: ok('The procedure.', AgencyProcedureSchema),
  }),
  documentContent: get('/v1/agency/procedures/{id}/documents/{document_id}/content', {
    operationId: 'agencyDownloadDocument',
    summary: "Download a document's exact bytes",
    description:
      "For the managing body's caseworkers reviewing a procedure it decides: the exact bytes of an uploaded document, with its content type and file name; their SHA-256 digest is the one listed. The download is recorded in the citizen's access log, naming the key's body and office.",
    auth: 'agencyRead',
    params: DocumentParams,
    responses: {
      200: fileResponse('The file as uploaded.', 'application/pdf', 'image/png', 'image/jpeg'),
    },
  }),
  admit: post('/v1/agency/procedures/{id}/admit', {
    operationId: 'agencyAdmitProcedure',
    summary: 'Admit for review',
    description:
      'Moves a submitted procedure into review (`in_review`). Emits `procedure.status_changed`; the maximum resolution term keeps running from registration.',
    auth: 'agencyWrite',
    etag: true,
    ifMatch: true,
    params: ProcedureParams,
    problems: ['invalid_state_transition'],
    responses: ok('The procedure after the action.', ProcedureSchema),
  }),
  require: post('/v1/agency/procedures/{id}/requirements', {
    operationId: 'agencyIssueRequirement',
    summary: 'Issue a requerimiento de subsanación',
    description:
      'The applicant has 10 días hábiles from notification (in their community) to cure it, extendable once by 5; the resolution clock is suspended meanwhile.',
    auth: 'agencyWrite',
    etag: true,
    ifMatch: true,
    params: ProcedureParams,
    body: IssueRequirementBody,
    problems: ['invalid_state_transition', 'calendar_unavailable'],
    responses: ok('The procedure after the action.', ProcedureSchema),
  }),
  resolve: post('/v1/agency/procedures/{id}/resolve', {
    operationId: 'agencyResolveProcedure',
    summary: 'Resolve: approve, partially approve or deny',
    description:
      'Records the decision (approved, partially approved or denied) with its text and, when granted, the amount. Emits `procedure.resolved` and `procedure.status_changed`.',
    auth: 'agencyWrite',
    etag: true,
    ifMatch: true,
    params: ProcedureParams,
    body: ResolveBody,
    problems: ['invalid_state_transition'],
    responses: ok('The procedure after the action.', ProcedureSchema),
  }),
  withdrawal: post('/v1/agency/procedures/{id}/withdrawal-declaration', {
    operationId: 'agencyDeclareWithdrawal',
    summary: 'Declare the application withdrawn (requirement unanswered)',
    description:
      "Arts. 68.1 and 94: once the open requirement's term has passed unanswered, from the day after its deadline (409 `term_not_elapsed` before, with `earliest_on`). " +
      'The declaration is notified to the representative.',
    auth: 'agencyWrite',
    etag: true,
    ifMatch: true,
    params: ProcedureParams,
    body: actText(
      'Se le tiene por desistido de su solicitud por no aportar en plazo la documentación requerida (art. 68.1 de la Ley 39/2015).',
    ),
    problems: ['invalid_state_transition', 'term_not_elapsed', 'conflict', 'calendar_unavailable'],
    responses: ok('The procedure after the action.', ProcedureSchema),
  }),
  lapseWarning: post('/v1/agency/procedures/{id}/lapse-warning', {
    operationId: 'agencyWarnLapse',
    summary: 'Warn of caducidad (standstill caused by the applicant)',
    description:
      'Art. 95.1: notified to the representative; three months (date to date) after it takes effect, the procedure may be declared lapsed unless the applicant acts. Only while a requirement is open (`action_required`): answering it, or asking for more time, is the act that ends the standstill; in review the applicant has nothing to answer (409 `invalid_state_transition`).',
    auth: 'agencyWrite',
    etag: true,
    ifMatch: true,
    params: ProcedureParams,
    body: actText(
      'Se le advierte de que, paralizado el procedimiento por causa imputable a usted, transcurridos tres meses se producirá su caducidad (art. 95.1 de la Ley 39/2015).',
    ),
    problems: ['invalid_state_transition', 'calendar_unavailable'],
    responses: ok('The procedure after the action.', ProcedureSchema),
  }),
  lapse: post('/v1/agency/procedures/{id}/lapse-declaration', {
    operationId: 'agencyDeclareLapse',
    summary: 'Declare the procedure lapsed (caducidad)',
    description:
      "Art. 95.1: from the day after the three months that follow the warning's notification (409 `term_not_elapsed` before); refused (409 `conflict`) with no warning, " +
      'or if the representative acted since. The declaration is notified to the representative.',
    auth: 'agencyWrite',
    etag: true,
    ifMatch: true,
    params: ProcedureParams,
    body: actText(
      'Se declara la caducidad del procedimiento y se acuerda el archivo de las actuaciones (art. 95.1 de la Ley 39/2015).',
    ),
    problems: ['invalid_state_transition', 'term_not_elapsed', 'conflict', 'calendar_unavailable'],
    responses: ok('The procedure after the action.', ProcedureSchema),
  }),
});

export function registerAgency(app: App): void {
  const actorOf = (c: Parameters<typeof agencyPrincipal>[0]): Actor => {
    const p = agencyPrincipal(c);
    return { type: 'caseworker', id: p.agencyKeyId, name: `${p.managingBody} · ${p.office}` };
  };
  const scopeOf = (c: Parameters<typeof agencyPrincipal>[0]) => {
    const { managingBody, region } = agencyPrincipal(c);
    return { managingBody, region };
  };
  const load = async (c: Parameters<typeof agencyPrincipal>[0], sql: Sql, id: string) => {
    const row = await findAgencyProcedure(sql, id, scopeOf(c));
    if (!row) throw new ProblemError('not_found', "No such procedure in this body's queue.");
    return row;
  };
  /**
   * Records in each citizen's access log that the key's body read their procedure (or one of its
   * documents). It commits before anything is answered: nothing leaves without its entry.
   */
  const recordReads = (
    c: Parameters<typeof agencyPrincipal>[0],
    sql: Sql,
    rows: readonly ProcedureRow[],
    action: 'procedure.read' | 'document.downloaded',
    resource?: { type: 'document'; id: string },
  ) =>
    rows.length === 0
      ? Promise.resolve()
      : insertAccessLogBatch(
          sql,
          rows.map((row) => ({
            id: newId('acl'),
            citizenId: row.citizen_id,
            delegationId: row.delegation_id,
            organizationId: row.organization_id,
            memberId: null,
            livemode: row.livemode,
            action,
            resourceType: resource?.type ?? 'procedure',
            resourceId: resource?.id ?? row.id,
            requestId: c.get('requestId') ?? null,
            at: c.get('deps').clock.now(),
            actorType: 'agency' as const,
            agencyKeyId: agencyPrincipal(c).agencyKeyId,
          })),
        );
  const calendar = (c: Parameters<typeof agencyPrincipal>[0]) => c.get('deps').calendar.ensure(c.get('sql'));
  /**
   * An act on a procedure of the key's body. In one transaction: the procedure locked and found in
   * the key's scope, its version checked against `If-Match` (a colleague's act or the
   * representative's answer since the caseworker read it refuses the act), then the act. Answers
   * the procedure as the act left it, in the calendar its dates were computed with, and its ETag.
   */
  const act = async (
    c: Parameters<typeof agencyPrincipal>[0],
    id: string,
    work: (tx: Sql, args: { actor: Actor; now: Date; calendar: CalendarSnapshot }) => Promise<ProcedureRow>,
  ) => {
    const cal = await calendar(c);
    const now = c.get('deps').clock.now();
    const row = await transaction(c.get('sql'), async (tx) => {
      const found = await findAgencyProcedure(tx, id, scopeOf(c), { forUpdate: true });
      if (!found) throw new ProblemError('not_found', "No such procedure in this body's queue.");
      checkIfMatch(c, found.id, found.version);
      return work(tx, { actor: actorOf(c), now, calendar: cal });
    });
    c.header('etag', etagOf(row.id, row.version));
    return c.json(toProcedure(row, legalDay(now), cal, 'agency'), 200);
  };

  app.openapi(routes.queue, async (c) => {
    const { limit, cursor, status } = c.req.valid('query');
    const after = cursor ? decodeCursor('agency_queue', cursor, CREATED_KEY) : undefined;
    const rows = await listAgencyQueue(c.get('sql'), {
      scope: scopeOf(c),
      status,
      after,
      limit,
    });
    const today = legalDay(c.get('deps').clock.now());
    const cal = await calendar(c);
    await recordReads(c, c.get('sql'), rows.slice(0, limit), 'procedure.read');
    return c.json(
      toPage(
        rows,
        limit,
        'agency_queue',
        (r) => [r.submitted_at!.toISOString(), r.id],
        (r) => toProcedure(r, today, cal, 'agency'),
      ),
      200,
    );
  });

  app.openapi(routes.retrieve, async (c) => {
    const id = c.req.valid('param').id;
    const { row, documents } = await transaction(c.get('sql'), async (tx) => {
      const row = await load(c, tx, id);
      await recordReads(c, tx, [row], 'procedure.read');
      return { row, documents: await listDocuments(tx, row.id) };
    });
    c.header('etag', etagOf(row.id, row.version));
    return c.json(
      {
        ...toProcedure(row, legalDay(c.get('deps').clock.now()), await calendar(c), 'agency'),
        documents: documents.map(toDocument),
      },
      200,
    );
  });

  app.openapi(routes.documentContent, async (c) => {
    const { id, document_id } = c.req.valid('param');
    const sql = c.get('sql');
    const document = await transaction(sql, async (tx) => {
      const row = await load(c, tx, id);
      const document = await findDocument(tx, row.id, document_id);
      if (!document) throw new ProblemError('not_found', 'No such document in this procedure.');
      await recordReads(c, tx, [row], 'document.downloaded', { type: 'document', id: document.id });
      return document;
    });
    const bytes = await c.get('deps').documents.get(sql, document.storage_key);
    if (!bytes) throw new Error(`document ${document.id} has no stored content`);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, documentHeaders(document, bytes.length));
  });

  app.openapi(routes.admit, async (c) => {
    const id = c.req.valid('param').id;
    return act(c, id, (tx, { actor, now }) => admitProcedure(tx, id, actor, now));
  });

  app.openapi(routes.require, async (c) => {
    const id = c.req.valid('param').id;
    const { kinds, message } = c.req.valid('json');
    return act(c, id, (tx, args) => issueRequirement(tx, id, { kinds, message, ...args }));
  });

  for (const [route, declare] of [
    [routes.withdrawal, DECLARATIONS.declare_withdrawal],
    [routes.lapseWarning, DECLARATIONS.warn_lapse],
    [routes.lapse, DECLARATIONS.declare_lapse],
  ] as const) {
    app.openapi(route, async (c) => {
      const id = c.req.valid('param').id;
      const text = (c.req.valid('json') as { text?: string } | undefined)?.text;
      return act(c, id, (tx, args) => declare(tx, id, { text, ...args }));
    });
  }

  app.openapi(routes.resolve, async (c) => {
    const id = c.req.valid('param').id;
    const { outcome, text, amount } = c.req.valid('json');
    const resolution = { outcome, text, amount: amount ?? null };
    return act(c, id, (tx, { actor, now, calendar: cal }) => resolveProcedure(tx, id, actor, resolution, now, cal));
  });
}
