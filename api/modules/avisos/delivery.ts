import type { Config } from '../../config';
import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import type { Deps } from '../../deps';
import { signPayload } from '../webhooks/signing';
import { type Channel, HIDDEN_CODE, renderAviso, unsubscribeLine } from './messages';
import {
  type AvisoRow,
  claimDueAvisos,
  findSettings,
  forgetCode,
  insertMailbox,
  recordAttempt,
  settleAviso,
} from './queries';
import { stillWanted } from './service';
import { unsubscribeUrl } from './unsubscribe';

export type AvisoDeliveryDeps = Pick<Deps, 'config' | 'clock' | 'logger'> & Partial<Pick<Deps, 'mailer' | 'metrics'>>;

/** Seconds before attempt n+1: 30 s, 1, 2, 4… minutes, at most an hour. */
export function avisoBackoffSeconds(attempt: number): number {
  return Math.min(30 * 2 ** (attempt - 1), 3600);
}

const SMS_TIMEOUT_MS = 10_000;

class PermanentFailure extends Error {}

/** The reason as the citizen and the logs may see it: one line, no addresses. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/[\r\n]+/g, ' ')
    .replace(/[^\s<>@]+@[^\s<>@]+/g, '<address>')
    .replace(/\+?\d[\d ]{7,}\d/g, '<number>')
    .slice(0, 300);
}

function host(config: Config): string {
  try {
    return new URL(config.baseUrl).hostname || 'puente.localdomain';
  } catch {
    return 'puente.localdomain';
  }
}

interface Rendered {
  subject: string;
  body: string;
  headers: Record<string, string>;
}

async function render(config: Config, a: AvisoRow): Promise<Rendered> {
  // Spanish is the pages' default; an English aviso opens them in English.
  const inLang = a.lang === 'en' ? `${a.path.includes('?') ? '&' : '?'}lang=en` : '';
  const link = `${config.baseUrl}${a.path}${inLang}`;
  const text = renderAviso(a.lang, a.facts, a.first_name, link);
  const testMode = a.livemode ? '' : a.lang === 'es' ? '[Prueba] ' : '[Test] ';
  if (a.recipient_source === 'request' || a.kind === 'contact_confirmation') {
    // A contact the firm gave, used for this one aviso and never kept, or one the citizen typed and
    // has not confirmed (it gets the code that would confirm it): neither subscribed to anything,
    // and a link that changed the citizen's own settings must not reach an address that may not
    // be theirs. A mistyped address would otherwise hold a link that turns off every aviso.
    return {
      subject: `${testMode}${text.subject}`,
      body: a.channel === 'sms' ? `${testMode}${text.sms}` : `${text.body}\n`,
      headers: a.channel === 'sms' ? {} : { 'Auto-Submitted': 'auto-generated' },
    };
  }
  const unsubscribe = `${await unsubscribeUrl(config.baseUrl, config.secretKey, {
    citizenId: a.citizen_id,
    kind: a.kind,
  })}${a.lang === 'en' ? '&lang=en' : ''}`;
  if (a.channel === 'sms') {
    const stop = a.lang === 'es' ? 'Baja' : 'Stop';
    return {
      subject: `${testMode}${text.subject}`,
      body: `${testMode}${text.sms} ${stop}: ${unsubscribe}`,
      headers: {},
    };
  }
  return {
    subject: `${testMode}${text.subject}`,
    body: `${text.body}\n\n--\n${unsubscribeLine(a.lang, unsubscribe)}\n`,
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
  };
}

async function sendSms(config: Config, a: AvisoRow, r: Rendered, at: Date): Promise<string> {
  const url = config.avisos.smsGatewayUrl!;
  const body = JSON.stringify({ id: a.id, to: a.recipient, text: r.body, lang: a.lang, kind: a.kind });
  const timestamp = Math.floor(at.getTime() / 1000);
  const signature = await signPayload(config.avisos.smsGatewaySecret!, a.id, timestamp, body);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': a.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
      'user-agent': 'Puente-Avisos/1',
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
  });
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return `gateway ${response.status}`;
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)
    throw new PermanentFailure(`gateway refused: HTTP ${response.status}`);
  throw new Error(`gateway HTTP ${response.status}`);
}

/** Sends one claimed aviso the way this deployment can; answers what the receiving side said. */
async function send(deps: AvisoDeliveryDeps, sql: Sql, a: AvisoRow, r: Rendered, at: Date): Promise<string> {
  const { config } = deps;
  const viaMailbox = async (why: string) => {
    await insertMailbox(sql, {
      avisoId: a.id,
      channel: a.channel,
      recipient: a.recipient,
      subject: r.subject,
      body: r.body,
      headers: r.headers,
      at,
    });
    return `development mailbox (${why})`;
  };
  if (a.channel === 'email') {
    if (deps.mailer) {
      const result = await deps.mailer.send({
        from: config.avisos.mailFrom,
        to: a.recipient,
        subject: r.subject,
        text: r.body,
        messageId: `<${a.id}@${host(config)}>`,
        headers: r.headers,
      });
      return reasonOf(result.response);
    }
    if (config.avisos.smtpUrl)
      throw new PermanentFailure(
        'no SMTP transport on this runtime (Cloudflare Workers cannot send email; a Node background worker does)',
      );
    if (config.env !== 'production') return viaMailbox('no SMTP server configured');
    throw new PermanentFailure('no SMTP server configured (PUENTE_SMTP_URL)');
  }
  if (config.avisos.smsGatewayUrl) return sendSms(config, a, r, at);
  if (config.env !== 'production') return viaMailbox('no SMS gateway configured');
  throw new PermanentFailure('no SMS gateway configured (PUENTE_SMS_GATEWAY_URL)');
}

