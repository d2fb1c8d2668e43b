import type { Config } from '../../config';
import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { fieldProblem, ProblemError } from '../../http/problem';
import { addDays } from '../../lib/dates';
import { newId } from '../../lib/ids';
import { lastLegalDayBefore, legalDay } from '../../lib/legal-day';
import { hmacSha256 } from '../../lib/secrets';
import { isStorableText } from '../../lib/text';
import type { Lang } from '../citizen/i18n';
import { opensPriorClaim } from '../procedures/deadlines';
import {
  type AnyAvisoKind,
  AVISO_KINDS,
  type AvisoFacts,
  type AvisoKind,
  type Channel,
  CHANNELS,
  EXPIRING_WITHIN_DAYS,
  firstName,
} from './messages';
import {
  type AvisoContext,
  bumpCodeAttempts,
  countRecentCodes,
  delegationContext,
  deleteCode,
  ensureSettings,
  findSettings,
  insertAvisos,
  listDelegationsEndingSoon,
  lockCode,
  type NewAviso,
  pendingCodes,
  procedureContext,
  replaceCode,
  requestContext,
  setContact,
  type SettingsRow,
  type SettingsState,
  turnOff,
  updatePreferences,
} from './queries';

/** The event as `emit` records it. */
export interface EmittedEvent {
  id: string;
  type: string;
  livemode: boolean;
  data: Record<string, unknown>;
  at: Date;
}

/** Event types that may cause an aviso; `emit` skips every other type without a query. */
export const AVISO_EVENT_TYPES = new Set([
  'delegation_request.accepted',
  'delegation.revoked',
  'delegation.renounced',
  'procedure.submitted',
  'notification.available',
  'notification.accessed',
  'procedure.presumed_denied',
  'notification.deemed_rejection_approaching',
]);

const PROCEDURES_PAGE = '/ciudadania/tramites';
const DELEGATIONS_PAGE = '/ciudadania/delegaciones';

/** The email or phone the citizen has confirmed on a channel, if any. */
function confirmedContact(
  s: Pick<SettingsRow, 'email' | 'email_confirmed_at' | 'phone' | 'phone_confirmed_at'>,
  channel: Channel,
): string | null {
  if (channel === 'email') return s.email && s.email_confirmed_at ? s.email : null;
  return s.phone && s.phone_confirmed_at ? s.phone : null;
}

/** The citizen's own confirmed contact on a channel, if they want that kind on that channel. */
function ownRecipient(ctx: AvisoContext, kind: AvisoKind, channel: Channel): string | null {
  if (!ctx.channels || !ctx.channels.includes(channel)) return null;
  if (ctx.kinds_off?.includes(kind) || ctx.kinds_off?.includes('*')) return null;
  return confirmedContact(ctx, channel);
}

function wants(ctx: AvisoContext, kind: AvisoKind, channel: Channel): boolean {
  if (ctx.kinds_off?.includes(kind) || ctx.kinds_off?.includes('*')) return false;
  return !ctx.channels || ctx.channels.includes(channel);
}

