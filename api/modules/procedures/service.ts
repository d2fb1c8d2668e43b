import type { Sql } from '../../db/sql';
import { inOrder, transaction } from '../../db/sql';
import { preconditionFailed } from '../../http/etag';
import { zodIssuesToErrors } from '../../http/openapi';
import { fieldProblem, ProblemError, type ProblemFieldError } from '../../http/problem';
import { type CalendarSnapshot, CalendarUnavailableError, procedureTypeTerms } from '../../lib/calendar';
import { addDays } from '../../lib/dates';
import type { HolidayScope } from '../../lib/holidays';
import { newId } from '../../lib/ids';
import { sameJson } from '../../lib/json';
import { legalDay } from '../../lib/legal-day';
import { listDatedProcedures } from '../calendar/queries';
import { withCalendar } from '../calendar/service';
import type { ManagingBody, ProcedureTypeCode } from '../catalog/schemas';
import { listDocuments } from '../documents/queries';
import { emit, type EventType } from '../events/emit';
import type { NotificationKind } from '../notifications/queries';
import { acknowledgeByResponse, makeNotificationAvailable } from '../notifications/service';
import {
  lapseDeclarableFrom,
  latestNotification,
  notificationTerm,
  requirementNotification,
} from '../notifications/terms';
import { maxResolutionBase, maxTermOf, opensPriorClaim, placesOf, registrationDay } from './deadlines';
import { draftFormSchema, formPlaces, placeErrors, validateCompleteForm } from './forms';
import { deadlinesOf } from './mappers';
import {
  findProcedure,
  insertProcedure,
  markSubmitted,
  type NotificationStateJson,
  procedureById,
  type ProcedureRow,
  procedureVersion,
  setCalendarDates,
  setStatus,
  touchProcedure,
  updateDraft,
} from './queries';
import {
  answerRequirement,
  expireOpenRequirements,
  extendRequirement,
  findRequirement,
  insertRequirement,
} from './requirements.queries';
import { assertTransition, nextStatus, type Resolution } from './state-machine';
import { type Actor, memberActedSince, recordTimeline, SYSTEM_ACTOR } from './timeline.queries';

function checkDraftForm(type: ProcedureTypeCode, form: unknown, cal: CalendarSnapshot): Record<string, unknown> {
  const parsed = draftFormSchema(type).safeParse(form);
  const errors = parsed.success
    ? []
    : zodIssuesToErrors(parsed.error.issues, 'body').map((e) => ({ ...e, pointer: `/form${e.pointer}` }));
  errors.push(...placeErrors(cal, form).map((e) => ({ ...e, in: 'body' as const })));
  if (errors.length > 0)
    throw new ProblemError('validation_failed', `The ${type} form has ${errors.length} invalid field(s).`, { errors });
  return form as Record<string, unknown>;
}

/** `procedure.status_changed` for every change of state, plus the specific event when there is one. */
/** A change to one procedure: locked, checked against the state machine, made, and answered as it now stands. */
function changeProcedure(
  sql: Sql,
  id: string,
  action: Parameters<typeof assertTransition>[1],
  work: (tx: Sql, row: ProcedureRow) => Promise<unknown>,
): Promise<ProcedureRow> {
  return transaction(sql, async (tx) => {
    const row = await procedureById(tx, id, { forUpdate: true });
    assertTransition(row.status, action);
    await work(tx, row);
    return procedureById(tx, id);
  });
}

async function emitStatusChange(
  tx: Sql,
  row: Pick<ProcedureRow, 'id' | 'organization_id' | 'livemode' | 'type'>,
  from: string,
  to: string,
  at: Date,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await emit(tx, {
    organizationId: row.organization_id,
    livemode: row.livemode,
    type: 'procedure.status_changed',
    data: { procedure_id: row.id, type: row.type, previous_status: from, status: to, ...extra },
    at,
  });
}

