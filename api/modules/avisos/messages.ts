import { formatDay, type Lang } from '../citizen/i18n';

/**
 * The kinds of aviso a citizen can receive (and turn off one by one). `contact_confirmation`
 * (the code that confirms a new email or phone) is not among them: it is asked for, never
 * sent unasked.
 */
export const AVISO_KINDS = [
  'delegation_request',
  'delegation_granted',
  'delegation_revoked',
  'delegation_renounced',
  'delegation_expiring',
  'filing',
  'requirement',
  'resolution',
  'presumed_denial',
  'deemed_rejection_warning',
] as const;
export type AvisoKind = (typeof AVISO_KINDS)[number];
export type AnyAvisoKind = AvisoKind | 'contact_confirmation';

/** What stands for a confirmation code wherever an aviso is shown rather than sent. */
export const HIDDEN_CODE = '······';
export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isAvisoKind(value: unknown): value is AvisoKind {
  return typeof value === 'string' && (AVISO_KINDS as readonly string[]).includes(value);
}

/** Days before a delegation ends when the citizen is told. */
export const EXPIRING_WITHIN_DAYS = 30;

/**
 * What an aviso says. Only the first name, the organisation's name, registry numbers and dates:
 * never an identity number, a procedure type (it may reveal health), an amount or an outcome.
 */
export type AvisoFacts =
  | { kind: 'delegation_request'; org: string; code: string; answerBy: string }
  | { kind: 'delegation_granted'; org: string; until: string }
  | { kind: 'delegation_revoked'; org: string }
  | { kind: 'delegation_renounced'; org: string }
  | { kind: 'delegation_expiring'; org: string; until: string }
  | { kind: 'filing'; org: string; registry: string }
  | { kind: 'requirement'; org: string; registry: string; deadline: string | null; deemedRejectedOn: string | null }
  | { kind: 'resolution'; org: string; registry: string }
  | {
      kind: 'presumed_denial';
      registry: string;
      deniedOn: string;
      /** False for a reclamación previa: its denial is contested in court, not with another one. */
      priorClaim: boolean;
      priorClaimDeadline: string | null;
    }
  | { kind: 'deemed_rejection_warning'; org: string; registry: string; deemedRejectedOn: string }
  | { kind: 'contact_confirmation'; code: string; minutes: number };

export interface RenderedAviso {
  subject: string;
  /** The email body (greeting, text, link, unsubscribe line added at delivery). */
  body: string;
  /** The SMS: one short line and the link. */
  sms: string;
}

/** The first word of a name: the only part of it an aviso may carry. */
export function firstName(name: string | null | undefined): string | null {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : null;
}

