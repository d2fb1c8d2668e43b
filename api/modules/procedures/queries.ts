import { equalsIfGiven, limitRows, ownedBy, pageAfter, type PageArgs } from '../../db/fragments';
import { type Sql, textArray } from '../../db/sql';
import { calendarVersion } from '../calendar/queries';
import { procedureFollowed } from '../delegations/queries';

/**
 * A procedure's state and legal dates, without its contents (the form, the resolution's text and
 * amount): what a list shows (`toProcedureSummary`).
 */
export interface ProcedureStateRow {
  id: string;
  organization_id: string;
  livemode: boolean;
  citizen_id: string;
  citizen_id_number: string;
  delegation_id: string;
  type: string;
  status: string;
  region: string | null;
  applicant_municipality: string | null;
  office_municipality: string | null;
  original_procedure_id: string | null;
  registry_entry_number: string | null;
  /** The body that decides it, set when it is filed. */
  managing_body: string | null;
  submitted_at: Date | null;
  registered_on: string | null;
  max_resolution_base: string | null;
  filing_consent_jti: string | null;
  created_by_member_id: string;
  submitted_by_member_id: string | null;
  resolved_at: Date | null;
  withdrawn_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  document_kinds: string[];
  /** Typed without their texts: the summary must not show them (the row does carry them). */
  requirements: RequirementStateJson[];
  notifications: NotificationStateJson[];
}

/** A whole procedure: its state and its contents, read under the client's consent (or by the agency). */
export interface ProcedureRow extends ProcedureStateRow {
  form: Record<string, unknown>;
  resolution_text: string | null;
  resolution_amount: string | null;
  requirements: RequirementJson[];
  notifications: NotificationJson[];
}

/** Electronic notifications as read with their procedure (dates as text), oldest first. */
export interface NotificationJson extends NotificationStateJson {
  content: Record<string, unknown>;
}

/**
 * A notification without the act it notifies, but for a resolution's outcome (shown with the
 * procedure's status anyway), which decides the term a resolution opens.
 */
export interface NotificationStateJson {
  content: { outcome?: unknown };
  id: string;
  kind: 'requirement' | 'resolution' | 'withdrawal_declaration' | 'lapse_warning' | 'lapse_declaration';
  requirement_id: string | null;
  made_available_at: string;
  made_available_on: string;
  accessed_at: string | null;
  accessed_on: string | null;
  accessed_by_member_id: string | null;
  deemed_rejected_at: string | null;
}

/** Requirements as read with their procedure (dates as text). */
export interface RequirementJson extends RequirementStateJson {
  message: string;
  response_message: string | null;
}

/** A requirement without its message or the answer's. */
export interface RequirementStateJson {
  id: string;
  kinds: string[];
  notified_at: string;
  notified_on: string;
  /** As stored when issued, before notifications existed; the deadline is computed from the notification. */
  deadline: string | null;
  extended: boolean;
  status: 'open' | 'answered' | 'expired';
  answered_at: string | null;
  answered_on: string | null;
}

/**
 * A procedure as every response maps it. Its children (documents' kinds, requirements,
 * notifications) come from the summaries the database keeps on its row (migration 0120): no
 * subquery per child table, which PostgreSQL would set up on every execution, run or not.
 * Its type's terms and required documents are not read here but from the calendar snapshot the
 * response is computed with (`procedureTypeTerms`): on a page, a join per row for the same few
 * catalogue rows was a fifth of the statement's time.
 */
const STATE_COLUMNS = (sql: Sql) => sql`
  p.id, p.organization_id, p.livemode, p.citizen_id, c.id_number as citizen_id_number, p.delegation_id, p.type, p.status,
    p.region, p.applicant_municipality, p.office_municipality, p.original_procedure_id, p.registry_entry_number, p.managing_body, p.submitted_at, to_char(p.registered_on, 'YYYY-MM-DD') as registered_on,
    to_char(p.max_resolution_base, 'YYYY-MM-DD') as max_resolution_base, p.filing_consent_jti, p.created_by_member_id,
    p.submitted_by_member_id, p.resolved_at, p.withdrawn_at,
    p.created_at, p.updated_at, p.version,
    p.document_kinds, p.requirements_json as requirements, p.notifications_json as notifications`;