function toCitizen(
  ctx: AvisoContext,
  a: {
    kind: AvisoKind;
    facts: AvisoFacts;
    path: string;
    livemode: boolean;
    key: string;
    eventId: string | null;
    at: Date;
  },
): NewAviso[] {
  const out: NewAviso[] = [];
  for (const channel of CHANNELS) {
    const recipient = ownRecipient(ctx, a.kind, channel);
    if (!recipient) continue;
    out.push({
      id: newId('avs'),
      dedupe_key: `${a.key}:${channel}`,
      citizen_id: ctx.citizen_id,
      livemode: a.livemode,
      kind: a.kind,
      channel,
      recipient,
      recipient_source: 'citizen',
      lang: ctx.lang ?? 'es',
      facts: a.facts,
      first_name: firstName(ctx.citizen_name),
      path: a.path,
      event_id: a.eventId,
      at: a.at,
    });
  }
  return out;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * The avisos an event causes, queued in the transaction that records it (called by `emit`). The
 * one place that decides who is told what: kinds the citizen turned off, channels without a
 * confirmed contact, and events about nobody's procedure queue nothing.
 */
export async function queueAvisosForEvent(tx: Sql, event: EmittedEvent): Promise<number> {
  if (!AVISO_EVENT_TYPES.has(event.type)) return 0;
  const d = event.data;
  const base = { livemode: event.livemode, key: event.id, eventId: event.id, at: event.at };
  let avisos: NewAviso[] = [];
  if (event.type.startsWith('delegation')) {
    const id = text(d.delegation_id);
    const ctx = id ? await delegationContext(tx, id) : undefined;
    if (!ctx) return 0;
    const kind: AvisoKind =
      event.type === 'delegation_request.accepted'
        ? 'delegation_granted'
        : event.type === 'delegation.revoked'
          ? 'delegation_revoked'
          : 'delegation_renounced';
    const facts: AvisoFacts =
      kind === 'delegation_granted' ? { kind, org: ctx.org, until: ctx.valid_until } : { kind, org: ctx.org };
    avisos = toCitizen(ctx, { ...base, kind, facts, path: DELEGATIONS_PAGE });
  } else {
    const procedureId = text(d.procedure_id);
    const ctx = procedureId ? await procedureContext(tx, procedureId) : undefined;
    if (!ctx || !procedureId) return 0;
    const registry = ctx.registry_entry_number ?? text(d.registry_entry_number) ?? procedureId;
    const path = `${PROCEDURES_PAGE}/${encodeURIComponent(procedureId)}`;
    let facts: AvisoFacts | undefined;
    if (event.type === 'procedure.submitted') facts = { kind: 'filing', org: ctx.org, registry };
    else if (event.type === 'procedure.presumed_denied') {
      const deniedOn = text(d.presumed_denied_at);
      if (deniedOn)
        facts = {
          kind: 'presumed_denial',
          registry,
          deniedOn,
          priorClaim: opensPriorClaim(text(d.type) ?? ''),
          priorClaimDeadline: text(d.prior_claim_deadline),
        };
    } else if (event.type === 'notification.deemed_rejection_approaching') {
      const on = text(d.deemed_rejected_on);
      if (on) facts = { kind: 'deemed_rejection_warning', org: ctx.org, registry, deemedRejectedOn: on };
    } else if (d.kind === 'requirement') {
      // Made available: the term starts when it is opened. Opened: the deadline is known, and told.
      const deadline = event.type === 'notification.accessed' ? text(d.term_deadline) : null;
      if (event.type === 'notification.available' || deadline)
        facts = { kind: 'requirement', org: ctx.org, registry, deadline, deemedRejectedOn: text(d.deemed_rejected_on) };
    } else if (d.kind === 'resolution' && event.type === 'notification.available') {
      facts = { kind: 'resolution', org: ctx.org, registry };
    }
    if (!facts) return 0;
    avisos = toCitizen(ctx, { ...base, kind: facts.kind as AvisoKind, facts, path });
  }
  return insertAvisos(tx, avisos);
}

/** An address as a mail server takes it: no spaces, control characters (NUL included) or specials. */
const EMAIL = /^[^\s\x00-\x1f\x7f@<>()[\]\\,;:"]+@[^\s\x00-\x1f\x7f@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;

/** A phone number as the SMS gateway takes it (E.164); Spanish numbers may omit +34. */
export function normalizePhone(value: string): string | null {
  const compact = value.replace(/[\s().-]/g, '');
  if (/^[6789]\d{8}$/.test(compact)) return `+34${compact}`;
  if (/^00[1-9]\d{7,14}$/.test(compact)) return `+${compact.slice(2)}`;
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : null;
}

export function normalizeEmail(value: string): string | null {
  const trimmed = value.trim();
  return trimmed.length <= 254 && EMAIL.test(trimmed) && isStorableText(trimmed) ? trimmed : null;
}

/** The contact a firm gave on a request, as a channel and address (or nothing usable). */
function requestContact(contact: string | null): { channel: Channel; value: string } | undefined {
  if (!contact) return undefined;
  const email = normalizeEmail(contact);
  if (email) return { channel: 'email', value: email };
  const phone = normalizePhone(contact);
  return phone ? { channel: 'sms', value: phone } : undefined;
}

/**
 * The aviso of a new delegation request: to the citizen's own confirmed contacts, or else to the
 * contact the firm gave on this request (used for this aviso only, never kept as the citizen's).
 */
export async function queueRequestAviso(tx: Sql, requestId: string, now: Date): Promise<number> {
  const ctx = await requestContext(tx, requestId);
  if (!ctx) return 0;
  const kind = 'delegation_request' as const;
  const facts: AvisoFacts = { kind, org: ctx.org, code: ctx.code, answerBy: lastLegalDayBefore(ctx.expires_at) };
  const path = `/ciudadania/solicitudes/${encodeURIComponent(requestId)}`;
  const given = requestContact(ctx.citizen_contact);
  const avisos: NewAviso[] = [];
  for (const channel of CHANNELS) {
    if (!wants(ctx, kind, channel)) continue;
    const own = ownRecipient(ctx, kind, channel);
    const recipient = own ?? (given?.channel === channel ? given.value : null);
    if (!recipient) continue;
    avisos.push({
      id: newId('avs'),
      dedupe_key: `delegation_request:${requestId}:${channel}`,
      citizen_id: ctx.citizen_id,
      livemode: ctx.livemode,
      kind,
      channel,
      recipient,
      recipient_source: own ? 'citizen' : 'request',
      lang: ctx.lang ?? 'es',
      facts,
      // To the contact the firm gave, only the name the firm gave: never what Puente holds of the
      // citizen (the firm may not know it, and the address may not be the citizen's).
      first_name: firstName(own ? ctx.citizen_name : ctx.request_name),
      path,
      event_id: null,
      at: now,
    });
  }
  return insertAvisos(tx, avisos);
}

/** Tells each citizen once, per end date, that a delegation ends within 30 days (run by the scheduler). */
export async function queueEndingDelegations(sql: Sql, now: Date): Promise<number> {
  const today = legalDay(now);
  let queued = 0;
  for (const d of await listDelegationsEndingSoon(sql, today, addDays(today, EXPIRING_WITHIN_DAYS))) {
    const ctx = await delegationContext(sql, d.id);
    if (!ctx) continue;
    queued += await insertAvisos(
      sql,
      toCitizen(ctx, {
        kind: 'delegation_expiring',
        facts: { kind: 'delegation_expiring', org: ctx.org, until: d.valid_until },
        path: DELEGATIONS_PAGE,
        livemode: d.livemode,
        key: `delegation_expiring:${d.id}:${d.valid_until}`,
        eventId: null,
        at: now,
      }),
    );
  }
  return queued;
}

/* ------------------------------------------------------------------ the citizen's own contacts */

export const CODE_MINUTES = 15;
export const CODE_MAX_ATTEMPTS = 5;
/** Codes one citizen may ask for per hour, over both channels. */
export const CODES_PER_HOUR = 5;

function hashCode(secret: string, citizenId: string, channel: Channel, code: string): Promise<string> {
  return hmacSha256(secret, `puente-contact-code:${citizenId}:${channel}:${code}`);
}

function sixDigits(): string {
  const n = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000;
  return String(n).padStart(6, '0');
}

/**
 * Starts confirming an email or phone: a code goes to it (an aviso of its own), and the contact
 * is used only once the code comes back. Until then the previous contact, if any, stays.
 */
export async function startContactConfirmation(
  sql: Sql,
  config: Config,
  citizen: { citizenId: string; name: string | null; livemode: boolean },
  channel: Channel,
  raw: string,
  now: Date,
): Promise<SettingsState> {
  const value = channel === 'email' ? normalizeEmail(raw) : normalizePhone(raw);
  if (!value)
    throw fieldProblem(
      '/value',
      channel === 'email'
        ? 'Not an email address.'
        : 'Not a phone number: use the international form, +34 600 000 000.',
    );
  return transaction(sql, async (tx) => {
    const settings = await ensureSettings(tx, citizen.citizenId, now);
    await tx`select 1 from citizen_aviso_settings where citizen_id = ${citizen.citizenId} for update`;
    if ((await countRecentCodes(tx, citizen.citizenId, new Date(now.getTime() - 3_600_000))) >= CODES_PER_HOUR)
      throw new ProblemError('rate_limited', 'Too many codes asked for in the last hour; try again later.');
    const code = sixDigits();
    const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000);
    await replaceCode(tx, {
      citizenId: citizen.citizenId,
      channel,
      value,
      codeHash: await hashCode(config.secretKey, citizen.citizenId, channel, code),
      expiresAt,
      now,
    });
    const id = newId('avs');
    await insertAvisos(tx, [
      {
        id,
        dedupe_key: `contact_confirmation:${id}`,
        citizen_id: citizen.citizenId,
        livemode: citizen.livemode,
        kind: 'contact_confirmation',
        channel,
        recipient: value,
        recipient_source: 'confirmation',
        lang: settings.lang,
        facts: { kind: 'contact_confirmation', code, minutes: CODE_MINUTES },
        first_name: firstName(citizen.name),
        path: '/ciudadania/avisos',
        event_id: null,
        at: now,
      },
    ]);
    return withCodes(tx, citizen.citizenId, settings, now);
  });
}

/**
 * Checks the code; right, the contact becomes the citizen's. Wrong codes count, and expire the code
 * at the limit. A refusal is returned, not thrown: the count must commit with the refusal (a thrown
 * error rolls the request's transaction back, and a new Idempotency-Key per guess would get past
 * the limit).
 */
export async function confirmContact(
  sql: Sql,
  config: Config,
  citizenId: string,
  channel: Channel,
  code: string,
  now: Date,
): Promise<SettingsState | ProblemError> {
  const outcome = await transaction(sql, async (tx) => {
    const pending = await lockCode(tx, citizenId, channel);
    if (!pending || pending.expires_at <= now || pending.attempts >= CODE_MAX_ATTEMPTS) {
      if (pending) await deleteCode(tx, citizenId, channel);
      return 'expired' as const;
    }
    const hash = await hashCode(config.secretKey, citizenId, channel, code.replace(/\s/g, ''));
    if (hash !== pending.code_hash) {
      await bumpCodeAttempts(tx, citizenId, channel);
      return 'wrong' as const;
    }
    const settings = await setContact(tx, citizenId, channel, pending.value, now, now);
    await deleteCode(tx, citizenId, channel);
    return withCodes(tx, citizenId, settings, now);
  });
  if (outcome === 'expired')
    return new ProblemError(
      'contact_code_expired',
      'No code is waiting, it expired or it was tried too many times; ask for a new one.',
    );
  if (outcome === 'wrong')
    return new ProblemError('contact_code_invalid', 'The code does not match the one sent.', {
      errors: [{ pointer: '/code', in: 'body', detail: 'Check the code and try again.' }],
    });
  return outcome;
}

export function removeContact(sql: Sql, citizenId: string, channel: Channel, now: Date): Promise<SettingsState> {
  return transaction(sql, async (tx) => {
    const settings = await setContact(tx, citizenId, channel, null, null, now);
    await deleteCode(tx, citizenId, channel);
    return withCodes(tx, citizenId, settings, now);
  });
}

export function savePreferences(
  sql: Sql,
  citizenId: string,
  p: { lang: Lang; channels: Channel[]; kinds: AvisoKind[] },
  now: Date,
): Promise<SettingsState> {
  const kindsOff = AVISO_KINDS.filter((k) => !p.kinds.includes(k));
  const channels = CHANNELS.filter((c) => p.channels.includes(c));
  return transaction(sql, async (tx) =>
    withCodes(tx, citizenId, await updatePreferences(tx, citizenId, { lang: p.lang, channels, kindsOff, now }), now),
  );
}

/** The citizen's aviso settings as they stand now. */
export async function readSettings(sql: Sql, citizenId: string, now: Date): Promise<SettingsState> {
  return withCodes(sql, citizenId, await findSettings(sql, citizenId), now);
}

/** Settings just read or written, with the codes still waiting on each channel. */
async function withCodes(
  sql: Sql,
  citizenId: string,
  settings: SettingsRow | undefined,
  now: Date,
): Promise<SettingsState> {
  return { settings, codes: await pendingCodes(sql, citizenId, now) };
}

/** Turns off what an unsubscribe link names: one kind. */
export async function unsubscribe(sql: Sql, citizenId: string, kind: AvisoKind, now: Date): Promise<void> {
  await turnOff(sql, citizenId, [kind], now);
}

/**
 * Whether the citizen, as things stand now, still wants this aviso (checked again just before
 * sending): the kind and channel still wanted and, for one queued to the citizen's own contact,
 * that contact still theirs (an address removed or replaced since receives nothing more).
 */
export function stillWanted(
  settings: SettingsRow | undefined,
  a: { kind: AnyAvisoKind; channel: Channel; recipient: string; recipient_source: string },
): boolean {
  if (a.kind === 'contact_confirmation') return true;
  if (a.recipient_source === 'citizen' && (!settings || confirmedContact(settings, a.channel) !== a.recipient))
    return false;
  if (!settings) return true;
  if (settings.kinds_off.includes(a.kind) || settings.kinds_off.includes('*')) return false;
  return settings.channels.includes(a.channel);
}