export async function createProcedure(
  sql: Sql,
  args: {
    id: string;
    organizationId: string;
    livemode: boolean;
    memberId: string;
    citizenId: string;
    delegationId: string;
    type: ProcedureTypeCode;
    form: unknown;
    originalProcedureId?: string;
    now: Date;
    calendar: CalendarSnapshot;
  },
): Promise<ProcedureRow> {
  const form = checkDraftForm(args.type, args.form, args.calendar);
  if ((args.type === 'RP') !== (args.originalProcedureId !== undefined)) {
    throw new ProblemError(
      'validation_failed',
      'original_procedure_id is required for RP (reclamación previa) and only for it.',
      {
        errors: [
          {
            pointer: '/original_procedure_id',
            in: 'body',
            detail: args.type === 'RP' ? 'Name the contested procedure.' : 'Only RP procedures take it.',
          },
        ],
      },
    );
  }
  return transaction(sql, async (tx) => {
    if (args.originalProcedureId) {
      const original = await findProcedure(tx, {
        id: args.originalProcedureId,
        organizationId: args.organizationId,
        livemode: args.livemode,
        citizenId: args.citizenId,
      });
      if (!original) {
        throw new ProblemError('validation_failed', 'No such procedure of this client.', {
          errors: [
            { pointer: '/original_procedure_id', in: 'body', detail: 'Must be a procedure of the same client.' },
          ],
        });
      }
      if (!opensPriorClaim(original.type)) {
        const detail = 'A reclamación previa is not contested with another one: its denial goes to court.';
        throw new ProblemError('unprocessable', detail, {
          errors: [{ pointer: '/original_procedure_id', in: 'body', detail }],
        });
      }
      if (!['denied', 'partially_approved', 'submitted', 'in_review', 'action_required'].includes(original.status)) {
        const detail = `A reclamación previa contests a resolution or a silence; the original procedure is ${original.status}.`;
        throw new ProblemError('unprocessable', detail, {
          errors: [{ pointer: '/original_procedure_id', in: 'body', detail }],
        });
      }
      // Unresolved, it can be contested only once silence has arisen (the day after its maximum date).
      if (['submitted', 'in_review', 'action_required'].includes(original.status)) {
        const silence = deadlinesOf(original, legalDay(args.now), args.calendar).presumed_denied_at;
        if (silence === null) {
          const detail =
            'The original procedure is unresolved and its maximum term has not passed: there is no silence yet.';
          throw new ProblemError(
            'unprocessable',
            `A reclamación previa contests a resolution or a silence. ${detail}`,
            {
              errors: [{ pointer: '/original_procedure_id', in: 'body', detail }],
            },
          );
        }
      }
    }
    const id = args.id;
    // Sent together (see `inOrder`): the timeline and the read run after the insert they follow.
    const [, , row] = await inOrder(
      insertProcedure(tx, {
        id,
        organization_id: args.organizationId,
        livemode: args.livemode,
        citizen_id: args.citizenId,
        delegation_id: args.delegationId,
        type: args.type,
        form,
        ...formPlaces(args.calendar, form),
        original_procedure_id: args.originalProcedureId ?? null,
        created_by_member_id: args.memberId,
        at: args.now,
      }),
      recordTimeline(tx, {
        procedureId: id,
        at: args.now,
        actor: { type: 'member', id: args.memberId, name: null },
        action: 'created',
        to: 'draft',
      }),
      procedureById(tx, id),
    );
    return row;
  });
}

export async function updateProcedureForm(
  sql: Sql,
  row: ProcedureRow,
  form: unknown,
  memberId: string,
  now: Date,
  cal: CalendarSnapshot,
): Promise<ProcedureRow> {
  assertTransition(row.status, 'update');
  const checked = checkDraftForm(row.type as ProcedureTypeCode, form, cal);
  const places = formPlaces(cal, checked);
  // The same form (and the places it names): nothing to write, no timeline entry; the procedure
  // is answered as read, at its version, so other clients' ETags stay good.
  if (
    sameJson(checked, row.form) &&
    places.region === row.region &&
    places.applicant_municipality === row.applicant_municipality &&
    places.office_municipality === row.office_municipality
  )
    return row;
  return transaction(sql, async (tx) => {
    if (!(await updateDraft(tx, row.id, checked, places, row.version, now))) {
      // Another change committed between the read and this write: name the version it left.
      const current = (await procedureVersion(tx, row.id)) ?? row.version;
      throw preconditionFailed(row.id, current, 'The procedure changed while you were editing it');
    }
    await recordTimeline(tx, {
      procedureId: row.id,
      at: now,
      actor: { type: 'member', id: memberId, name: null },
      action: 'form_updated',
    });
    return procedureById(tx, row.id);
  });
}

