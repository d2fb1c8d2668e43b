import { limitRows } from '../../db/fragments';
import type { Sql } from '../../db/sql';
import { textArray } from '../../db/sql';
import type { Lang } from '../citizen/i18n';
import { delegationInForce } from '../delegations/queries';
import { type AnyAvisoKind, type AvisoFacts, type Channel, HIDDEN_CODE } from './messages';

export interface SettingsRow {
  citizen_id: string;
  lang: Lang;
  email: string | null;
  email_confirmed_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  channels: Channel[];
  kinds_off: string[];
  updated_at: Date;
}

/** Who an aviso is about: the citizen, their first name source, their settings, the organisation. */
export interface AvisoContext {
  citizen_id: string;
  citizen_name: string | null;
  org: string;
  lang: Lang | null;
  email: string | null;
  email_confirmed_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  channels: Channel[] | null;
  kinds_off: string[] | null;
}

const SETTINGS_COLUMNS =
  's.lang, s.email, s.email_confirmed_at, s.phone, s.phone_confirmed_at, s.channels, s.kinds_off';

/**
 * Whom an aviso about one row of `table` goes to: the row's citizen (name and aviso settings) and
 * its organisation, with the row's own `columns` (trusted text, written here).
 */
async function contextOf<T>(
  sql: Sql,
  table: 'delegations' | 'procedures' | 'delegation_requests',
  columns: string,
  id: string,
): Promise<(AvisoContext & T) | undefined> {
  const [row] = await sql<(AvisoContext & T)[]>`
    select x.citizen_id, c.name as citizen_name, o.legal_name as org, ${sql.unsafe(columns)}, ${sql.unsafe(SETTINGS_COLUMNS)}
    from ${sql(table)} x join citizens c on c.id = x.citizen_id join organizations o on o.id = x.organization_id
    left join citizen_aviso_settings s on s.citizen_id = x.citizen_id
    where x.id = ${id}`;
  return row;
}

export function delegationContext(sql: Sql, delegationId: string) {
  return contextOf<{ valid_until: string }>(
    sql,
    'delegations',
    "to_char(x.valid_until, 'YYYY-MM-DD') as valid_until",
    delegationId,
  );
}

export function procedureContext(sql: Sql, procedureId: string) {
  return contextOf<{ registry_entry_number: string | null }>(sql, 'procedures', 'x.registry_entry_number', procedureId);
}

export function requestContext(sql: Sql, requestId: string) {
  return contextOf<{
    livemode: boolean;
    code: string;
    citizen_contact: string | null;
    request_name: string | null;
    expires_at: Date;
  }>(
    sql,
    'delegation_requests',
    'x.citizen_name as request_name, x.livemode, x.code, x.citizen_contact, x.expires_at',
    requestId,
  );
}

export async function insertAvisos(sql: Sql, avisos: NewAviso[]): Promise<number> {
  let inserted = 0;
  for (const a of avisos) {
    const rows = await sql`
      insert into avisos (id, dedupe_key, citizen_id, livemode, kind, channel, recipient, recipient_source, lang, facts,
        first_name, path, event_id, next_attempt_at, created_at)
      values (${a.id}, ${a.dedupe_key}, ${a.citizen_id}, ${a.livemode}, ${a.kind}, ${a.channel}, ${a.recipient},
        ${a.recipient_source}, ${a.lang}, ${sql.json(a.facts as never)}, ${a.first_name}, ${a.path}, ${a.event_id},
        ${a.at}, ${a.at})
      on conflict (dedupe_key) do nothing
      returning id`;
    inserted += rows.length;
  }
  return inserted;
}

export interface AvisoRow {
  id: string;
  citizen_id: string;
  livemode: boolean;
  kind: AnyAvisoKind;
  channel: Channel;
  recipient: string;
  recipient_source: 'citizen' | 'request' | 'confirmation';
  lang: Lang;
  facts: AvisoFacts;
  first_name: string | null;
  path: string;
  subject: string | null;
  body: string | null;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
}

/** An aviso as the outbox receives it: the row's own fields, its dedupe key and the event that caused it. */
export type NewAviso = Pick<
  AvisoRow,
  | 'id'
  | 'citizen_id'
  | 'livemode'
  | 'kind'
  | 'channel'
  | 'recipient'
  | 'recipient_source'
  | 'lang'
  | 'facts'
  | 'first_name'
  | 'path'
> & { dedupe_key: string; event_id: string | null; at: Date };

export interface AttemptRow {
  aviso_id: string;
  attempt: number;
  at: Date;
  outcome: 'accepted' | 'failed' | 'cancelled';
  detail: string | null;
}

