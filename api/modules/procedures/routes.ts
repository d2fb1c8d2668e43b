import type { Context } from 'hono';

import { type Sql, transaction } from '../../db/sql';
import { organizationPrincipal } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { checkIfMatch, etagOf } from '../../http/etag';
import { created, fileResponse, get, ok, patch, post, routesOf } from '../../http/openapi';
import { CREATED_KEY, decodeCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import type { CalendarSnapshot } from '../../lib/calendar';
import { newId } from '../../lib/ids';
import { legalToday } from '../../lib/legal-day';
import { calendarVersionPayload } from '../calendar/queries';
import { type Consent, consentedRead, consentedWrite, type ConsentNeed, throughGate } from '../consent/gate';
import { contentDisposition } from '../documents/files';
import { toProcedure, toProcedureSummary, toTimeline } from './mappers';
import { type GatedProcedureRow, listProcedures, procedurePayload, receiptPayload, type ReceiptRow } from './queries';
import { receiptOf } from './receipt';
import {
  CreateProcedureBody,
  ListProceduresQuery,
  ProcedurePageSchema,
  ProcedureParams,
  ProcedureSchema,
  RequirementParams,
  RequirementResponseBody,
  TimelineSchema,
  UpdateProcedureBody,
} from './schemas';
import {
  createProcedure,
  respondToRequirement,
  submitProcedure,
  updateProcedureForm,
  withdrawProcedure,
} from './service';
import { timelineFromJson, timelinePayload } from './timeline.queries';

const routes = routesOf('Procedures', {
  createProcedure: post('/v1/procedures', {
    etag: true,
    operationId: 'createProcedure',
    summary: 'Start a procedure (draft) for the client of the consent token',
    description: 'Needs the `file` capacity for the type. The form may be incomplete; submission checks it in full.',
    auth: 'orgConsentedWrite',
    body: CreateProcedureBody,
    problems: ['unprocessable'],
    responses: created('The draft.', ProcedureSchema),
  }),
  listProcedures: get('/v1/procedures', {
    operationId: 'listProcedures',
    summary: "List the organisation's procedures",
    description:
      "Only procedures of clients the organisation still represents (an active delegation covering the type), and none while the organisation is registered as non-practising (no ejerciente), who may not represent anyone; most recently changed first. No consent token needed: each item is the procedure's state, legal dates and what it still needs, without its contents (the form, the resolution's text and amount, the requirements' messages and answers). Those are read with `retrieveProcedure` under the client's consent token, which the client's access log records.",
    auth: 'orgRead',
    query: ListProceduresQuery,
    responses: ok('A page of procedures.', ProcedurePageSchema),
  }),
  retrieveProcedure: get('/v1/procedures/{id}', {
    etag: true,
    operationId: 'retrieveProcedure',
    summary: 'Retrieve a procedure',
    description:
      'With its deadlines computed for today. An act notified electronically (a requirement, a resolution) shows its text once its notification has taken effect: until it is opened or deemed rejected, `content_withheld` is true. Answers an `ETag` to send as `If-Match` when updating.',
    auth: 'orgConsentedRead',
    params: ProcedureParams,
    responses: ok('The procedure.', ProcedureSchema),
  }),
  updateProcedure: patch('/v1/procedures/{id}', {
    etag: true,
    ifMatch: true,
    operationId: 'updateProcedure',
    summary: 'Replace the form of a draft',
    description:
      "Drafts only. Send the `ETag` of your last read as `If-Match` to avoid overwriting someone else's change (412 if it moved). " +
      'A form equal to the one the draft holds (whatever the order of its keys) writes nothing: it answers the procedure as it is, with its version and `ETag` unchanged, and adds nothing to its timeline.',
    auth: 'orgConsentedWrite',
    params: ProcedureParams,
    body: UpdateProcedureBody,
    problems: ['precondition_failed', 'invalid_state_transition'],
    responses: ok('The procedure.', ProcedureSchema),
  }),
  submit: post('/v1/procedures/{id}/submit', {
    etag: true,
    operationId: 'submitProcedure',
    summary: 'File the procedure',
    description:
      'Checks the complete form and every required document (422 listing what is missing, and nothing changes). Assigns the registry entry number, the registration day ' +
      "(the next working day when filed on a non-working one) and the legal maximum date for the applicant's community, and keeps the consent token that authorised it. " +
      "A reclamación previa registered after its term (the contested procedure's `prior_claim_deadline`) is refused with 422 `out_of_time`, unless its form gives `late_filing_reason`.",
    auth: 'orgConsentedWrite',
    params: ProcedureParams,
    problems: ['invalid_state_transition', 'unprocessable', 'out_of_time', 'calendar_unavailable'],
    responses: ok('The procedure.', ProcedureSchema),
  }),
  withdraw: post('/v1/procedures/{id}/withdraw', {
    etag: true,
    operationId: 'withdrawProcedure',
    summary: 'Withdraw (desistimiento)',
    description: 'Needs the `withdraw` capacity, which the citizen must have granted explicitly.',
    auth: 'orgConsentedWrite',
    params: ProcedureParams,
    problems: ['invalid_state_transition'],
    responses: ok('The procedure.', ProcedureSchema),
  }),
  timeline: get('/v1/procedures/{id}/timeline', {
    operationId: 'listProcedureTimeline',
    summary: 'Every change of a procedure',
    description:
      'The audit trail of one procedure, oldest first: every status change, document, requirement and resolution, with who acted and when. Needs a consent token.',
    auth: 'orgConsentedRead',
    params: ProcedureParams,
    responses: ok('The timeline, oldest first.', TimelineSchema),
  }),
  receipt: get('/v1/procedures/{id}/receipt', {
    operationId: 'retrieveProcedureReceipt',
    summary: 'The filing receipt (justificante de presentación), as PDF',
    description:
      'The justificante de presentación of a submitted procedure as a PDF, with the registry entry number and date. A draft has none yet (409 `invalid_state_transition`). Needs a consent token.',
    auth: 'orgConsentedRead',
    params: ProcedureParams,
    problems: ['invalid_state_transition'],
    responses: {
      200: fileResponse('The receipt.', 'application/pdf'),
    },
  }),
  respond: post('/v1/procedures/{id}/requirements/{requirement_id}/response', {
    etag: true,
    operationId: 'respondToRequirement',
    summary: 'Answer a requirement (or ask once for 5 more días hábiles)',
    description:
      'Upload the required documents first (while the procedure is `action_required`); answering resumes the resolution clock. Needs the `respond` capacity.',
    auth: 'orgConsentedWrite',
    params: RequirementParams,
    body: RequirementResponseBody,
    problems: ['invalid_state_transition', 'unprocessable', 'conflict', 'calendar_unavailable'],
    responses: ok('The procedure.', ProcedureSchema),
  }),
});

export function registerProcedures(app: App): void {
  const today = (c: Context<AppEnv>) => legalToday(c.get('deps').clock);
  /** The calendar snapshot; with the version a gated read returned, no query when it is current. */
  const calendar = (c: Context<AppEnv>, version?: number) => c.get('deps').calendar.ensure(c.get('sql'), version);

  /** A consented write on a procedure, read with the gate: its result, and the calendar its dates are computed with. */
  const write = <T>(
    c: Context<AppEnv>,
    need: ConsentNeed & { procedureId: string },
    work: (tx: Sql, row: GatedProcedureRow, consent: Consent, cal: CalendarSnapshot) => Promise<T>,
  ) =>
    consentedWrite<GatedProcedureRow, readonly [T, CalendarSnapshot]>(
      c,
      need,
      (tx) => procedurePayload(tx, need.procedureId),
      async (tx, row, consent) => {
        const cal = await c.get('deps').calendar.ensure(tx, row.calendar_version);
        return [await work(tx, row, consent, cal), cal] as const;
      },
    );

  app.openapi(routes.createProcedure, async (c) => {
    const body = c.req.valid('json');
    const id = newId('prc');
    const [row, cal] = await transaction(c.get('sql'), async (tx) => {
      // The gate's statement reads the calendar version too: no round trip of its own. A changed
      // calendar reloads in this transaction, as in `write` above (only when its version moved).
      const { consent, row: version } = await throughGate<{ calendar_version: number }>(
        c,
        tx,
        {
          capacity: 'file',
          procedureType: body.type,
          action: 'procedure.created',
          resource: { type: 'procedure', id },
        },
        calendarVersionPayload(tx),
      );
      const cal = await c.get('deps').calendar.ensure(tx, version!.calendar_version);
      const created = await createProcedure(tx, {
        id,
        organizationId: consent.principal.organizationId,
        livemode: consent.principal.livemode,
        memberId: consent.principal.memberId,
        citizenId: consent.citizenId,
        delegationId: consent.delegationId,
        type: body.type,
        form: body.form ?? {},
        originalProcedureId: body.original_procedure_id,
        now: c.get('deps').clock.now(),
        calendar: cal,
      });
      return [created, cal] as const;
    });
    c.header('etag', etagOf(row.id, row.version));
    return c.json(toProcedure(row, today(c), cal), 201);
  });

  app.openapi(routes.listProcedures, async (c) => {
    const principal = organizationPrincipal(c);
    const { limit, cursor, status, type, updated_since } = c.req.valid('query');
    const after = cursor ? decodeCursor('procedures', cursor, CREATED_KEY) : undefined;
    const day = today(c);
    const rows = await listProcedures(c.get('sql'), {
      organizationId: principal.organizationId,
      livemode: principal.livemode,
      practising: principal.practising,
      today: day,
      status,
      type,
      updatedSince: updated_since ? new Date(updated_since) : undefined,
      after,
      limit,
    });
    // The version came with the rows; an empty page needs no calendar at all.
    const cal = rows[0] ? await calendar(c, rows[0].calendar_version) : undefined;
    return c.json(
      toPage(
        rows,
        limit,
        'procedures',
        (r) => [r.updated_at.toISOString(), r.id],
        (r) => toProcedureSummary(r, day, cal!),
      ),
      200,
    );
  });

  app.openapi(routes.retrieveProcedure, async (c) => {
    const id = c.req.valid('param').id;
    const { row } = await consentedRead<GatedProcedureRow>(
      c,
      { capacity: 'consult', action: 'procedure.read', procedureId: id },
      procedurePayload(c.get('sql'), id),
    );
    c.header('etag', etagOf(row!.id, row!.version));
    return c.json(toProcedure(row!, today(c), await calendar(c, row!.calendar_version)), 200);
  });

  app.openapi(routes.updateProcedure, async (c) => {
    const id = c.req.valid('param').id;
    const [updated, cal] = await write(
      c,
      { capacity: 'file', action: 'procedure.updated', procedureId: id },
      async (tx, row, consent, cal) => {
        checkIfMatch(c, row.id, row.version);
        return updateProcedureForm(
          tx,
          row,
          c.req.valid('json').form,
          consent.principal.memberId,
          c.get('deps').clock.now(),
          cal,
        );
      },
    );
    c.header('etag', etagOf(updated.id, updated.version));
    return c.json(toProcedure(updated, today(c), cal), 200);
  });

  app.openapi(routes.submit, async (c) => {
    const id = c.req.valid('param').id;
    const [row, cal] = await write(
      c,
      { capacity: 'file', action: 'procedure.submitted', procedureId: id },
      (tx, _row, consent, cal) =>
        submitProcedure(tx, {
          id,
          memberId: consent.principal.memberId,
          consentToken: consent.token,
          consentJti: consent.claims.jti,
          now: c.get('deps').clock.now(),
          calendar: cal,
        }),
    );
    c.header('etag', etagOf(row.id, row.version));
    return c.json(toProcedure(row, today(c), cal), 200);
  });

  app.openapi(routes.withdraw, async (c) => {
    const id = c.req.valid('param').id;
    const [row, cal] = await write(
      c,
      { capacity: 'withdraw', action: 'procedure.withdrawn', procedureId: id },
      (tx, _row, consent) =>
        withdrawProcedure(
          tx,
          id,
          { type: 'member', id: consent.principal.memberId, name: null },
          c.get('deps').clock.now(),
        ),
    );
    c.header('etag', etagOf(row.id, row.version));
    return c.json(toProcedure(row, today(c), cal), 200);
  });

  app.openapi(routes.timeline, async (c) => {
    const id = c.req.valid('param').id;
    const { row } = await consentedRead<{ entries: Parameters<typeof timelineFromJson>[0] }>(
      c,
      { capacity: 'consult', action: 'procedure.timeline_read', procedureId: id },
      timelinePayload(c.get('sql'), id),
    );
    return c.json(toTimeline(timelineFromJson(row!.entries)), 200);
  });

  app.openapi(routes.receipt, async (c) => {
    const id = c.req.valid('param').id;
    const sql = c.get('sql');
    const { row } = await consentedRead<ReceiptRow>(
      c,
      {
        capacity: 'consult',
        action: 'procedure.receipt_read',
        procedureId: id,
        // A draft has no receipt: refused with the gate, so nothing is logged as read.
        resourceExists: sql`target.registry_entry_number is not null`,
        resourceMissing: (facts) =>
          new ProblemError('invalid_state_transition', 'A draft has no filing receipt; submit it first.', {
            extensions: { current_state: facts.procedure_status, allowed_from: ['submitted'] },
          }),
      },
      receiptPayload(sql, id),
    );
    const receipt = row!;
    const pdf = await receiptOf(receipt, today(c), await calendar(c, receipt.calendar_version));
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': contentDisposition(`justificante-${receipt.registry_entry_number}.pdf`),
    });
  });

  app.openapi(routes.respond, async (c) => {
    const { id, requirement_id } = c.req.valid('param');
    const body = c.req.valid('json');
    const action = body.request_extension ? 'requirement.extension_requested' : 'requirement.answered';
    const [row, cal] = await write(c, { capacity: 'respond', action, procedureId: id }, (tx, _row, consent, cal) =>
      respondToRequirement(tx, {
        procedureId: id,
        requirementId: requirement_id,
        message: body.message ?? null,
        extension: body.request_extension ?? false,
        memberId: consent.principal.memberId,
        now: c.get('deps').clock.now(),
        calendar: cal,
      }),
    );
    c.header('etag', etagOf(row.id, row.version));
    return c.json(toProcedure(row, today(c), cal), 200);
  });
}