/** The groups of the type's required documents (one of each) the procedure has none of. */
export function missingDocumentGroups(
  cal: CalendarSnapshot,
  row: Pick<ProcedureRow, 'type' | 'document_kinds'>,
): string[][] {
  return procedureTypeTerms(cal, row.type).required_documents.filter(
    (group) => !group.some((kind) => row.document_kinds.includes(kind)),
  );
}

/**
 * A reclamación previa registered after the term to file it (the contested procedure's
 * `prior_claim_deadline`: 30 días hábiles from its resolution's notification, or from the silence;
 * art. 71 LRJS): the contested procedure and the deadline, or null when in time, when the term
 * has not started (an unopened notification) or when it is not an RP.
 */
/** The procedure a reclamación previa contests (undefined for any other type). */
async function contestedBy(tx: Sql, row: ProcedureRow): Promise<ProcedureRow | undefined> {
  if (row.type !== 'RP' || !row.original_procedure_id) return undefined;
  return findProcedure(tx, {
    id: row.original_procedure_id,
    organizationId: row.organization_id,
    livemode: row.livemode,
    citizenId: row.citizen_id,
  });
}

/**
 * The body that decides a procedure, fixed when it is filed; the agency's keys reach only their
 * body's procedures. A reclamación previa goes to the body that decided what it contests (Ley
 * 36/2011, art. 71). A non-contributory pension is decided by the applicant's community, and by
 * the IMSERSO in Ceuta and Melilla. A retirement pension under the sea workers' regime by the ISM.
 * Everything else by the INSS: the forms do not say whether the applicant is a sea worker (other
 * types) or which mutua covers the employer, so nothing is addressed to a mutua or, but for the
 * retirement pension, to the ISM.
 */
export function decidingBody(row: ProcedureRow, contested: ProcedureRow | undefined): ManagingBody {
  if (row.type === 'RP') return (contested?.managing_body as ManagingBody | null | undefined) ?? 'INSS';
  if (row.type === 'PNC') return row.region === 'CE' || row.region === 'ML' ? 'IMSERSO' : 'CCAA';
  if (row.type === 'JUB' && (row.form as { regime?: string }).regime === 'mar') return 'ISM';
  return 'INSS';
}

function lateClaim(
  cal: CalendarSnapshot,
  original: ProcedureRow | undefined,
  today: string,
): { originalId: string; deadline: string } | null {
  if (!original) return null;
  const deadline = deadlinesOf(original, today, cal).prior_claim_deadline;
  // Null also when counting the term reaches a year with no holiday data: it then ends in that
  // year or later, after today (whose own year has data, or the registration day below could not
  // be set and the submission is refused with `calendar_unavailable`), so the claim is in time.
  if (deadline === null) return null;
  // Filed on a day that is not a working one where the term was counted, it counts from the next (art. 31.2.b).
  const filedOn = withCalendar(() => registrationDay(cal, today, placesOf(cal, original)));
  return filedOn > deadline ? { originalId: original.id, deadline } : null;
}

/**
 * Files a draft: complete form and every required document, else 422 listing what is missing
 * and nothing changes. Assigns the registry entry, the registration day and the legal maximum
 * date, and keeps the consent token that authorised it.
 */