async function deliverOne(sql: Sql, deps: AvisoDeliveryDeps, a: AvisoRow): Promise<void> {
  const { config } = deps;
  const now = deps.clock.now();
  const r = await render(config, a);
  const settle = (
    args: Omit<Parameters<typeof settleAviso>[1], 'id' | 'attempt' | 'subject' | 'body'>,
    detail?: string,
  ) =>
    transaction(sql, async (tx) => {
      const outcome = args.status === 'sent' ? 'accepted' : args.status === 'cancelled' ? 'cancelled' : 'failed';
      await recordAttempt(tx, {
        avisoId: a.id,
        attempt: a.attempts,
        at: deps.clock.now(),
        outcome: args.status === 'pending' ? 'failed' : outcome,
        detail: detail ?? args.error ?? null,
      });
      // A confirmation code is kept only as its hash: once settled, the outbox forgets it.
      const final = args.status !== 'pending' && a.facts.kind === 'contact_confirmation';
      const hide = (text: string) =>
        final && a.facts.kind === 'contact_confirmation' ? text.split(a.facts.code).join(HIDDEN_CODE) : text;
      const settled = await settleAviso(tx, {
        id: a.id,
        attempt: a.attempts,
        subject: hide(r.subject),
        body: hide(r.body),
        ...args,
      });
      if (settled && final) await forgetCode(tx, a.id);
      return settled;
    });

  if (!a.livemode && config.env === 'production') {
    await settle({ status: 'cancelled', error: 'test mode: not sent in production' });
    return;
  }
  if (!stillWanted(await findSettings(sql, a.citizen_id), a)) {
    await settle({ status: 'cancelled', error: 'turned off by the citizen' });
    return;
  }
  let detail: string;
  try {
    detail = await send(deps, sql, a, r, now);
  } catch (error) {
    const reason = reasonOf(error);
    const permanent = error instanceof PermanentFailure || a.attempts >= config.avisos.maxAttempts;
    deps.logger.log('warn', 'aviso not delivered', {
      aviso_id: a.id,
      kind: a.kind,
      channel: a.channel,
      attempt: a.attempts,
      reason,
    });
    if (permanent) deps.metrics?.aviso(a.channel, 'failed');
    await settle(
      permanent
        ? { status: 'failed', error: reason }
        : {
            status: 'pending',
            error: reason,
            nextAttemptAt: new Date(now.getTime() + avisoBackoffSeconds(a.attempts) * 1000),
          },
    );
    return;
  }
  // Accepted: settle at once, so no later claim sends it again.
  await settle({ status: 'sent', sentAt: deps.clock.now(), error: null }, detail);
  deps.metrics?.aviso(a.channel, 'sent');
  deps.logger.log('info', 'aviso delivered', { aviso_id: a.id, kind: a.kind, channel: a.channel, attempt: a.attempts });
}

/**
 * Delivers due avisos: up to `limit`, each claimed on its own (FOR UPDATE SKIP LOCKED, with a lease,
 * so several workers share the outbox and a dead worker's claim passes to another), sends each once, records
 * the attempt and settles it. Answers how many it handled. A runtime that cannot send some channel
 * (Workers have no SMTP) names the ones it can, and leaves the others to a process that can.
 */
export async function deliverAvisos(
  sql: Sql,
  deps: AvisoDeliveryDeps,
  options: { limit?: number; channels?: readonly Channel[] } = {},
): Promise<number> {
  // One claim per aviso, each with a fresh lease: a batch sent one after another would outlive a
  // lease taken for all of it at once, and another worker would send its last ones again.
  const limit = options.limit ?? 20;
  let handled = 0;
  while (handled < limit) {
    const now = deps.clock.now();
    const leaseUntil = new Date(now.getTime() + deps.config.avisos.leaseSeconds * 1000);
    const [a] = await claimDueAvisos(sql, now, leaseUntil, 1, options.channels);
    if (!a) break;
    await deliverOne(sql, deps, a);
    handled++;
  }
  return handled;
}
