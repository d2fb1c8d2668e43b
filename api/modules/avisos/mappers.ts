import type { z } from '@hono/zod-openapi';

import { AVISO_KINDS, HIDDEN_CODE, renderAviso } from './messages';
import type { AttemptRow, AvisoRow, SettingsState } from './queries';
import type { AvisoSchema, AvisoSettingsSchema } from './schemas';

/**
 * The subject as sent, or (not sent yet) as it will read. A confirmation code never shows: it
 * proves that whoever reads it receives the contact's messages, and anyone signed in as the
 * citizen could otherwise confirm an address that is not theirs (and a retried aviso keeps it
 * until it settles).
 */
export function avisoSubject(a: AvisoRow): string {
  if (a.facts.kind !== 'contact_confirmation')
    return a.subject ?? renderAviso(a.lang, a.facts, a.first_name, a.path).subject;
  const { code } = a.facts;
  return (
    a.subject?.split(code).join(HIDDEN_CODE) ??
    renderAviso(a.lang, { ...a.facts, code: HIDDEN_CODE }, a.first_name, a.path).subject
  );
}

export function toAviso(a: AvisoRow, attempts: AttemptRow[]): z.infer<typeof AvisoSchema> {
  return {
    id: a.id,
    object: 'aviso',
    livemode: a.livemode,
    kind: a.kind,
    channel: a.channel,
    recipient: a.recipient,
    recipient_source: a.recipient_source,
    language: a.lang,
    subject: avisoSubject(a),
    status: a.status,
    attempts: attempts.map((t) => ({
      attempt: t.attempt,
      at: t.at.toISOString(),
      outcome: t.outcome,
      detail: t.detail,
    })),
    next_attempt_at: a.status === 'pending' ? a.next_attempt_at.toISOString() : null,
    sent_at: a.sent_at?.toISOString() ?? null,
    created_at: a.created_at.toISOString(),
  };
}

export function toAvisoSettings({ settings: s, codes }: SettingsState): z.infer<typeof AvisoSettingsSchema> {
  const pending = (channel: 'email' | 'sms') => {
    const c = codes.find((x) => x.channel === channel);
    return c ? { value: c.value, expires_at: c.expires_at.toISOString() } : null;
  };
  return {
    object: 'aviso_settings',
    language: s?.lang ?? 'es',
    channels: s?.channels ?? ['email', 'sms'],
    kinds: AVISO_KINDS.filter((k) => !s?.kinds_off.includes(k) && !s?.kinds_off.includes('*')),
    email: {
      value: s?.email_confirmed_at ? s.email : null,
      confirmed_at: s?.email_confirmed_at?.toISOString() ?? null,
      pending: pending('email'),
    },
    phone: {
      value: s?.phone_confirmed_at ? s.phone : null,
      confirmed_at: s?.phone_confirmed_at?.toISOString() ?? null,
      pending: pending('sms'),
    },
    updated_at: s?.updated_at.toISOString() ?? null,
  };
}