export async function submitProcedure(
  sql: Sql,
  args: {
    id: string;
    memberId: string;
    consentToken: string;
    consentJti: string;
    now: Date;
    calendar: CalendarSnapshot;
  },
): Promise<ProcedureRow> {
  const cal = args.calendar;
  return changeProcedure(sql, args.id, 'submit', async (tx, row) => {
    const type = row.type as ProcedureTypeCode;
    const errors: ProblemFieldError[] = [];
    const complete = validateCompleteForm(type, row.form);
    if (!complete.ok) errors.push(...complete.errors.map((e) => ({ ...e, in: 'body' as const })));
    errors.push(...placeErrors(cal, row.form).map((e) => ({ ...e, in: 'body' as const })));
    const missing = missingDocumentGroups(cal, row);
    for (const group of missing) {
      errors.push({ pointer: '/documents', in: 'body', detail: `Missing a document of kind ${group.join(' or ')}.` });
    }
    if (errors.length > 0) {
      throw new ProblemError('unprocessable', `The procedure cannot be submitted yet: ${errors.length} problem(s).`, {
        errors,
        extensions: { missing_documents: missing.map((g) => ({ any_of: g })) },
      });
    }
    const places = placesOf(cal, row);
    const { registeredOn, maxBase } = withCalendar(() => {
      const registered = registrationDay(cal, legalDay(args.now), places);
      return {
        registeredOn: registered,
        maxBase: maxResolutionBase(cal, registered, maxTermOf(cal, row.type), places).deadline,
      };
    });
    const contested = await contestedBy(tx, row);
    const late = lateClaim(cal, contested, legalDay(args.now));
    if (late && !(row.form as { late_filing_reason?: string }).late_filing_reason) {
      const detail = `The term to file a reclamación previa against ${late.originalId} ended on ${late.deadline} (30 días hábiles, art. 71 LRJS); filed now it is registered on ${registeredOn}.`;
      throw new ProblemError(
        'out_of_time',
        `${detail} To file it all the same, give in the form why it should be admitted.`,
        {
          errors: [{ pointer: '/form/late_filing_reason', in: 'body', detail }],
          extensions: { deadline: late.deadline, registered_on: registeredOn },
        },
      );
    }
    const entry = await markSubmitted(tx, {
      id: row.id,
      memberId: args.memberId,
      at: args.now,
      registeredOn,
      maxBase,
      managingBody: decidingBody(row, contested),
      token: args.consentToken,
      jti: args.consentJti,
    });
    await inOrder(
      recordTimeline(tx, {
        procedureId: row.id,
        at: args.now,
        actor: { type: 'member', id: args.memberId, name: null },
        action: 'submitted',
        from: 'draft',
        to: 'submitted',
        details: {
          registry_entry_number: entry,
          registered_on: registeredOn,
          max_resolution_date: maxBase,
          consent_token_id: args.consentJti,
          ...(late ? { out_of_time: { prior_claim_deadline: late.deadline } } : {}),
        },
      }),
      emit(tx, {
        organizationId: row.organization_id,
        livemode: row.livemode,
        type: 'procedure.submitted',
        data: {
          procedure_id: row.id,
          type: row.type,
          status: 'submitted',
          registry_entry_number: entry,
          max_resolution_date: maxBase,
        },
        at: args.now,
      }),
      emitStatusChange(tx, row, 'draft', 'submitted', args.now),
    );
  });
}

const TIMELINE_ACTION = { admit: 'admitted', withdraw: 'withdrawn', resolve: 'resolved' } as const;

async function transition(
  sql: Sql,
  id: string,
  action: 'admit' | 'withdraw' | 'resolve',
  actor: Actor,
  now: Date,
  options: {
    /** With the calendar its notification's term is computed with. */
    resolution?: { outcome: Resolution; text: string; amount: number | null; calendar: CalendarSnapshot };
    details?: Record<string, unknown>;
  } = {},
): Promise<ProcedureRow> {
  return changeProcedure(sql, id, action, async (tx, row) => {
    const to = nextStatus(action, options.resolution?.outcome)!;
    await setStatus(tx, {
      id,
      from: [row.status],
      to,
      at: now,
      resolution: options.resolution ? { text: options.resolution.text, amount: options.resolution.amount } : undefined,
    });
    if (action === 'withdraw') await expireOpenRequirements(tx, id);
    await recordTimeline(tx, {
      procedureId: id,
      at: now,
      actor,
      action: TIMELINE_ACTION[action],
      from: row.status,
      to,
      details: options.details,
    });
    await emitStatusChange(tx, row, row.status, to, now);
    if (options.resolution) {
      await makeNotificationAvailable(tx, {
        row,
        kind: 'resolution',
        content: {
          outcome: options.resolution.outcome,
          text: options.resolution.text,
          amount: options.resolution.amount,
        },
        now,
        calendar: options.resolution.calendar,
      });
      await emit(tx, {
        organizationId: row.organization_id,
        livemode: row.livemode,
        type: 'procedure.resolved',
        data: {
          procedure_id: id,
          type: row.type,
          status: to,
          outcome: options.resolution.outcome,
        },
        at: now,
      });
    }
  });
}

