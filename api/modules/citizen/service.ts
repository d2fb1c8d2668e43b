import type { Sql } from '../../db/sql';
import type { Calendar } from '../../deps';
import type { DocumentStorage } from '../../deps';
import type { CitizenPrincipal } from '../../http/auth';
import { fieldProblem, ProblemError } from '../../http/problem';
import { type CalendarSnapshot, CalendarUnavailableError } from '../../lib/calendar';
import { newId } from '../../lib/ids';
import { legalDay } from '../../lib/legal-day';
import type { AccessAction } from '../access-log/actions';
import { type AccessLogFilter, type AccessLogRow, insertAccessLog, listAccessLog } from '../access-log/queries';
import { findProcedureType, type ProcedureTypeRow } from '../catalog/queries';
import { type DocumentRow, findDocument, listDocuments } from '../documents/queries';
import { lapseDeclarableFrom, latestNotification, notificationTerm } from '../notifications/terms';
import { opensPriorClaim, placesOf, presumedDeniedOn, priorClaimDeadline } from '../procedures/deadlines';
import { toProcedure } from '../procedures/mappers';
import {
  findProcedure,
  listCitizenProcedures,
  type NotificationStateJson,
  type ProcedureRow,
  type ProcedureStateRow,
  type ReceiptRow,
} from '../procedures/queries';
import { receiptOf } from '../procedures/receipt';
import type { Procedure } from '../procedures/schemas';
import { standstillEndedSince } from '../procedures/service';
import { listTimeline, type TimelineRow } from '../procedures/timeline.queries';
import { type HolderRow, listHolders, readOwnReceipt } from './queries';

/** Whose data and which mode: the signed-in citizen, live only in production. */
export interface CitizenScope {
  citizenId: string;
  livemode: boolean | undefined;
  now: Date;
}

export function scopeOf(principal: CitizenPrincipal, livemode: boolean | undefined, now: Date): CitizenScope {
  return { citizenId: principal.citizenId, livemode, now };
}

/** The legal day of the request (`legalDay`): every "today" a deadline is judged against. */
export function todayOf(scope: CitizenScope): string {
  return legalDay(scope.now);
}

/* ------------------------------------------------------------------ procedures */

export interface MyProcedureSummary {
  row: ProcedureRow;
  holder: HolderRow;
  /** The procedure as the API answers it, computed once: its legal dates, and a notified act's text once its notification has taken effect. */
  procedure: Procedure;
}

/** A page of the procedures filed or drafted in the citizen's name by anyone, whatever became of the delegation. */
export async function listMyProcedures(
  sql: Sql,
  scope: CitizenScope,
  cal: CalendarSnapshot,
  page: { after?: [string, string]; limit: number },
): Promise<MyProcedureSummary[]> {
  const rows = await listCitizenProcedures(sql, {
    citizenId: scope.citizenId,
    livemode: scope.livemode,
    after: page.after,
    limit: page.limit,
  });
  const today = todayOf(scope);
  const holders = new Map(
    (await listHolders(sql, scope.citizenId, [...new Set(rows.map((r) => r.delegation_id))], today)).map((h) => [
      h.delegation_id,
      h,
    ]),
  );
  return rows.map((row) => ({
    row,
    holder: holders.get(row.delegation_id)!,
    procedure: toProcedure(row, today, cal),
  }));
}

/** What a requirement still lacks: each kind it asked for with no document uploaded for it. */
export function missingForRequirement(
  requirement: { id: string; kinds: readonly string[] },
  documents: readonly DocumentRow[],
): string[] {
  return requirement.kinds.filter(
    (kind) => !documents.some((d) => d.requirement_id === requirement.id && d.kind === kind),
  );
}

/**
 * The legal dates of a procedure, as statements a page can put in words. Every date is one the
 * deadline code computes (`deadlinesOf` and the functions in procedures/deadlines.ts).
 */
export type LegalDate =
  | { code: 'not_filed' }
  | { code: 'registered'; date: string }
  | { code: 'resolve_by'; date: string; silence: 'negative' | 'positive' }
  | { code: 'prior_claim_if_silent'; date: string }
  | { code: 'clock_suspended'; date: string }
  | { code: 'presumed_denied'; date: string }
  | { code: 'presumed_approved'; date: string }
  | { code: 'prior_claim_until'; date: string }
  | { code: 'dates_unknown' }
  | { code: 'court_claim' }
  | { code: 'lapse_warned_unopened'; date: string }
  | { code: 'lapse_declarable_from'; date: string };

const RUNNING = ['submitted', 'in_review', 'action_required'];
const DENIED = ['denied', 'partially_approved'];

/**
 * A lapse warning that can still lead to caducidad (art. 95.1), judged on `today`: the procedure's
 * latest, while the procedure runs and the representative has not acted since (`lapseWarningOf`).
 */
export interface StandingLapseWarning {
  warning: NotificationStateJson;
  today: string;
}