const SELECT = (sql: Sql) => sql`
  select ${STATE_COLUMNS(sql)}, p.form, p.resolution_text, p.resolution_amount::text as resolution_amount
  from procedures p join citizens c on c.id = p.citizen_id`;

export async function insertProcedure(
  sql: Sql,
  p: {
    id: string;
    organization_id: string;
    livemode: boolean;
    citizen_id: string;
    delegation_id: string;
    type: string;
    form: unknown;
    region: string | null;
    applicant_municipality: string | null;
    office_municipality: string | null;
    original_procedure_id: string | null;
    created_by_member_id: string;
    at: Date;
  },
): Promise<void> {
  await sql`
    insert into procedures (id, organization_id, livemode, citizen_id, delegation_id, type, form, region, applicant_municipality,
      office_municipality, original_procedure_id, created_by_member_id, created_at, updated_at)
    values (${p.id}, ${p.organization_id}, ${p.livemode}, ${p.citizen_id}, ${p.delegation_id}, ${p.type}, ${sql.json(p.form as never)},
      ${p.region}, ${p.applicant_municipality}, ${p.office_municipality}, ${p.original_procedure_id}, ${p.created_by_member_id}, ${p.at}, ${p.at})`;
}

export async function findProcedure(
  sql: Sql,
  where: { id: string; organizationId?: string; livemode?: boolean; citizenId?: string },
  options: { forUpdate?: boolean } = {},
): Promise<ProcedureRow | undefined> {
  const [row] = await sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where p.id = ${where.id}
      ${ownedBy(sql, 'p', where)}
    ${options.forUpdate ? sql`for update of p` : sql``}`;
  return row;
}

/**
 * A procedure the caller knows exists (its id comes from a row the transaction already holds): locked for update
 * before a change, or read back after one, in the shape every response maps.
 */
export async function procedureById(
  sql: Sql,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ProcedureRow> {
  const row = await findProcedure(sql, { id }, options);
  if (!row) throw new Error(`procedure ${id} is not there inside its own transaction`);
  return row;
}

export async function updateDraft(
  sql: Sql,
  id: string,
  form: unknown,
  places: { region: string | null; applicant_municipality: string | null; office_municipality: string | null },
  expectedVersion: number,
  at: Date,
): Promise<boolean> {
  const rows = await sql`
    update procedures set form = ${sql.json(form as never)}, region = ${places.region}, applicant_municipality = ${places.applicant_municipality},
      office_municipality = ${places.office_municipality}, updated_at = ${at}, version = version + 1
    where id = ${id} and version = ${expectedVersion} and status = 'draft'
    returning id`;
  return rows.length > 0;
}

/**
 * The version a procedure is at now, as a statement of its own (in a transaction, a fresh
 * snapshot): after `updateDraft` found it moved, the change that moved it has committed.
 */
export async function procedureVersion(sql: Sql, id: string): Promise<number | undefined> {
  const [row] = await sql<{ version: number }[]>`select version from procedures where id = ${id}`;
  return row?.version;
}

export async function markSubmitted(
  sql: Sql,
  args: {
    id: string;
    memberId: string;
    at: Date;
    registeredOn: string;
    maxBase: string;
    managingBody: string;
    token: string;
    jti: string;
  },
): Promise<string> {
  const [row] = await sql<{ registry_entry_number: string }[]>`
    update procedures set status = 'submitted', submitted_at = ${args.at}, submitted_by_member_id = ${args.memberId},
      registered_on = ${args.registeredOn}, max_resolution_base = ${args.maxBase}, managing_body = ${args.managingBody},
      filing_consent_token = ${args.token},
      filing_consent_jti = ${args.jti},
      registry_entry_number = 'REG-' || to_char(${args.at}::timestamptz at time zone 'Europe/Madrid', 'YYYY') || '-' || lpad(nextval('registry_entry_seq')::text, 8, '0'),
      updated_at = ${args.at}, version = version + 1
    where id = ${args.id} and status = 'draft'
    returning registry_entry_number`;
  return row!.registry_entry_number;
}

export async function setStatus(
  sql: Sql,
  args: {
    id: string;
    from: readonly string[];
    to: string;
    at: Date;
    resolution?: { text: string; amount: number | null };
  },
): Promise<boolean> {
  const rows = await sql`
    update procedures set status = ${args.to}, updated_at = ${args.at}, version = version + 1
      ${args.resolution ? sql`, resolved_at = ${args.at}, resolution_text = ${args.resolution.text}, resolution_amount = ${args.resolution.amount}` : sql``}
      ${args.to === 'withdrawn' ? sql`, withdrawn_at = ${args.at}` : sql``}
    where id = ${args.id} and status = any(${textArray(args.from)}::text[])
    returning id`;
  return rows.length > 0;
}

/** Dates that depend on the calendar, recomputed after the administrator changed it. */
export async function setCalendarDates(
  sql: Sql,
  args: { id: string; registeredOn: string; maxBase: string; at: Date },
): Promise<void> {
  await sql`
    update procedures set registered_on = ${args.registeredOn}, max_resolution_base = ${args.maxBase}, updated_at = ${args.at}, version = version + 1
    where id = ${args.id}`;
}

export async function touchProcedure(sql: Sql, id: string, at: Date): Promise<void> {
  await sql`update procedures set updated_at = ${at}, version = version + 1 where id = ${id}`;
}

/** A procedure as a list shows it: its state only, with the calendar version its dates are computed with. */
export interface ListedProcedureRow extends ProcedureStateRow {
  calendar_version: number;
}

/**
 * The organisation's procedures whose citizen it still represents (`procedureFollowed`): a
 * usable delegation that covers consulting the type. A revoked client's files drop out of the
 * list at once. Their contents (the form, the resolution's text and amount) are not read: they
 * leave Puente only through a read under the client's consent, which the client's access log
 * records. Each row carries the calendar version current when the statement ran (computed
 * once, an InitPlan), so the page's dates need no second round trip. The key is settled by its
 * own statement before this one: with the page in one statement (`readSettlingKey`), PostgreSQL
 * spent more per page than on the two, in an interleaved comparison at 10,000 procedures.
 */
export async function listProcedures(
  sql: Sql,
  args: {
    organizationId: string;
    livemode: boolean;
    /** The organisation practises, as its key's statement read it (see `procedureFollowed`). */
    practising: boolean;
    today: string;
    status?: string;
    type?: string;
    updatedSince?: Date;
    after?: [string, string];
    limit: number;
  },
): Promise<ListedProcedureRow[]> {
  return sql<ListedProcedureRow[]>`
    select q.*, ${calendarVersion(sql)} as calendar_version from (
    select ${STATE_COLUMNS(sql)} from procedures p join citizens c on c.id = p.citizen_id
    where p.organization_id = ${args.organizationId} and p.livemode = ${args.livemode}
      and ${procedureFollowed(sql, 'p', args.today, { practising: args.practising })}
      ${equalsIfGiven(sql, 'p.status', args.status)}
      ${equalsIfGiven(sql, 'p.type', args.type)}
      ${args.updatedSince ? sql`and p.updated_at >= ${args.updatedSince}` : sql``}
      ${args.after ? sql`and (p.updated_at, p.id) < (${args.after[0]}::timestamptz, ${args.after[1]})` : sql``}
    order by p.updated_at desc, p.id desc
    ${limitRows(sql, args.limit + 1)}) q
    order by q.updated_at desc, q.id desc`;
}

/** Of these procedures, those their organisations may follow on `today` (`procedureFollowed`). */
export async function followedProcedureIds(sql: Sql, ids: readonly string[], today: string): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql<{ id: string }[]>`
    select p.id from procedures p
    where p.id = any(${textArray(ids)}::text[]) and ${procedureFollowed(sql, 'p', today)}`;
  return new Set(rows.map((r) => r.id));
}

export async function listCitizenProcedures(
  sql: Sql,
  args: PageArgs & { citizenId: string; livemode?: boolean },
): Promise<ProcedureRow[]> {
  return sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where p.citizen_id = ${args.citizenId} ${ownedBy(sql, 'p', { livemode: args.livemode })}
      ${pageAfter(sql, { at: 'p.created_at', id: 'p.id' }, args)}`;
}