export const admitProcedure = (sql: Sql, id: string, actor: Actor, now: Date) =>
  transition(sql, id, 'admit', actor, now);
export const withdrawProcedure = (sql: Sql, id: string, actor: Actor, now: Date) =>
  transition(sql, id, 'withdraw', actor, now);
/** A resolution grants an amount only when it grants something: a denial carries none. */
export function resolveProcedure(
  sql: Sql,
  id: string,
  actor: Actor,
  resolution: { outcome: Resolution; text: string; amount: number | null },
  now: Date,
  calendar: CalendarSnapshot,
): Promise<ProcedureRow> {
  if (resolution.outcome === 'denied' && resolution.amount !== null)
    throw fieldProblem('/amount', 'A denial grants no amount; send the amount only when the benefit is granted.');
  return transition(sql, id, 'resolve', actor, now, {
    resolution: { ...resolution, calendar },
    // The amount stays with the resolution: it is shown once its notification is opened, the timeline is not.
    details: { outcome: resolution.outcome },
  });
}

/**
 * A requerimiento de subsanación (art. 68), made available to the representative as an
 * electronic notification: its 10 días hábiles run from the day after it is opened or deemed
 * rejected (art. 43.2), so its deadline is not known yet. The resolution clock stops until it is
 * answered.
 */
export async function issueRequirement(
  sql: Sql,
  id: string,
  args: { kinds: string[]; message: string; actor: Actor; now: Date; calendar: CalendarSnapshot },
): Promise<ProcedureRow> {
  return changeProcedure(sql, id, 'require', async (tx, row) => {
    const requirementId = newId('req');
    await insertRequirement(tx, {
      id: requirementId,
      procedure_id: id,
      kinds: args.kinds,
      message: args.message,
      notified_at: args.now,
      notified_on: legalDay(args.now),
      deadline: null,
      issued_by: args.actor.id ?? args.actor.type,
    });
    const notification = await makeNotificationAvailable(tx, {
      row,
      kind: 'requirement',
      requirementId,
      content: { requirement_id: requirementId, kinds: args.kinds, message: args.message },
      now: args.now,
      calendar: args.calendar,
    });
    const pending = { deadline: null, term_starts: 'on_access_or_deemed_rejection', notification_id: notification.id };
    await setStatus(tx, { id, from: [row.status], to: 'action_required', at: args.now });
    await recordTimeline(tx, {
      procedureId: id,
      at: args.now,
      actor: args.actor,
      action: 'requirement_issued',
      from: row.status,
      to: 'action_required',
      details: { requirement_id: requirementId, kinds: args.kinds, ...pending },
    });
    await emit(tx, {
      organizationId: row.organization_id,
      livemode: row.livemode,
      type: 'procedure.requirement_issued',
      data: {
        procedure_id: id,
        type: row.type,
        status: 'action_required',
        requirement_id: requirementId,
        kinds: args.kinds,
        ...pending,
      },
      at: args.now,
    });
    await emitStatusChange(tx, row, row.status, 'action_required', args.now, { requirement_id: requirementId });
  });
}