export function legalDatesOf(
  row: ProcedureStateRow,
  type: Pick<ProcedureTypeRow, 'silence_effect'>,
  deadlines: Procedure['deadlines'],
  cal: CalendarSnapshot,
  lapse?: StandingLapseWarning,
): LegalDate[] {
  if (!row.registered_on) return [{ code: 'not_filed' }];
  const out: LegalDate[] = [{ code: 'registered', date: row.registered_on }];
  const silence = type.silence_effect === 'positive' ? 'positive' : 'negative';
  const claimable = silence === 'negative' && opensPriorClaim(row.type);
  if (RUNNING.includes(row.status)) {
    // Only while it suspends the term: a requirement notified after the term had ended suspends nothing.
    const suspendedUntil = deadlines.clock === 'suspended' ? deadlines.requirement_deadline : null;
    if (suspendedUntil) out.push({ code: 'clock_suspended', date: suspendedUntil });
    if (deadlines.presumed_denied_at) {
      out.push({
        code: silence === 'positive' ? 'presumed_approved' : 'presumed_denied',
        date: deadlines.presumed_denied_at,
      });
      if (claimable && deadlines.prior_claim_deadline)
        out.push({ code: 'prior_claim_until', date: deadlines.prior_claim_deadline });
    } else if (deadlines.max_resolution_date) {
      out.push({ code: 'resolve_by', date: deadlines.max_resolution_date, silence });
      if (claimable) {
        const ifSilent = prospectivePriorClaim(cal, row, deadlines.max_resolution_date);
        if (ifSilent) out.push({ code: 'prior_claim_if_silent', date: ifSilent });
      }
    } else if (!suspendedUntil) {
      out.push({ code: 'dates_unknown' });
    }
    const lapseDate = lapse ? lapseDateOf(cal, row, lapse) : undefined;
    if (lapseDate) out.push(lapseDate);
  }
  if (DENIED.includes(row.status) && claimable && deadlines.prior_claim_deadline)
    out.push({ code: 'prior_claim_until', date: deadlines.prior_claim_deadline });
  // A reclamación previa denied, expressly or by silence: what follows is a claim in court.
  const denied = DENIED.includes(row.status) || (RUNNING.includes(row.status) && deadlines.presumed_denied_at);
  if (denied && silence === 'negative' && !opensPriorClaim(row.type)) out.push({ code: 'court_claim' });
  return out;
}

/** The last day of the reclamación previa should the maximum date pass in silence, in the procedure's places. */
function prospectivePriorClaim(cal: CalendarSnapshot, row: ProcedureStateRow, maxDate: string): string | undefined {
  try {
    return priorClaimDeadline(cal, presumedDeniedOn(maxDate), placesOf(cal, row)).deadline;
  } catch (error) {
    if (error instanceof CalendarUnavailableError) return undefined;
    throw error;
  }
}

/**
 * What a standing lapse warning means in dates, by the rule the agency's declaration is checked
 * against (`notificationTerm`, `lapseDeclarableFrom`): unopened, the day its notification is deemed
 * rejected (the three months count from the day after it is opened or rejected); in effect, the
 * first day caducidad may be declared. Nothing while a year it reaches has no holiday data.
 */
function lapseDateOf(
  cal: CalendarSnapshot,
  row: ProcedureStateRow,
  lapse: StandingLapseWarning,
): LegalDate | undefined {
  try {
    const term = notificationTerm(cal, row, lapse.warning, lapse.today);
    const from = lapseDeclarableFrom(term);
    if (from) return { code: 'lapse_declarable_from', date: from };
    if (term.effectiveOn === null) return { code: 'lapse_warned_unopened', date: term.deemedRejectedOn };
    return undefined;
  } catch (error) {
    if (error instanceof CalendarUnavailableError) return undefined;
    throw error;
  }
}

/**
 * The procedure's latest lapse warning while it can still lead to caducidad: the procedure runs,
 * and the representative has not acted on it since (`standstillEndedSince`, the rule the
 * agency's declaration is refused by).
 */
async function lapseWarningOf(sql: Sql, row: ProcedureRow, today: string): Promise<StandingLapseWarning | undefined> {
  if (!RUNNING.includes(row.status)) return undefined;
  const warning = latestNotification(row, 'lapse_warning');
  if (!warning || (await standstillEndedSince(sql, row.id, warning))) return undefined;
  return { warning, today };
}

export interface MyProcedureDetail extends MyProcedureSummary {
  type: ProcedureTypeRow;
  timeline: TimelineRow[];
  documents: DocumentRow[];
  /** The open requirement as the API answers it (its deadline and its message null until its notification takes effect). */
  openRequirement: { requirement: Procedure['requirements'][number]; missingKinds: string[] } | null;
  legalDates: LegalDate[];
}

async function ownProcedure(sql: Sql, scope: CitizenScope, id: string): Promise<ProcedureRow> {
  const row = await findProcedure(sql, { id, citizenId: scope.citizenId, livemode: scope.livemode });
  // Another citizen's procedure is as unknown as a missing one.
  if (!row) throw new ProblemError('not_found', 'No such procedure.');
  return row;
}