/** Whose procedures an agency key reaches: those its body decides, in its community if it is limited to one. */
export interface AgencyScope {
  managingBody: string;
  region: string | null;
}

/**
 * What the agency may see: live procedures filed with its body (the one that decides them, fixed
 * at filing), in its community if the key is limited to one. A draft never reached the registry,
 * and one the firm withdrew before filing it never does.
 */
const FILED_WITH = (sql: Sql, scope: AgencyScope) =>
  sql`p.livemode and p.submitted_at is not null and p.managing_body = ${scope.managingBody}
    ${scope.region === null ? sql`` : sql`and p.region = ${scope.region}`}`;

/** The agency's queue: live procedures its body decides, oldest filing first. */
export async function listAgencyQueue(
  sql: Sql,
  args: { scope: AgencyScope; status?: string; after?: [string, string]; limit: number },
): Promise<ProcedureRow[]> {
  return sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where ${FILED_WITH(sql, args.scope)}
      ${equalsIfGiven(sql, 'p.status', args.status)}
      ${pageAfter(sql, { at: 'p.submitted_at', id: 'p.id' }, args)}`;
}

export async function findAgencyProcedure(
  sql: Sql,
  id: string,
  scope: AgencyScope,
  options: { forUpdate?: boolean } = {},
): Promise<ProcedureRow | undefined> {
  const [row] = await sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where p.id = ${id} and ${FILED_WITH(sql, scope)}
    ${options.forUpdate ? sql`for update of p` : sql``}`;
  return row;
}