/** The representative answers (documents already uploaded), or asks once for 5 more días hábiles. */
export async function respondToRequirement(
  sql: Sql,
  args: {
    procedureId: string;
    requirementId: string;
    message: string | null;
    extension: boolean;
    memberId: string;
    now: Date;
    calendar: CalendarSnapshot;
  },
): Promise<ProcedureRow> {
  return transaction(sql, async (tx) => {
    let row = await procedureById(tx, args.procedureId, { forUpdate: true });
    const requirement = await findRequirement(tx, args.procedureId, args.requirementId);
    if (!requirement) throw new ProblemError('not_found', 'No such requirement.');
    if (requirement.status !== 'open') {
      throw new ProblemError('invalid_state_transition', `The requirement is already ${requirement.status}.`, {
        extensions: { current_state: requirement.status, allowed_from: ['open'] },
      });
    }
    const actor: Actor = { type: 'member', id: args.memberId, name: null };
    if (
      await acknowledgeByResponse(
        tx,
        args.calendar,
        row,
        requirementNotification(row, requirement.id),
        args.memberId,
        args.now,
      )
    ) {
      row = await procedureById(tx, args.procedureId);
    }
    if (args.extension) {
      assertTransition(row.status, 'extend_requirement');
      if (requirement.extended)
        throw new ProblemError('conflict', 'The extension of 5 días hábiles can be asked only once.');
      const today = legalDay(args.now);
      const notification = requirementNotification(row, requirement.id);
      const term = notification ? withCalendar(() => notificationTerm(args.calendar, row, notification, today)) : null;
      if (term?.deadline && today > term.deadline) {
        throw new ProblemError(
          'conflict',
          `The term ended on ${term.deadline}; an extension must be asked before it ends (art. 32.3).`,
        );
      }
      const extended = {
        ...row,
        requirements: row.requirements.map((r) => (r.id === requirement.id ? { ...r, extended: true } : r)),
      };
      const deadline = notification
        ? withCalendar(() => notificationTerm(args.calendar, extended, notification, today).deadline)
        : null;
      await extendRequirement(tx, requirement.id, null);
      await touchProcedure(tx, row.id, args.now);
      await recordTimeline(tx, {
        procedureId: row.id,
        at: args.now,
        actor,
        action: 'requirement_extended',
        // Why more time is needed (art. 32.1 grants it when circumstances advise it): the caseworker reads it here.
        details: { requirement_id: requirement.id, deadline, ...(args.message ? { message: args.message } : {}) },
      });
      await emit(tx, {
        organizationId: row.organization_id,
        livemode: row.livemode,
        type: 'procedure.requirement_extended',
        data: { procedure_id: row.id, type: row.type, status: row.status, requirement_id: requirement.id, deadline },
        at: args.now,
      });
      return procedureById(tx, row.id);
    }
    assertTransition(row.status, 'answer_requirement');
    // Only documents uploaded in answer to this requirement count: the defective ones are already on file.
    const answered = (await listDocuments(tx, row.id))
      .filter((d) => d.requirement_id === requirement.id)
      .map((d) => d.kind);
    const missing = requirement.kinds.filter((kind) => !answered.includes(kind));
    if (missing.length > 0) {
      throw new ProblemError('unprocessable', `Upload the required documents first: ${missing.join(', ')}.`, {
        errors: missing.map((kind) => ({
          pointer: '/documents',
          in: 'body' as const,
          detail: `Missing a document of kind ${kind}.`,
        })),
      });
    }
    await answerRequirement(tx, requirement.id, args.message, args.now, legalDay(args.now));
    await setStatus(tx, { id: row.id, from: ['action_required'], to: 'in_review', at: args.now });
    await recordTimeline(tx, {
      procedureId: row.id,
      at: args.now,
      actor,
      action: 'requirement_answered',
      from: 'action_required',
      to: 'in_review',
      details: { requirement_id: requirement.id },
    });
    await emitStatusChange(tx, row, 'action_required', 'in_review', args.now, { requirement_id: requirement.id });
    return procedureById(tx, args.procedureId);
  });
}

const DEFAULT_TEXT = {
  withdrawal_declaration:
    'Se le tiene por desistido de su solicitud por no atender el requerimiento de subsanación en plazo (arts. 68.1 y 94 de la Ley 39/2015).',
  lapse_warning:
    'Paralizado el procedimiento por causa imputable a usted: transcurridos tres meses se producirá su caducidad (art. 95.1 de la Ley 39/2015).',
  lapse_declaration:
    'Se declara la caducidad del procedimiento y se acuerda el archivo de las actuaciones (art. 95.1 de la Ley 39/2015).',
} as const;

/** What an agency warning or declaration is made with; without a text, the standard one of its kind. */
type AgencyNotice = { text?: string; actor: Actor; now: Date; calendar: CalendarSnapshot };