export function renderAviso(lang: Lang, facts: AvisoFacts, name: string | null, link: string): RenderedAviso {
  const day = (d: string) => formatDay(lang, d);
  const es = lang === 'es';
  const hello = es ? (name ? `Hola, ${name}:` : 'Hola:') : name ? `Hello ${name},` : 'Hello,';
  const see = es ? `Véalo en su área de ciudadanía: ${link}` : `See it in your citizen area: ${link}`;
  let subject: string;
  let lines: string[];
  let sms: string;
  switch (facts.kind) {
    case 'delegation_request':
      subject = es ? `${facts.org} pide representarle` : `${facts.org} asks to represent you`;
      lines = es
        ? [
            `${facts.org} le pide permiso para hacer trámites de la Seguridad Social en su nombre.`,
            `Código de la solicitud: ${facts.code}. Compruebe que coincide con el que le dio la organización.`,
            `Revise la solicitud y responda hasta el ${day(facts.answerBy)}: ${link}`,
          ]
        : [
            `${facts.org} asks your permission to handle Social Security procedures on your behalf.`,
            `Request code: ${facts.code}. Check it matches the one the organisation gave you.`,
            `Review the request and answer by ${day(facts.answerBy)}: ${link}`,
          ];
      sms = es
        ? `Puente: ${facts.org} pide representarle. Código ${facts.code}. Responda aquí: ${link}`
        : `Puente: ${facts.org} asks to represent you. Code ${facts.code}. Answer here: ${link}`;
      break;
    case 'delegation_granted':
      subject = es ? `Ha autorizado a ${facts.org}` : `You authorised ${facts.org}`;
      lines = es
        ? [
            `${facts.org} puede actuar en su nombre hasta el ${day(facts.until)}.`,
            `Puede revocarlo cuando quiera: ${link}`,
          ]
        : [`${facts.org} may act on your behalf until ${day(facts.until)}.`, `You can revoke it at any time: ${link}`];
      sms = es ? `Puente: ha autorizado a ${facts.org}. ${link}` : `Puente: you authorised ${facts.org}. ${link}`;
      break;
    case 'delegation_revoked':
      subject = es ? `Ha revocado la autorización a ${facts.org}` : `You revoked ${facts.org}'s authorisation`;
      lines = es
        ? [`${facts.org} ya no puede actuar en su nombre.`, see]
        : [`${facts.org} can no longer act on your behalf.`, see];
      sms = es
        ? `Puente: ${facts.org} ya no le representa. ${link}`
        : `Puente: ${facts.org} no longer represents you. ${link}`;
      break;
    case 'delegation_renounced':
      subject = es ? `${facts.org} ha dejado de representarle` : `${facts.org} stopped representing you`;
      lines = es
        ? [`${facts.org} ha renunciado a la representación: ya no actúa en su nombre.`, see]
        : [`${facts.org} gave up the representation: it no longer acts on your behalf.`, see];
      sms = es
        ? `Puente: ${facts.org} ha dejado de representarle. ${link}`
        : `Puente: ${facts.org} stopped representing you. ${link}`;
      break;
    case 'delegation_expiring':
      subject = es
        ? `Su autorización a ${facts.org} termina el ${day(facts.until)}`
        : `Your authorisation of ${facts.org} ends on ${day(facts.until)}`;
      lines = es
        ? [
            `Después de ese día ${facts.org} no podrá actuar en su nombre, salvo que usted conceda una nueva autorización.`,
            see,
          ]
        : [`After that day ${facts.org} cannot act on your behalf unless you grant a new authorisation.`, see];
      sms = es
        ? `Puente: su autorización a ${facts.org} termina el ${day(facts.until)}. ${link}`
        : `Puente: your authorisation of ${facts.org} ends on ${day(facts.until)}. ${link}`;
      break;
    case 'filing':
      subject = es
        ? `Trámite presentado en su nombre: ${facts.registry}`
        : `Procedure filed on your behalf: ${facts.registry}`;
      lines = es
        ? [`${facts.org} ha presentado un trámite en su nombre. Número de registro: ${facts.registry}.`, see]
        : [`${facts.org} filed a procedure on your behalf. Registry number: ${facts.registry}.`, see];
      sms = es
        ? `Puente: trámite presentado en su nombre, registro ${facts.registry}. ${link}`
        : `Puente: procedure filed on your behalf, registry ${facts.registry}. ${link}`;
      break;
    case 'requirement':
      if (facts.deadline) {
        subject = es
          ? `Plazo para aportar documentos: hasta el ${day(facts.deadline)}`
          : `Documents are due by ${day(facts.deadline)}`;
        lines = es
          ? [
              `La Seguridad Social pide documentos para el trámite ${facts.registry}.`,
              `El plazo para aportarlos termina el ${day(facts.deadline)}. ${facts.org} le representa en este trámite.`,
              see,
            ]
          : [
              `Social Security asks for documents for procedure ${facts.registry}.`,
              `They are due by ${day(facts.deadline)}. ${facts.org} represents you in this procedure.`,
              see,
            ];
        sms = es
          ? `Puente: documentos pedidos para ${facts.registry}, plazo hasta el ${day(facts.deadline)}. ${link}`
          : `Puente: documents requested for ${facts.registry}, due by ${day(facts.deadline)}. ${link}`;
      } else {
        subject = es
          ? `La Seguridad Social pide documentos: ${facts.registry}`
          : `Social Security asks for documents: ${facts.registry}`;
        lines = es
          ? [
              `La Seguridad Social pide documentos para el trámite ${facts.registry} y se lo ha notificado a ${facts.org}.`,
              `El plazo de 10 días hábiles empieza cuando ${facts.org} abra la notificación${facts.deemedRejectedOn ? `, o el ${day(facts.deemedRejectedOn)} si no la abre` : ''}.`,
              see,
            ]
          : [
              `Social Security asks for documents for procedure ${facts.registry} and notified ${facts.org}.`,
              `The 10 working days start when ${facts.org} opens the notification${facts.deemedRejectedOn ? `, or on ${day(facts.deemedRejectedOn)} if it does not` : ''}.`,
              see,
            ];
        sms = es
          ? `Puente: la Seguridad Social pide documentos para ${facts.registry}. ${link}`
          : `Puente: Social Security asks for documents for ${facts.registry}. ${link}`;
      }
      break;
    case 'resolution':
      subject = es
        ? `Hay una resolución de su trámite ${facts.registry}`
        : `Your procedure ${facts.registry} has a decision`;
      lines = es
        ? [`La Seguridad Social ha resuelto el trámite ${facts.registry} y se lo ha notificado a ${facts.org}.`, see]
        : [`Social Security decided procedure ${facts.registry} and notified ${facts.org}.`, see];
      sms = es
        ? `Puente: hay una resolución del trámite ${facts.registry}. ${link}`
        : `Puente: procedure ${facts.registry} has a decision. ${link}`;
      break;
    case 'presumed_denial':
      subject = es ? `Sin respuesta a tiempo: ${facts.registry}` : `No decision in time: ${facts.registry}`;
      lines = es
        ? [
            `La Seguridad Social no resolvió a tiempo el trámite ${facts.registry}: desde el ${day(facts.deniedOn)} se entiende denegado.`,
            !facts.priorClaim
              ? 'Esta denegación se recurre con una demanda ante el Juzgado de lo Social, que tiene su propio plazo: consulte a su representante.'
              : facts.priorClaimDeadline
                ? `Puede presentar una reclamación previa hasta el ${day(facts.priorClaimDeadline)}.`
                : 'Puede presentar una reclamación previa.',
            see,
          ]
        : [
            `Social Security did not decide procedure ${facts.registry} in time: since ${day(facts.deniedOn)} it counts as denied.`,
            !facts.priorClaim
              ? 'This refusal is contested with a claim before the social court (Juzgado de lo Social), which has its own time limit: ask your representative.'
              : facts.priorClaimDeadline
                ? `You may file a prior claim (reclamación previa) until ${day(facts.priorClaimDeadline)}.`
                : 'You may file a prior claim (reclamación previa).',
            see,
          ];
      sms = es
        ? `Puente: ${facts.registry} se entiende denegado.${facts.priorClaimDeadline ? ` Reclamación previa hasta el ${day(facts.priorClaimDeadline)}.` : ''} ${link}`
        : `Puente: ${facts.registry} counts as denied.${facts.priorClaimDeadline ? ` Prior claim until ${day(facts.priorClaimDeadline)}.` : ''} ${link}`;
      break;
    case 'deemed_rejection_warning':
      subject = es ? `Notificación sin abrir: ${facts.registry}` : `Unopened notification: ${facts.registry}`;
      lines = es
        ? [
            `${facts.org} aún no ha abierto una notificación de la Seguridad Social sobre el trámite ${facts.registry}.`,
            `Si no la abre, el ${day(facts.deemedRejectedOn)} se entenderá rechazada y el trámite seguirá adelante.`,
            see,
          ]
        : [
            `${facts.org} has not yet opened a Social Security notification about procedure ${facts.registry}.`,
            `If it stays unopened, on ${day(facts.deemedRejectedOn)} it counts as rejected and the procedure goes on.`,
            see,
          ];
      sms = es
        ? `Puente: notificación sin abrir en ${facts.registry}; se entenderá rechazada el ${day(facts.deemedRejectedOn)}. ${link}`
        : `Puente: unopened notification on ${facts.registry}; counts as rejected on ${day(facts.deemedRejectedOn)}. ${link}`;
      break;
    case 'contact_confirmation':
      subject = es ? `Su código de Puente: ${facts.code}` : `Your Puente code: ${facts.code}`;
      lines = es
        ? [
            `Escriba este código en su área de ciudadanía para confirmar este contacto: ${facts.code}`,
            `Caduca en ${facts.minutes} minutos. Si no lo ha pedido usted, ignore este mensaje.`,
            link,
          ]
        : [
            `Enter this code in your citizen area to confirm this contact: ${facts.code}`,
            `It expires in ${facts.minutes} minutes. If you did not ask for it, ignore this message.`,
            link,
          ];
      sms = es
        ? `Puente: su código es ${facts.code}. Caduca en ${facts.minutes} minutos.`
        : `Puente: your code is ${facts.code}. It expires in ${facts.minutes} minutes.`;
      break;
  }
  return { subject, body: [hello, '', ...lines].join('\n'), sms };
}

/** The line every email ends with, and the SMS suffix. */
export function unsubscribeLine(lang: Lang, url: string): string {
  return lang === 'es'
    ? `Si no quiere recibir más avisos como este: ${url}`
    : `To stop receiving avisos like this one: ${url}`;
}