export async function filingConsentToken(sql: Sql, id: string): Promise<string | null> {
  const [row] = await sql<
    { filing_consent_token: string | null }[]
  >`select filing_consent_token from procedures where id = ${id}`;
  return row?.filing_consent_token ?? null;
}

/** A procedure read through the consent gate, with the calendar version its dates are computed with. */
export interface GatedProcedureRow extends ProcedureRow {
  /** The calendar version current when the statement ran (the snapshot to compute its dates with). */
  calendar_version: number;
}

/** The procedure as the payload of a read through the consent gate (see `readThroughGate`). */
export function procedurePayload(sql: Sql, id: string) {
  return sql`select q.*, ${calendarVersion(sql)} as calendar_version from (${SELECT(sql)} where p.id = ${id}) q`;
}

export interface ReceiptRow extends GatedProcedureRow {
  type_name: string;
  organization_legal_name: string;
  organization_nif: string;
  member_name: string | null;
  member_id_number: string | null;
  documents: Array<{ kind: string; filename: string; sha256: string; size_bytes: number }>;
}

/** What a filing receipt shows, as the payload of a read through the consent gate. */
export function receiptPayload(sql: Sql, id: string) {
  return sql`
    select q.*, pt.name_es as type_name, o.legal_name as organization_legal_name, o.nif as organization_nif,
      m.name as member_name, m.id_number as member_id_number, ${calendarVersion(sql)} as calendar_version,
      coalesce((select json_agg(json_build_object('kind', d.kind, 'filename', d.filename, 'sha256', d.sha256, 'size_bytes', d.size_bytes)
                                order by d.created_at, d.id)
                from documents d where d.procedure_id = q.id), '[]'::json) as documents
    from (${SELECT(sql)} where p.id = ${id}) q
    join procedure_types pt on pt.code = q.type
    join organizations o on o.id = q.organization_id
    left join members m on m.id = q.submitted_by_member_id`;
}

/** Procedures whose legal clock may have run out or whose requirement deadline may be near. */
export function listClockCandidates(sql: Sql): Promise<Array<{ id: string; silence_recorded: boolean }>> {
  return sql<Array<{ id: string; silence_recorded: boolean }>>`
    select id, silence_recorded from (
      select p.id, p.status, exists (select 1 from event_dedupe_keys k where k.dedupe_key = 'procedure.presumed_denied:' || p.id) as silence_recorded
      from procedures p
      where p.status in ('submitted', 'in_review', 'action_required') and p.max_resolution_base is not null) c
    where not silence_recorded or status = 'action_required'`;
}
