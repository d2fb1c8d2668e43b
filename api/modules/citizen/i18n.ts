import type { Subject } from '../catalog/schemas';
import type { Capacity } from '../delegations/scope';

/** Languages of the citizen pages: Spanish by default, English on request. */
export const LANGS = ['es', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'es';

export function isLang(value: string | undefined): value is Lang {
  return value === 'es' || value === 'en';
}

const es = {
  locale: 'es-ES',
  siteName: 'Puente',
  areaName: 'Área de ciudadanía',
  skipLink: 'Saltar al contenido principal',
  navLabel: 'Principal',
  langNavLabel: 'Idioma',
  switchTo: { lang: 'en' as Lang, label: 'English' },
  navHome: 'Inicio',
  navDelegations: 'Mis delegaciones',
  navAccessLog: 'Registro de accesos',
  signOut: 'Salir',
  signIn: 'Identificarse',
  signedInAs: (name: string) => `Ha entrado como ${name}`,
  footer: 'Puente solo actúa en su nombre con su consentimiento, y usted puede retirarlo cuando quiera.',
  testMode: 'Prueba',
  testModeNote: 'Solicitud de prueba (modo test): no tiene efectos reales.',

  homeTitle: 'Área de ciudadanía',
  homeIntro:
    'Una gestoría, un graduado social, un despacho de abogados o una entidad sin ánimo de lucro pueden tramitar prestaciones de la Seguridad Social en su nombre, pero solo si usted lo autoriza.',
  homeWhat:
    'Aquí puede aprobar o rechazar las solicitudes que le envíen, revocar en cualquier momento las delegaciones que haya concedido y ver todo lo que se ha hecho en su nombre.',
  homeSignInPrompt: 'Para continuar, identifíquese.',
  pendingHeading: 'Solicitudes pendientes',
  pendingNone: 'No tiene solicitudes pendientes.',
  pendingAsks: 'Pide actuar en su nombre para:',
  pendingUntil: (date: string) => `Responda antes del ${date}.`,
  reviewRequest: 'Revisar la solicitud',
  reviewRequestOf: (org: string) => `Revisar la solicitud de ${org}`,
  moreLinks: 'Más opciones',

  signInTitle: 'Identificarse',
  signInExternal:
    'La identificación la realiza el proveedor de identidad configurado para este servicio (por ejemplo, Cl@ve). Acceda desde el enlace que le ha facilitado su administración.',
  signInNeeded: 'Identifíquese para ver esta solicitud. Solo usted, con su DNI o NIE, puede verla y responderla.',
  signInNeededGeneric: 'Identifíquese para ver esta página.',

  requestTitle: 'Solicitud de representación',
  whoHeading: 'Quién lo pide',
  verified: 'Organización verificada por Puente',
  notVerified: 'Organización pendiente de verificación',
  suspendedOrg: 'Organización suspendida por Puente',
  orgKind: 'Tipo',
  orgRegistration: 'Inscripción profesional',
  registrationNumber: (place: string, n: string) => `${place}, número ${n}`,
  orgNif: 'NIF',
  whatHeading: 'Qué podrá hacer en su nombre',
  proceduresLabel: 'En estos trámites:',
  subjectsIncluded: (list: string) => `Incluye todos los trámites de: ${list}.`,
  capacitiesLabel: 'Podrá:',
  untilHeading: 'Hasta cuándo',
  until: (date: string) => `Hasta el ${date}, salvo que usted la revoque antes.`,
  messageHeading: 'Mensaje de la organización',
  codeHeading: 'Código de la solicitud',
  codeHelp: 'Compruebe que coincide con el código que le ha dado la organización.',
  answerHeading: 'Su respuesta',
  answerHelp: 'Si acepta, la organización podrá actuar en su nombre dentro de estos límites. Podrá revocarlo en cualquier momento.',
  answerBy: (date: string) => `Puede responder hasta el ${date}.`,
  accept: 'Aceptar y conceder la representación',
  reject: 'Rechazar',
  requestStatus: {
    accepted: 'Ya aceptó esta solicitud.',
    rejected: 'Rechazó esta solicitud.',
    cancelled: 'La organización retiró esta solicitud.',
    expired: 'Esta solicitud caducó sin respuesta. Si lo desea, pida a la organización que le envíe otra.',
    pending: 'Pendiente de su respuesta.',
  } as Record<string, string>,
  seeDelegations: 'Ver mis delegaciones',

  delegationsTitle: 'Mis delegaciones',
  delegationsIntro: 'Organizaciones a las que ha autorizado a actuar en su nombre.',
  activeHeading: 'Activas',
  endedHeading: 'Terminadas',
  delegationsNone: 'No ha concedido ninguna delegación.',
  activeNone: 'No tiene delegaciones activas.',
  validity: 'Vigencia',
  validityRange: (from: string, to: string) => `Del ${from} al ${to}`,
  status: 'Estado',
  delegationStatus: {
    active: 'Activa',
    revoked: 'Revocada por usted',
    renounced: 'La organización renunció',
    expired: 'Caducada',
    suspended: 'Suspendida por Puente',
  } as Record<string, string>,
  revoke: 'Revocar',
  revokeOf: (org: string) => `Revocar la delegación de ${org}`,
  revokeHelp: 'Si la revoca, tendrá efecto inmediato: la organización no podrá volver a actuar en su nombre con esta delegación.',
  morePages: 'Ver más',

  accessLogTitle: 'Registro de accesos',
  accessLogIntro: 'Todo lo que se ha hecho en su nombre, empezando por lo más reciente. Horas de Madrid.',
  accessLogNone: 'Nadie ha actuado todavía en su nombre.',
  accessLogCaption: 'Accesos realizados en su nombre',
  colWhen: 'Fecha y hora',
  colOrg: 'Organización',
  colMember: 'Persona',
  colAction: 'Acción',
  colResource: 'Sobre',
  olderEntries: 'Ver accesos anteriores',
  newestEntries: 'Volver a los más recientes',
  unknownMember: '—',
  actions: {
    'consent_token.minted': 'Obtuvo un permiso temporal para actuar en su nombre',
    'consent.checked': 'Comprobó que su permiso sigue vigente',
    'procedure.created': 'Creó un expediente',
    'procedure.read': 'Consultó un expediente',
    'procedure.updated': 'Modificó un expediente',
    'procedure.submitted': 'Presentó una solicitud',
    'procedure.withdrawn': 'Desistió de un expediente',
    'procedure.timeline_read': 'Consultó el historial de un expediente',
    'procedure.receipt_read': 'Consultó el justificante de presentación',
    'requirement.answered': 'Respondió a un requerimiento',
    'document.uploaded': 'Aportó un documento',
    'document.downloaded': 'Descargó un documento',
  } as Record<string, string>,
  otherAction: (code: string) => `Otra acción (${code})`,
  resources: {
    delegation: 'Delegación',
    procedure: 'Expediente',
    document: 'Documento',
    requirement: 'Requerimiento',
  } as Record<string, string>,

  notices: {
    accepted: 'Ha aceptado la solicitud. La organización ya puede actuar en su nombre dentro de lo que ha autorizado.',
    rejected: 'Ha rechazado la solicitud. La organización no podrá actuar en su nombre.',
    revoked: 'Delegación revocada. Tiene efecto inmediato: la organización ya no puede actuar en su nombre con ella.',
    signed_out: 'Ha salido de su sesión.',
  } as Record<string, string>,

  errorTitle: 'No se ha podido completar',
  notFoundTitle: 'Página no encontrada',
  notFoundText: 'No encontramos lo que busca. Si le enviaron un enlace, compruebe que ha entrado con su propio DNI o NIE.',
  forbiddenTitle: 'Acción no permitida',
  forbiddenText: 'No hemos podido comprobar que esta acción la ha pedido usted desde esta página. Vuelva a la página e inténtelo de nuevo.',
  sessionEndedTitle: 'Su sesión ha terminado',
  sessionEndedText: 'Vuelva a identificarse para continuar.',
  backHome: 'Volver al inicio',
  problems: {
    delegation_request_expired: 'La solicitud caducó antes de que la respondiera. Pida a la organización que le envíe otra.',
    invalid_state_transition: 'Esta solicitud o delegación ya no admite ese cambio: puede que ya la haya respondido o revocado.',
    conflict: 'La organización está suspendida y no puede recibir nuevas delegaciones.',
    not_found: 'No encontramos esta solicitud o delegación.',
  } as Record<string, string>,
  problemFallback: 'Algo ha fallado. Inténtelo de nuevo más tarde.',

  devTitle: 'Identificarse (desarrollo)',
  devBanner: 'Proveedor de identidad de DESARROLLO — no usar en producción',
  devExplain:
    'Este formulario sustituye a Cl@ve solo en entornos de desarrollo y pruebas: acepta cualquier DNI o NIE válido sin comprobar quién es usted.',
  devIdNumber: 'DNI o NIE',
  devIdNumberHint: 'Por ejemplo, 12345678Z.',
  devName: 'Nombre y apellidos',
  devSubmit: 'Entrar',
  devErrorsHeading: 'Hay errores en el formulario',
  devIdInvalid: 'Escriba un DNI o NIE válido: 8 cifras y una letra, o X, Y o Z, 7 cifras y una letra.',
  devIdCheckLetter: 'La letra del DNI o NIE no corresponde a las cifras. Revíselo.',
  devNameInvalid: 'Escriba su nombre y apellidos (entre 2 y 200 caracteres).',
  devUnavailable: 'El proveedor de identidad de desarrollo no está activado en este entorno.',

  subjects: {
    pensions: 'pensiones',
    disability: 'incapacidad',
    family: 'familia',
    minimum_income: 'ingreso mínimo',
    health: 'asistencia sanitaria',
    appeals: 'reclamaciones',
  } as Record<Subject, string>,
  capacities: {
    consult: 'consultar sus expedientes',
    file: 'presentar solicitudes',
    respond: 'responder a requerimientos',
    withdraw: 'desistir o renunciar',
  } as Record<Capacity, string>,
  orgKinds: {
    gestoria: 'Gestoría administrativa',
    graduado_social: 'Graduado social (asesoría laboral y de Seguridad Social)',
    law_firm: 'Despacho de abogados',
    third_sector: 'Entidad sin ánimo de lucro (asociación o fundación)',
  } as Record<string, string>,
  listJoin: (items: string[]) => joinList(items, 'y'),
};

export type Messages = typeof es;

const en: Messages = {
  locale: 'en-GB',
  siteName: 'Puente',
  areaName: 'Citizen area',
  skipLink: 'Skip to main content',
  navLabel: 'Main',
  langNavLabel: 'Language',
  switchTo: { lang: 'es', label: 'Español' },
  navHome: 'Home',
  navDelegations: 'My delegations',
  navAccessLog: 'Access log',
  signOut: 'Sign out',
  signIn: 'Sign in',
  signedInAs: (name: string) => `Signed in as ${name}`,
  footer: 'Puente only acts on your behalf with your consent, and you can withdraw it whenever you want.',
  testMode: 'Test',
  testModeNote: 'Test request (test mode): it has no real effect.',

  homeTitle: 'Citizen area',
  homeIntro:
    'An administrative agency, a labour adviser, a law firm or a non-profit can handle Social Security benefits on your behalf, but only if you authorise it.',
  homeWhat:
    'Here you can approve or reject the requests they send you, revoke the delegations you have granted at any time, and see everything done on your behalf.',
  homeSignInPrompt: 'To continue, please sign in.',
  pendingHeading: 'Pending requests',
  pendingNone: 'You have no pending requests.',
  pendingAsks: 'Asks to act on your behalf to:',
  pendingUntil: (date: string) => `Answer before ${date}.`,
  reviewRequest: 'Review the request',
  reviewRequestOf: (org: string) => `Review the request from ${org}`,
  moreLinks: 'More options',

  signInTitle: 'Sign in',
  signInExternal:
    'Sign-in is handled by the identity provider configured for this service (for example, Cl@ve). Use the link your administration gave you.',
  signInNeeded: 'Sign in to see this request. Only you, with your DNI or NIE, can see and answer it.',
  signInNeededGeneric: 'Sign in to see this page.',

  requestTitle: 'Request to act on your behalf',
  whoHeading: 'Who is asking',
  verified: 'Organisation verified by Puente',
  notVerified: 'Organisation not yet verified',
  suspendedOrg: 'Organisation suspended by Puente',
  orgKind: 'Kind',
  orgRegistration: 'Professional registration',
  registrationNumber: (place: string, n: string) => `${place}, number ${n}`,
  orgNif: 'Tax number (NIF)',
  whatHeading: 'What they could do on your behalf',
  proceduresLabel: 'In these procedures:',
  subjectsIncluded: (list: string) => `Includes every procedure about: ${list}.`,
  capacitiesLabel: 'They could:',
  untilHeading: 'Until when',
  until: (date: string) => `Until ${date}, unless you revoke it earlier.`,
  messageHeading: 'Message from the organisation',
  codeHeading: 'Request code',
  codeHelp: 'Check that it matches the code the organisation gave you.',
  answerHeading: 'Your answer',
  answerHelp: 'If you accept, the organisation may act on your behalf within these limits. You can revoke it at any time.',
  answerBy: (date: string) => `You can answer until ${date}.`,
  accept: 'Accept and grant representation',
  reject: 'Reject',
  requestStatus: {
    accepted: 'You have already accepted this request.',
    rejected: 'You rejected this request.',
    cancelled: 'The organisation withdrew this request.',
    expired: 'This request expired without an answer. If you wish, ask the organisation to send you another one.',
    pending: 'Waiting for your answer.',
  },
  seeDelegations: 'See my delegations',

  delegationsTitle: 'My delegations',
  delegationsIntro: 'Organisations you have authorised to act on your behalf.',
  activeHeading: 'Active',
  endedHeading: 'Ended',
  delegationsNone: 'You have not granted any delegation.',
  activeNone: 'You have no active delegations.',
  validity: 'Validity',
  validityRange: (from: string, to: string) => `From ${from} to ${to}`,
  status: 'Status',
  delegationStatus: {
    active: 'Active',
    revoked: 'Revoked by you',
    renounced: 'The organisation gave it up',
    expired: 'Expired',
    suspended: 'Suspended by Puente',
  },
  revoke: 'Revoke',
  revokeOf: (org: string) => `Revoke the delegation to ${org}`,
  revokeHelp: 'If you revoke it, it takes effect immediately: the organisation can no longer act on your behalf with this delegation.',
  morePages: 'See more',

  accessLogTitle: 'Access log',
  accessLogIntro: 'Everything done on your behalf, newest first. Madrid time.',
  accessLogNone: 'Nobody has acted on your behalf yet.',
  accessLogCaption: 'Accesses made on your behalf',
  colWhen: 'Date and time',
  colOrg: 'Organisation',
  colMember: 'Person',
  colAction: 'Action',
  colResource: 'About',
  olderEntries: 'See older entries',
  newestEntries: 'Back to the newest',
  unknownMember: '—',
  actions: {
    'consent_token.minted': 'Obtained a temporary permission to act on your behalf',
    'consent.checked': 'Checked that your permission is still valid',
    'procedure.created': 'Created a case',
    'procedure.read': 'Read a case',
    'procedure.updated': 'Changed a case',
    'procedure.submitted': 'Filed an application',
    'procedure.withdrawn': 'Withdrew a case',
    'procedure.timeline_read': 'Read the history of a case',
    'procedure.receipt_read': 'Read the filing receipt',
    'requirement.answered': 'Answered a requirement',
    'document.uploaded': 'Added a document',
    'document.downloaded': 'Downloaded a document',
  },
  otherAction: (code: string) => `Other action (${code})`,
  resources: {
    delegation: 'Delegation',
    procedure: 'Case',
    document: 'Document',
    requirement: 'Requirement',
  },

  notices: {
    accepted: 'You accepted the request. The organisation can now act on your behalf within what you authorised.',
    rejected: 'You rejected the request. The organisation cannot act on your behalf.',
    revoked: 'Delegation revoked. It takes effect immediately: the organisation can no longer act on your behalf with it.',
    signed_out: 'You have signed out.',
  },

  errorTitle: 'This could not be completed',
  notFoundTitle: 'Page not found',
  notFoundText: 'We could not find what you are looking for. If you were sent a link, check that you signed in with your own DNI or NIE.',
  forbiddenTitle: 'Action not allowed',
  forbiddenText: 'We could not confirm that you asked for this action from this page. Go back to the page and try again.',
  sessionEndedTitle: 'Your session has ended',
  sessionEndedText: 'Sign in again to continue.',
  backHome: 'Back to the start',
  problems: {
    delegation_request_expired: 'The request expired before you answered it. Ask the organisation to send you another one.',
    invalid_state_transition: 'This request or delegation no longer allows that change: you may have already answered or revoked it.',
    conflict: 'The organisation is suspended and cannot receive new delegations.',
    not_found: 'We could not find this request or delegation.',
  },
  problemFallback: 'Something went wrong. Please try again later.',

  devTitle: 'Sign in (development)',
  devBanner: 'DEVELOPMENT identity provider — do not use in production',
  devExplain:
    'This form stands in for Cl@ve only in development and test environments: it accepts any valid DNI or NIE without checking who you are.',
  devIdNumber: 'DNI or NIE',
  devIdNumberHint: 'For example, 12345678Z.',
  devName: 'Full name',
  devSubmit: 'Sign in',
  devErrorsHeading: 'There is a problem with the form',
  devIdInvalid: 'Enter a valid DNI or NIE: 8 digits and a letter, or X, Y or Z, 7 digits and a letter.',
  devIdCheckLetter: 'The letter of the DNI or NIE does not match its digits. Please check it.',
  devNameInvalid: 'Enter your full name (2 to 200 characters).',
  devUnavailable: 'The development identity provider is not enabled in this environment.',

  subjects: {
    pensions: 'pensions',
    disability: 'disability',
    family: 'family',
    minimum_income: 'minimum income',
    health: 'health care',
    appeals: 'appeals',
  },
  capacities: {
    consult: 'read your cases',
    file: 'file applications',
    respond: 'answer requirements',
    withdraw: 'withdraw or renounce',
  },
  orgKinds: {
    gestoria: 'Administrative agency (gestoría)',
    graduado_social: 'Labour and Social Security adviser (graduado social)',
    law_firm: 'Law firm',
    third_sector: 'Non-profit organisation (association or foundation)',
  },
  listJoin: (items: string[]) => joinList(items, 'and'),
};

function joinList(items: string[], conjunction: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export const MESSAGES: Record<Lang, Messages> = { es, en };

/** A calendar day (`YYYY-MM-DD`) in words: "31 de diciembre de 2027". */
export function formatDay(lang: Lang, day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(MESSAGES[lang].locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** A moment as a day in Madrid: what a citizen in Spain reads as "the date". */
export function formatMadridDay(lang: Lang, at: Date): string {
  return new Intl.DateTimeFormat(MESSAGES[lang].locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Madrid' }).format(at);
}

/** A moment in Madrid time, to the minute. */
export function formatMadridTime(lang: Lang, at: Date): string {
  return new Intl.DateTimeFormat(MESSAGES[lang].locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Madrid',
    timeZoneName: 'short',
  }).format(at);
}