export async function myProcedure(
  sql: Sql,
  scope: CitizenScope,
  cal: CalendarSnapshot,
  id: string,
): Promise<MyProcedureDetail> {
  const row = await ownProcedure(sql, scope, id);
  const today = todayOf(scope);
  const [type, holders, timeline, documents, lapse] = await Promise.all([
    findProcedureType(sql, row.type),
    listHolders(sql, scope.citizenId, [row.delegation_id], today),
    listTimeline(sql, row.id),
    listDocuments(sql, row.id),
    lapseWarningOf(sql, row, today),
  ]);
  const procedure = toProcedure(row, today, cal);
  // Open as stored: the answer shows one past its deadline as `expired`, and it is still open to a late answer.
  const openId = row.requirements.find((r) => r.status === 'open')?.id;
  const open = procedure.requirements.find((r) => r.id === openId);
  return {
    row,
    holder: holders[0]!,
    procedure,
    type: type!,
    timeline,
    documents,
    openRequirement: open ? { requirement: open, missingKinds: missingForRequirement(open, documents) } : null,
    legalDates: legalDatesOf(row, type!, procedure.deadlines, cal, lapse),
  };
}

/** The citizen's own access to their file, recorded in their access log like anyone else's. */
function logOwnAccess(
  sql: Sql,
  scope: CitizenScope,
  row: ProcedureRow,
  action: AccessAction,
  resource: { type: string; id: string },
  requestId: string,
): Promise<void> {
  return insertAccessLog(sql, {
    id: newId('acl'),
    citizenId: scope.citizenId,
    delegationId: row.delegation_id,
    organizationId: row.organization_id,
    memberId: null,
    livemode: row.livemode,
    action,
    resourceType: resource.type,
    resourceId: resource.id,
    requestId,
    at: scope.now,
    actorType: 'citizen',
  });
}

/** One of the citizen's own documents, exact bytes; the download is logged before anything is sent. */
export async function downloadMyDocument(
  sql: Sql,
  scope: CitizenScope,
  procedureId: string,
  documentId: string,
  requestId: string,
  storage: DocumentStorage,
): Promise<{ document: DocumentRow; bytes: Uint8Array }> {
  const row = await ownProcedure(sql, scope, procedureId);
  const document = await findDocument(sql, row.id, documentId);
  if (!document) throw new ProblemError('not_found', 'No such document.');
  const bytes = await storage.get(sql, document.storage_key);
  if (!bytes) throw new Error(`document ${document.id} has no stored content`);
  await logOwnAccess(sql, scope, row, 'document.downloaded', { type: 'document', id: document.id }, requestId);
  return { document, bytes };
}

/**
 * The filing receipt of one of the citizen's procedures: the firm's receipt (`receiptOf`), and the
 * download in the citizen's access log, written by the statement that reads it.
 */
export async function myReceipt(
  sql: Sql,
  scope: CitizenScope,
  calendar: Calendar,
  procedureId: string,
  requestId: string,
): Promise<{ row: ReceiptRow; pdf: Uint8Array }> {
  const row = await readOwnReceipt(sql, {
    procedureId,
    citizenId: scope.citizenId,
    livemode: scope.livemode,
    log: { id: newId('acl'), requestId, at: scope.now },
  });
  // Another citizen's procedure is as unknown as a missing one.
  if (!row) throw new ProblemError('not_found', 'No such procedure.');
  if (!row.registry_entry_number) {
    throw new ProblemError('invalid_state_transition', 'A draft has no filing receipt: it has not been filed yet.', {
      extensions: { current_state: row.status, allowed_from: ['submitted'] },
    });
  }
  const pdf = await receiptOf(row, todayOf(scope), await calendar.ensure(sql, row.calendar_version));
  return { row, pdf };
}

/* ------------------------------------------------------------------ access log */

export interface AccessLogQuery {
  delegationId?: string;
  from?: string;
  to?: string;
}

/** The filter of the citizen's access log; a period that ends before it starts is refused, naming the field. */
export function accessLogFilter(scope: CitizenScope, query: AccessLogQuery, where: 'query' = 'query'): AccessLogFilter {
  if (query.from && query.to && query.to < query.from)
    throw fieldProblem('/to', 'The period ends before it starts: `to` must be on or after `from`.', where);
  return {
    citizenId: scope.citizenId,
    livemode: scope.livemode,
    delegationId: query.delegationId || undefined,
    fromDay: query.from || undefined,
    toDay: query.to || undefined,
  };
}

/**
 * One page of the access log under a filter: the page, the JSON list and both exports call this
 * with the same filter and window, so they list exactly the same rows.
 */
export async function accessLogPage(
  sql: Sql,
  filter: AccessLogFilter,
  window: { before?: string; limit: number },
): Promise<{ rows: AccessLogRow[]; older: string | undefined }> {
  const rows = await listAccessLog(sql, { ...filter, before: window.before, limit: window.limit });
  const shown = rows.slice(0, window.limit);
  return { rows: shown, older: rows.length > window.limit ? shown[shown.length - 1]?.seq : undefined };
}