/** The procedure's end each agency declaration brings: its notification, timeline action and event. */
const DECLARED_ENDS = {
  withdrawn: {
    kind: 'withdrawal_declaration',
    action: 'withdrawal_declared',
    eventType: 'procedure.withdrawal_declared',
  },
  lapsed: { kind: 'lapse_declaration', action: 'lapse_declared', eventType: 'procedure.lapsed' },
} as const satisfies Record<string, { kind: NotificationKind; action: string; eventType: EventType }>;

function termNotElapsed(what: string, deadline: string | null): ProblemError {
  const earliest = deadline ? addDays(deadline, 1) : null;
  return new ProblemError(
    'term_not_elapsed',
    deadline
      ? `${what} ends on ${deadline}; this may be done from ${earliest}.`
      : `${what} has not started: its notification has been neither opened nor deemed rejected.`,
    { extensions: { term_deadline: deadline, earliest_on: earliest } },
  );
}

/** Ends the procedure by an agency declaration: new state, notification, timeline entry and events. */
async function declareEnd(
  tx: Sql,
  row: ProcedureRow,
  to: keyof typeof DECLARED_ENDS,
  args: AgencyNotice,
  declared: Record<string, unknown>,
): Promise<void> {
  const end = DECLARED_ENDS[to];
  await setStatus(tx, { id: row.id, from: [row.status], to, at: args.now });
  await expireOpenRequirements(tx, row.id);
  const notification = await makeNotificationAvailable(tx, {
    row,
    kind: end.kind,
    content: { text: args.text ?? DEFAULT_TEXT[end.kind], ...declared },
    now: args.now,
    calendar: args.calendar,
  });
  const details = { ...declared, notification_id: notification.id };
  await recordTimeline(tx, {
    procedureId: row.id,
    at: args.now,
    actor: args.actor,
    action: end.action,
    from: row.status,
    to,
    details,
  });
  await emit(tx, {
    organizationId: row.organization_id,
    livemode: row.livemode,
    type: end.eventType,
    data: { procedure_id: row.id, type: row.type, status: to, ...details },
    at: args.now,
  });
  await emitStatusChange(tx, row, row.status, to, args.now);
}

/**
 * The agency declares the application withdrawn (arts. 68.1 and 94) once the open requirement's
 * term has passed unanswered: from the day after its deadline, never earlier.
 */
export async function declareWithdrawal(sql: Sql, id: string, args: AgencyNotice): Promise<ProcedureRow> {
  return changeProcedure(sql, id, 'declare_withdrawal', async (tx, row) => {
    const today = legalDay(args.now);
    const open = row.requirements.find((r) => r.status === 'open');
    const notification = open ? requirementNotification(row, open.id) : undefined;
    if (!open || !notification)
      throw new ProblemError('conflict', 'There is no open requirement whose term could have passed.');
    const term = withCalendar(() => notificationTerm(args.calendar, row, notification, today));
    if (!term.deadline || today <= term.deadline) throw termNotElapsed("The requirement's term", term.deadline);
    await declareEnd(tx, row, 'withdrawn', args, { requirement_id: open.id, requirement_deadline: term.deadline });
  });
}

/** Caducidad, first step (art. 95.1): the agency warns that the standstill the applicant caused will lapse the procedure in three months. */
export async function warnLapse(sql: Sql, id: string, args: AgencyNotice): Promise<ProcedureRow> {
  return changeProcedure(sql, id, 'warn_lapse', async (tx, row) => {
    const notification = await makeNotificationAvailable(tx, {
      row,
      kind: 'lapse_warning',
      content: { text: args.text ?? DEFAULT_TEXT.lapse_warning },
      now: args.now,
      calendar: args.calendar,
    });
    const details = { notification_id: notification.id };
    await touchProcedure(tx, row.id, args.now);
    await recordTimeline(tx, { procedureId: row.id, at: args.now, actor: args.actor, action: 'lapse_warned', details });
    await emit(tx, {
      organizationId: row.organization_id,
      livemode: row.livemode,
      type: 'procedure.lapse_warned',
      data: { procedure_id: row.id, type: row.type, status: row.status, ...details },
      at: args.now,
    });
  });
}