/** Takes up to `limit` due avisos (of `channels`, when given) for this worker until `leaseUntil`; others skip them meanwhile. */
export function claimDueAvisos(
  sql: Sql,
  now: Date,
  leaseUntil: Date,
  limit: number,
  channels?: readonly Channel[],
): Promise<AvisoRow[]> {
  return sql<AvisoRow[]>`
    update avisos set lease_until = ${leaseUntil}, attempts = attempts + 1
    where id in (
      select id from avisos
      where status = 'pending' and next_attempt_at <= ${now} and (lease_until is null or lease_until <= ${now})
        ${channels ? sql`and channel = any(${textArray(channels)}::text[])` : sql``}
      order by next_attempt_at, id
      ${limitRows(sql, limit)}
      for update skip locked
    )
    returning *`;
}

export async function recordAttempt(
  sql: Sql,
  a: { avisoId: string; attempt: number; at: Date; outcome: AttemptRow['outcome']; detail: string | null },
): Promise<void> {
  await sql`
    insert into aviso_attempts (aviso_id, attempt, at, outcome, detail)
    values (${a.avisoId}, ${a.attempt}, ${a.at}, ${a.outcome}, ${a.detail})
    on conflict (aviso_id, attempt) do nothing`;
}

/** Settles a claimed aviso; only the holder of the current claim (same attempt number) may. */
export async function settleAviso(
  sql: Sql,
  a: {
    id: string;
    attempt: number;
    status: AvisoRow['status'];
    nextAttemptAt?: Date;
    error?: string | null;
    sentAt?: Date | null;
    subject: string;
    body: string;
  },
): Promise<boolean> {
  const rows = await sql`
    update avisos set status = ${a.status}, lease_until = null, last_error = ${a.error ?? null},
      sent_at = ${a.sentAt ?? null}, next_attempt_at = coalesce(${a.nextAttemptAt ?? null}::timestamptz, next_attempt_at),
      subject = ${a.subject}, body = ${a.body}
    where id = ${a.id} and attempts = ${a.attempt} and status = 'pending'
    returning id`;
  return rows.length > 0;
}

/** Blanks the code in a settled confirmation aviso's facts. */
export async function forgetCode(sql: Sql, avisoId: string): Promise<void> {
  await sql`update avisos set facts = jsonb_set(facts, '{code}', to_jsonb(${HIDDEN_CODE}::text)) where id = ${avisoId} and kind = 'contact_confirmation'`;
}

export async function findSettings(sql: Sql, citizenId: string): Promise<SettingsRow | undefined> {
  const [row] = await sql<SettingsRow[]>`select * from citizen_aviso_settings where citizen_id = ${citizenId}`;
  return row;
}

export async function ensureSettings(sql: Sql, citizenId: string, now: Date): Promise<SettingsRow> {
  const [row] = await sql<SettingsRow[]>`
    insert into citizen_aviso_settings (citizen_id, updated_at) values (${citizenId}, ${now})
    on conflict (citizen_id) do update set citizen_id = excluded.citizen_id
    returning *`;
  return row!;
}

export async function updatePreferences(
  sql: Sql,
  citizenId: string,
  p: { lang: Lang; channels: Channel[]; kindsOff: string[]; now: Date },
): Promise<SettingsRow> {
  await ensureSettings(sql, citizenId, p.now);
  const [row] = await sql<SettingsRow[]>`
    update citizen_aviso_settings set lang = ${p.lang}, channels = ${textArray(p.channels)}::text[],
      kinds_off = ${textArray(p.kindsOff)}::text[], updated_at = ${p.now}
    where citizen_id = ${citizenId}
    returning *`;
  return row!;
}

/** Adds a kind (or `*`, every kind) to what the citizen does not want. */
export async function turnOff(sql: Sql, citizenId: string, kinds: string[], now: Date): Promise<void> {
  await ensureSettings(sql, citizenId, now);
  await sql`
    update citizen_aviso_settings
    set kinds_off = array(select distinct unnest(kinds_off || ${textArray(kinds)}::text[]) order by 1), updated_at = ${now}
    where citizen_id = ${citizenId}`;
}

export async function setContact(
  sql: Sql,
  citizenId: string,
  channel: Channel,
  value: string | null,
  confirmedAt: Date | null,
  now: Date,
): Promise<SettingsRow> {
  await ensureSettings(sql, citizenId, now);
  const [row] =
    channel === 'email'
      ? await sql<
          SettingsRow[]
        >`update citizen_aviso_settings set email = ${value}, email_confirmed_at = ${confirmedAt}, updated_at = ${now}
          where citizen_id = ${citizenId} returning *`
      : await sql<
          SettingsRow[]
        >`update citizen_aviso_settings set phone = ${value}, phone_confirmed_at = ${confirmedAt}, updated_at = ${now}
          where citizen_id = ${citizenId} returning *`;
  return row!;
}

export interface CodeRow {
  citizen_id: string;
  channel: Channel;
  value: string;
  code_hash: string;
  attempts: number;
  expires_at: Date;
  created_at: Date;
}

