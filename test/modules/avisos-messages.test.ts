import { describe, expect, it } from 'vitest';

import { configFromEnv } from '../../api/config';
import { hmacSha256 } from '../../api/lib/secrets';
import { type AvisoFacts, firstName, renderAviso } from '../../api/modules/avisos/messages';
import { normalizeEmail, normalizePhone } from '../../api/modules/avisos/service';
import { readUnsubscribeToken, unsubscribeToken } from '../../api/modules/avisos/unsubscribe';

const ORG = 'Gestoría Sol S.L.';
const REG = 'REG-2026-000123';
const ALL: AvisoFacts[] = [
  { kind: 'delegation_request', org: ORG, code: 'ABCD-EFGH', answerBy: '2026-03-23' },
  { kind: 'delegation_granted', org: ORG, until: '2027-12-31' },
  { kind: 'delegation_revoked', org: ORG },
  { kind: 'delegation_renounced', org: ORG },
  { kind: 'delegation_expiring', org: ORG, until: '2026-04-15' },
  { kind: 'filing', org: ORG, registry: REG },
  { kind: 'requirement', org: ORG, registry: REG, deadline: null, deemedRejectedOn: '2026-03-20' },
  { kind: 'requirement', org: ORG, registry: REG, deadline: '2026-03-24', deemedRejectedOn: '2026-03-20' },
  { kind: 'resolution', org: ORG, registry: REG },
  {
    kind: 'presumed_denial',
    registry: REG,
    deniedOn: '2026-06-03',
    priorClaim: true,
    priorClaimDeadline: '2026-07-15',
  },
  { kind: 'presumed_denial', registry: REG, deniedOn: '2026-06-03', priorClaim: false, priorClaimDeadline: null },
  { kind: 'deemed_rejection_warning', org: ORG, registry: REG, deemedRejectedOn: '2026-03-20' },
  { kind: 'contact_confirmation', code: '482913', minutes: 15 },
];

describe('aviso texts', () => {
  it('every kind, in Spanish and English: short, greeting by first name, with the link, nothing else personal', () => {
    for (const lang of ['es', 'en'] as const) {
      for (const facts of ALL) {
        const link = 'https://puente.example.es/ciudadania/tramites/prc_1';
        const r = renderAviso(lang, facts, 'Carmen', link);
        expect(r.body.split('\n')[0]).toBe(lang === 'es' ? 'Hola, Carmen:' : 'Hello Carmen,');
        expect(r.body).toContain(link);
        if (facts.kind !== 'contact_confirmation') expect(r.sms).toContain(link);
        expect(r.subject.length).toBeLessThan(90);
        expect(r.sms.length).toBeLessThan(200);
        for (const text of [r.subject, r.body, r.sms]) expect(text).not.toMatch(/\d{8}[A-Z]|€|jubilaci|incapacidad/i);
      }
    }
  });

  it('states the dates in words, from the facts it is given', () => {
    const es = renderAviso('es', ALL[9]!, null, 'https://x');
    expect(es.body).toContain('desde el 3 de junio de 2026 se entiende denegado');
    expect(es.body).toContain('reclamación previa hasta el 15 de julio de 2026');
    const en = renderAviso('en', ALL[7]!, null, 'https://x');
    expect(en.subject).toBe('Documents are due by 24 March 2026');
  });

  it('sends the denial of a reclamación previa to court, not to another reclamación previa', () => {
    const es = renderAviso('es', ALL[10]!, null, 'https://x');
    expect(es.body).toContain('desde el 3 de junio de 2026 se entiende denegado');
    expect(es.body).toContain('demanda ante el Juzgado de lo Social');
    expect(es.body).not.toContain('reclamación previa');
    expect(renderAviso('en', ALL[10]!, null, 'https://x').body).not.toContain('prior claim');
  });

  it('keeps only the first name', () => {
    expect(firstName('  Carmen López García ')).toBe('Carmen');
    expect(firstName(null)).toBeNull();
    expect(firstName('   ')).toBeNull();
  });
});

describe('contacts and unsubscribe links', () => {
  it('normalises phones to E.164 and refuses what is not an email or phone', () => {
    expect(normalizePhone('612 345 678')).toBe('+34612345678');
    expect(normalizePhone('0034 612-345-678')).toBe('+34612345678');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizeEmail(' carmen@example.es ')).toBe('carmen@example.es');
    expect(normalizeEmail('carmen@example')).toBeNull();
    expect(normalizeEmail('a b@example.es')).toBeNull();
  });

  it('signs the unsubscribe token with the service secret: another secret or any change is refused', async () => {
    const secret = configFromEnv({ PUENTE_ENV: 'test' }).secretKey;
    const token = await unsubscribeToken(secret, { citizenId: 'cit_1', kind: 'filing' });
    expect(await readUnsubscribeToken(secret, token)).toEqual({ citizenId: 'cit_1', kind: 'filing' });
    expect(await readUnsubscribeToken('another-secret-of-at-least-32-characters', token)).toBeUndefined();
    const [citizen, kind, mac] = token.split('.');
    expect(citizen).toBe('cit_1');
    expect(await readUnsubscribeToken(secret, `cit_2.${kind}.${mac}`)).toBeUndefined();
    expect(await readUnsubscribeToken(secret, `${citizen}.x.${mac}`)).toBeUndefined();
    expect(
      await readUnsubscribeToken(secret, `${citizen}.${kind}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`),
    ).toBeUndefined();
    // A link that turned off every kind, as confirmation codes once carried to addresses that may
    // be mistyped: validly signed, it is no longer honoured.
    const everyKind = `cit_1.x.${(await hmacSha256(secret, 'puente-avisos-unsubscribe:cit_1.x')).slice(0, 22)}`;
    expect(await readUnsubscribeToken(secret, everyKind)).toBeUndefined();
    expect(token.length).toBeLessThan(40);
    expect(await readUnsubscribeToken(secret, 'garbage')).toBeUndefined();
  });

  it('validates the avisos configuration', () => {
    expect(() => configFromEnv({ PUENTE_SMTP_URL: 'http://mail' })).toThrow('PUENTE_SMTP_URL');
    expect(() => configFromEnv({ PUENTE_SMS_GATEWAY_URL: 'https://sms.example.es' })).toThrow(
      'PUENTE_SMS_GATEWAY_SECRET is required',
    );
    expect(() =>
      configFromEnv({ PUENTE_SMS_GATEWAY_URL: 'https://sms.example.es', PUENTE_SMS_GATEWAY_SECRET: 'short' }),
    ).toThrow('Standard Webhooks secret');
    expect(() => configFromEnv({ PUENTE_AVISO_LEASE_SECONDS: '30' })).toThrow('at least 90');
    expect(configFromEnv({ PUENTE_BASE_URL: 'https://puente.example.es' }).avisos.mailFrom).toBe(
      'Puente <avisos@puente.example.es>',
    );
  });
});