/**
 * The representative has acted on the procedure since the lapse warning was made available
 * (opening the warning itself does not count): the standstill it warned of has ended, and
 * caducidad may not be declared on it (art. 95.1).
 */
export function standstillEndedSince(
  sql: Sql,
  procedureId: string,
  warning: Pick<NotificationStateJson, 'made_available_at'>,
): Promise<boolean> {
  return memberActedSince(sql, procedureId, new Date(warning.made_available_at), ['notification_accessed']);
}

/**
 * Caducidad declared (art. 95.1): three months (date to date, art. 30.4) after the warning took
 * effect, from the next day, and only if the applicant has not acted since the warning.
 */
export async function declareLapse(sql: Sql, id: string, args: AgencyNotice): Promise<ProcedureRow> {
  return changeProcedure(sql, id, 'declare_lapse', async (tx, row) => {
    const warning = latestNotification(row, 'lapse_warning');
    if (!warning) throw new ProblemError('conflict', 'Caducidad needs a prior warning (art. 95.1); warn first.');
    const today = legalDay(args.now);
    const term = withCalendar(() => notificationTerm(args.calendar, row, warning, today));
    const from = lapseDeclarableFrom(term);
    if (!from || today < from) throw termNotElapsed('The three months after the lapse warning', term.deadline);
    if (await standstillEndedSince(tx, row.id, warning)) {
      throw new ProblemError(
        'conflict',
        'The representative acted on the procedure after the lapse warning; the standstill ended. Warn again if it recurs.',
      );
    }
    await declareEnd(tx, row, 'lapsed', args, { lapse_warning_id: warning.id, warning_term_ended_on: term.deadline });
  });
}

function dependsOn(cal: CalendarSnapshot, row: ProcedureRow, scope: HolidayScope, code: string | null): boolean {
  if (scope === 'national') return true;
  return placesOf(cal, row).some((p) =>
    scope === 'region' ? p.region === code : scope === 'area' ? p.area === code : p.municipality === code,
  );
}

/** The caseworker's declarations that take only a text, by the name the state machine gives each. */
export const DECLARATIONS = {
  declare_withdrawal: declareWithdrawal,
  warn_lapse: warnLapse,
  declare_lapse: declareLapse,
} as const;

/**
 * After the administrator changed the calendar: the stored dates of every live procedure whose
 * places the change touches (registration day, maximum date base) computed again; each procedure
 * that moved gets a timeline entry naming the change. Deadlines derived at read time (maximum date
 * with suspensions, silence, the terms notifications open: requirements, reclamación previa,
 * caducidad) follow by themselves.
 */
export async function recomputeCalendarDates(
  tx: Sql,
  cal: CalendarSnapshot,
  change: { scope: HolidayScope; code: string | null; year: number; changeId: string },
  now: Date,
): Promise<Array<{ id: string; organization_id: string; livemode: boolean }>> {
  const moved: Array<{ id: string; organization_id: string; livemode: boolean }> = [];
  for (const { id } of await listDatedProcedures(tx)) {
    const row = await procedureById(tx, id);
    if (!dependsOn(cal, row, change.scope, change.code)) continue;
    const places = placesOf(cal, row);
    try {
      const registeredOn = registrationDay(cal, legalDay(row.submitted_at!), places);
      const maxBase = maxResolutionBase(cal, registeredOn, maxTermOf(cal, row.type), places).deadline;
      if (registeredOn === row.registered_on && maxBase === row.max_resolution_base) continue;
      await setCalendarDates(tx, { id, registeredOn, maxBase, at: now });
      await recordTimeline(tx, {
        procedureId: id,
        at: now,
        actor: SYSTEM_ACTOR,
        action: 'calendar_recomputed',
        details: {
          calendar_change_id: change.changeId,
          registered_on: { before: row.registered_on, after: registeredOn },
          max_resolution_base: { before: row.max_resolution_base, after: maxBase },
        },
      });
      moved.push({ id, organization_id: row.organization_id, livemode: row.livemode });
    } catch (error) {
      // A procedure reaching a year without data keeps its dates; its reads say the calendar is unavailable.
      if (!(error instanceof CalendarUnavailableError)) throw error;
    }
  }
  return moved;
}