export async function replaceCode(
  sql: Sql,
  c: { citizenId: string; channel: Channel; value: string; codeHash: string; expiresAt: Date; now: Date },
): Promise<void> {
  await sql`
    insert into citizen_contact_codes (citizen_id, channel, value, code_hash, expires_at, created_at)
    values (${c.citizenId}, ${c.channel}, ${c.value}, ${c.codeHash}, ${c.expiresAt}, ${c.now})
    on conflict (citizen_id, channel) do update set value = excluded.value, code_hash = excluded.code_hash,
      attempts = 0, expires_at = excluded.expires_at, created_at = excluded.created_at`;
}

export async function lockCode(sql: Sql, citizenId: string, channel: Channel): Promise<CodeRow | undefined> {
  const [row] = await sql<CodeRow[]>`
    select * from citizen_contact_codes where citizen_id = ${citizenId} and channel = ${channel} for update`;
  return row;
}

/** What an answer about aviso settings shows: the settings (none yet: the defaults), and the codes waiting on each channel. */
export interface SettingsState {
  settings: SettingsRow | undefined;
  codes: CodeRow[];
}

export async function pendingCodes(sql: Sql, citizenId: string, now: Date): Promise<CodeRow[]> {
  return sql<CodeRow[]>`
    select * from citizen_contact_codes where citizen_id = ${citizenId} and expires_at > ${now} order by channel`;
}

export async function countRecentCodes(sql: Sql, citizenId: string, since: Date): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from avisos
    where citizen_id = ${citizenId} and kind = 'contact_confirmation' and created_at >= ${since}`;
  return row?.n ?? 0;
}

export async function bumpCodeAttempts(sql: Sql, citizenId: string, channel: Channel): Promise<void> {
  await sql`update citizen_contact_codes set attempts = attempts + 1 where citizen_id = ${citizenId} and channel = ${channel}`;
}

export async function deleteCode(sql: Sql, citizenId: string, channel: Channel): Promise<void> {
  await sql`delete from citizen_contact_codes where citizen_id = ${citizenId} and channel = ${channel}`;
}

export function listCitizenAvisos(
  sql: Sql,
  args: { citizenId: string; livemode?: boolean; after?: [string, string]; limit: number },
): Promise<AvisoRow[]> {
  return sql<AvisoRow[]>`
    select * from avisos
    where citizen_id = ${args.citizenId}
      ${args.livemode === undefined ? sql`` : sql`and livemode = ${args.livemode}`}
      ${args.after ? sql`and (created_at, id) < (${new Date(args.after[0])}, ${args.after[1]})` : sql``}
    order by created_at desc, id desc
    ${limitRows(sql, args.limit + 1)}`;
}

export function listAttempts(sql: Sql, avisoIds: string[]): Promise<AttemptRow[]> {
  if (avisoIds.length === 0) return Promise.resolve([]);
  return sql<AttemptRow[]>`
    select * from aviso_attempts where aviso_id = any(${textArray(avisoIds)}::text[]) order by aviso_id, attempt`;
}

/** Active delegations whose last day is within `days` of today, for the "ends soon" aviso. */
export function listDelegationsEndingSoon(
  sql: Sql,
  today: string,
  until: string,
): Promise<{ id: string; livemode: boolean; valid_until: string }[]> {
  return sql<{ id: string; livemode: boolean; valid_until: string }[]>`
    select d.id, d.livemode, to_char(d.valid_until, 'YYYY-MM-DD') as valid_until
    from delegations d join citizen_aviso_settings s on s.citizen_id = d.citizen_id
    where ${delegationInForce(sql, 'd', today)} and d.valid_until <= ${until}::date`;
}

export interface MailboxRow {
  seq: string;
  aviso_id: string;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  headers: Record<string, string>;
  created_at: Date;
}

export async function insertMailbox(
  sql: Sql,
  m: {
    avisoId: string;
    channel: Channel;
    recipient: string;
    subject: string;
    body: string;
    headers: Record<string, string>;
    at: Date;
  },
): Promise<void> {
  await sql`
    insert into dev_mailbox (aviso_id, channel, recipient, subject, body, headers, created_at)
    values (${m.avisoId}, ${m.channel}, ${m.recipient}, ${m.subject}, ${m.body}, ${sql.json(m.headers)}, ${m.at})
    on conflict (aviso_id) do nothing`;
}

export function listMailbox(sql: Sql, limit: number): Promise<MailboxRow[]> {
  return sql<MailboxRow[]>`
    select seq::text as seq, aviso_id, channel, recipient, subject, body, headers, created_at
    from dev_mailbox order by seq desc ${limitRows(sql, limit)}`;
}

export async function findMailbox(sql: Sql, seq: string): Promise<MailboxRow | undefined> {
  if (!/^\d{1,18}$/.test(seq)) return undefined;
  const [row] = await sql<MailboxRow[]>`
    select seq::text as seq, aviso_id, channel, recipient, subject, body, headers, created_at
    from dev_mailbox where seq = ${seq}::bigint`;
  return row;
}
