import type { AccessAction } from '../access-log/actions';
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
  navAvisos: 'Avisos',
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
  answerHelp:
    'Si acepta, la organización podrá actuar en su nombre dentro de estos límites. Podrá revocarlo en cualquier momento.',
  answerBy: (date: string) => `Puede responder hasta el ${date}.`,
  accept: 'Aceptar y conceder la representación',
  confirmWithdraw:
    'Autorizo expresamente a esta organización a desistir de mis solicitudes o renunciar a ellas en mi nombre. Si lo hace, el expediente se cierra y no sigue adelante.',
  confirmWithdrawMissing:
    'Esta solicitud incluye desistir o renunciar en su nombre: para aceptarla, marque la casilla que lo autoriza expresamente. Si no quiere concederlo, rechácela y pida a la organización una solicitud sin ese permiso.',
  reject: 'Rechazar',
  requestStatus: {
    accepted: 'Ya aceptó esta solicitud.',
    rejected: 'Rechazó esta solicitud.',
    cancelled: 'La organización retiró esta solicitud.',
    cancelled_by_system:
      'Puente suspendió a la organización, y esta solicitud quedó cancelada. No se ha concedido nada.',
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
  validityGranted: 'Vigencia concedida',
  endedLabel: 'Terminó',
  endedOn: (date: string) => `El ${date}`,
  endedAtEndOf: (date: string) => `Al acabar el ${date}`,
  endedByLabel: 'Quién la terminó',
  endedByCitizen: 'Usted, al revocarla',
  endedByOrganization: (org: string) => `${org}, al renunciar a ella`,
  endedByPlatform: 'Puente, al suspender a la organización',
  endedByExpiry: 'Nadie: llegó al final de su vigencia',
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
  revokeHelp:
    'Si la revoca, tendrá efecto inmediato: la organización no podrá volver a actuar en su nombre con esta delegación.',
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
    'notifications.listed': 'Consultó las notificaciones de un expediente',
    'notification.read': 'Consultó una notificación',
    'notification.accessed': 'Abrió una notificación de la Administración',
    'procedure.updated': 'Guardó el formulario de un expediente',
    'procedure.submitted': 'Presentó una solicitud',
    'procedure.withdrawn': 'Desistió de un expediente',
    'procedure.timeline_read': 'Consultó el historial de un expediente',
    'procedure.receipt_read': 'Consultó el justificante de presentación',
    'requirement.answered': 'Respondió a un requerimiento',
    'requirement.extension_requested': 'Pidió más plazo para responder a un requerimiento',
    'documents.listed': 'Consultó la lista de documentos de un expediente',
    'document.uploaded': 'Aportó un documento',
    'document.downloaded': 'Descargó un documento',
  } satisfies Record<AccessAction, string> as Record<string, string>,
  otherAction: (code: string) => `Otra acción (${code})`,
  replayedAction: (text: string) => `${text} (respuesta enviada de nuevo, sin cambios)`,
  /** What an entry concerns: the resource, and the procedure it belongs to by name and registry number. */
  aboutProcedure: (resource: string, name: string, registry: string | null) =>
    `${resource} · ${name} · ${registry ?? 'sin presentar'}`,
  resources: {
    delegation: 'Delegación',
    procedure: 'Expediente',
    document: 'Documento',
    requirement: 'Requerimiento',
    notification: 'Notificación',
  } as Record<string, string>,

  notices: {
    accepted: 'Ha aceptado la solicitud. La organización ya puede actuar en su nombre dentro de lo que ha autorizado.',
    rejected: 'Ha rechazado la solicitud. La organización no podrá actuar en su nombre.',
    revoked: 'Delegación revocada. Tiene efecto inmediato: la organización ya no puede actuar en su nombre con ella.',
    signed_out: 'Ha salido de su sesión.',
  } as Record<string, string>,

  errorTitle: 'No se ha podido completar',
  notFoundTitle: 'Página no encontrada',
  notFoundText:
    'No encontramos lo que busca. Si le enviaron un enlace, compruebe que ha entrado con su propio DNI o NIE.',
  forbiddenTitle: 'Acción no permitida',
  forbiddenText:
    'No hemos podido comprobar que esta acción la ha pedido usted desde esta página. Vuelva a la página e inténtelo de nuevo.',
  sessionEndedTitle: 'Su sesión ha terminado',
  sessionEndedText: 'Vuelva a identificarse para continuar.',
  backHome: 'Volver al inicio',
  problems: {
    delegation_request_expired:
      'La solicitud caducó antes de que la respondiera. Pida a la organización que le envíe otra.',
    invalid_state_transition:
      'Esta solicitud o delegación ya no admite ese cambio: puede que ya la haya respondido o revocado.',
    conflict: 'La organización está suspendida y no puede recibir nuevas delegaciones.',
    organization_not_practising:
      'La organización figura como no ejerciente en su colegio profesional, y solo quien ejerce puede representarle. No se ha concedido nada.',
    not_found: 'No encontramos esta solicitud o delegación.',
    invalid_cursor: 'El enlace de esta página no es válido o ha caducado. Vuelva a la lista y ábrala de nuevo.',
    validation_failed: 'Algún dato de la petición no es válido. Revíselo e inténtelo de nuevo.',
    payload_too_large: 'Lo que ha enviado es demasiado largo. Revíselo e inténtelo de nuevo.',
  } as Record<string, string>,
  problemFallback: 'Algo ha fallado. Inténtelo de nuevo más tarde.',
  back: 'Volver',

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
  navProcedures: 'Mis trámites',
  proceduresTitle: 'Mis trámites',
  proceduresIntro:
    'Todos los trámites preparados o presentados en su nombre, por cualquier representante. Siguen aquí aunque la delegación haya terminado.',
  proceduresNone: 'Nadie ha preparado ni presentado todavía ningún trámite en su nombre.',
  proceduresCaption: 'Trámites en su nombre',
  colProcedure: 'Trámite',
  colStatus: 'Estado',
  colHandledBy: 'Quién lo lleva',
  colFiled: 'Presentado',
  notFiledYet: 'Sin presentar',
  seeProcedureOf: (name: string) => `Ver el trámite: ${name}`,
  procedureStatus: {
    draft: 'En preparación: su representante aún no lo ha presentado',
    submitted: 'Presentado: la Administración aún no lo ha admitido',
    in_review: 'En estudio por la Administración',
    action_required: 'Le piden documentación',
    approved: 'Aprobado',
    partially_approved: 'Aprobado en parte',
    denied: 'Denegado',
    withdrawn: 'Retirado (desistimiento)',
    lapsed: 'Caducado',
  } as Record<string, string>,
  handledBy: (org: string, kind: string) => `${org} (${kind})`,
  delegationEndedNote: (status: string) =>
    `La delegación ya no está vigente (${status}); el trámite queda en su historial.`,

  summaryHeading: 'Resumen',
  registryNumber: 'Número de registro',
  filedAt: 'Presentado el',
  handledByLabel: 'Lo lleva',
  delegationLabel: 'Delegación',
  datesHeading: 'Fechas legales',
  bodySocialSecurity: 'La Seguridad Social',
  bodyAdministration: 'La Administración',
  legal: {
    not_filed: () =>
      'Todavía no se ha presentado. Los plazos legales empiezan a contar el día siguiente a su registro.',
    registered: (date: string) => `Se registró el ${date}. Los plazos legales cuentan desde el día siguiente.`,
    resolve_by: (body: string, date: string, positive: boolean) =>
      `${body} debe resolver y notificarle su decisión como muy tarde el ${date}. Si no lo hace, la solicitud se entiende ${positive ? 'aprobada' : 'denegada'} (silencio administrativo).`,
    prior_claim_if_silent: (date: string) => `En ese caso, podrá presentar una reclamación previa hasta el ${date}.`,
    clock_suspended: (date: string) =>
      `Mientras no se aporte lo que le piden, el plazo para resolver está parado. Hay que aportarlo hasta el ${date}.`,
    presumed_denied: (date: string) =>
      `El plazo para resolver terminó sin respuesta: desde el ${date} la solicitud se entiende denegada (silencio administrativo). La Administración todavía puede resolver.`,
    presumed_approved: (date: string) =>
      `El plazo para resolver terminó sin respuesta: desde el ${date} la solicitud se entiende aprobada (silencio administrativo).`,
    prior_claim_until: (date: string) => `Puede presentar una reclamación previa hasta el ${date}.`,
    court_claim: () =>
      'Contra la denegación de una reclamación previa cabe demanda ante el Juzgado de lo Social, con su propio plazo: consulte a su representante.',
    dates_unknown: () =>
      'Todavía no podemos calcular estas fechas: falta el calendario oficial de días inhábiles del año. Las mostraremos en cuanto se publique.',
    lapse_warned_unopened: (date: string) =>
      `La Administración ha advertido de que el trámite está paralizado por causa imputable a usted y puede caducar (art. 95.1 de la Ley 39/2015). Su representante aún no ha abierto la advertencia: si no la abre, se entenderá rechazada el ${date}. Desde el día siguiente a abrirla o a esa fecha hay tres meses para reanudarlo; después, la Administración podrá declararlo caducado y archivarlo.`,
    lapse_declarable_from: (date: string) =>
      `La Administración ha advertido de que el trámite está paralizado por causa imputable a usted y puede caducar (art. 95.1 de la Ley 39/2015). Si su representante no actúa en él antes, a partir del ${date} la Administración podrá declararlo caducado y archivarlo.`,
  },
  requirementHeading: 'Documentación que le piden',
  requirementAsked: 'Le piden:',
  requirementMissing: 'Falta por aportar:',
  requirementAllProvided: 'Ya se ha aportado todo lo que piden; falta que su representante responda al requerimiento.',
  requirementDeadline: (date: string) => `Plazo: hasta el ${date}.`,
  requirementTermPending:
    'El plazo empieza a contar cuando su representante abra la notificación (o, si no la abre, a los 10 días naturales).',
  requirementTermFrom: (date: string) =>
    `El plazo empieza a contar el día siguiente a que su representante abra la notificación. Si no la abre a más tardar el ${date}, se entenderá rechazada ese día y el plazo empezará a contar el día siguiente.`,
  requirementExtended: 'El plazo ya se amplió una vez (5 días hábiles más).',
  requirementMessage: 'Lo que dice la Administración:',
  requirementMessageWithheld:
    'El texto del requerimiento se mostrará cuando su representante abra la notificación (abrirla es la notificación a efectos legales) o, si no la abre, cuando se entienda rechazada a los 10 días naturales.',
  resolutionHeading: 'Resolución',
  resolutionOutcome: { approved: 'Aprobada', partially_approved: 'Aprobada en parte', denied: 'Denegada' } as Record<
    string,
    string
  >,
  resolvedOn: (date: string) => `Resuelta el ${date}.`,
  resolutionAmount: 'Importe',
  resolutionWithheld:
    'El texto y el importe de la resolución se mostrarán cuando su representante abra la notificación (abrirla es la notificación a efectos legales) o, si no la abre, cuando se entienda rechazada a los 10 días naturales.',
  documentsHeading: 'Documentos',
  documentsNone: 'Todavía no se ha aportado ningún documento.',
  documentsCaption: 'Documentos del trámite',
  colKind: 'Tipo',
  colName: 'Nombre',
  colDate: 'Fecha',
  colDownload: 'Descarga',
  download: 'Descargar',
  downloadOf: (name: string) => `Descargar ${name}`,
  downloadNote: 'Cada descarga queda anotada en su registro de accesos.',
  receiptHeading: 'Justificante de presentación',
  receiptLink: 'Descargar el justificante (PDF)',
  receiptNone: 'Habrá justificante cuando se presente la solicitud.',
  receiptNotFiled:
    'Este trámite todavía no se ha presentado, así que no tiene justificante de presentación. Lo tendrá cuando su representante lo presente.',
  timelineHeading: 'Historial',
  timelineCaption: 'Todo lo ocurrido en el trámite, del más antiguo al más reciente',
  colWho: 'Quién',
  timelineActions: {
    created: 'Preparó el borrador',
    form_updated: 'Actualizó la solicitud',
    submitted: 'Presentó la solicitud',
    admitted: 'Admitió la solicitud a trámite',
    requirement_issued: 'Pidió documentación',
    requirement_extended: 'Obtuvo 5 días hábiles más para el requerimiento',
    requirement_answered: 'Respondió al requerimiento',
    document_added: 'Aportó un documento',
    resolved: 'Resolvió',
    withdrawn: 'Retiró la solicitud',
    notification_accessed: 'Abrió una notificación de la Administración',
    notification_deemed_rejected: 'La notificación se dio por rechazada: no se abrió en 10 días naturales',
    requirement_expired: 'Terminó el plazo del requerimiento sin que se aportara lo pedido',
    presumed_denied: 'Pasó el plazo máximo sin resolución notificada: la solicitud se entiende desestimada (silencio)',
    withdrawal_declared: 'Declaró el desistimiento de la solicitud',
    lapse_warned: 'Advirtió de que el procedimiento puede caducar',
    lapse_declared: 'Declaró la caducidad del procedimiento',
    calendar_recomputed: 'Volvió a calcular las fechas legales con el calendario actualizado',
  } as Record<string, string>,
  otherTimelineAction: (code: string) => `Otro paso (${code})`,
  actorAgency: 'La Administración',
  actorYou: 'Usted',
  actorCaseworker: (body: string, office: string) => `Personal de ${body} (${office}), que resuelve el expediente`,
  actorSystem: 'Puente',
  backToProcedures: 'Volver a Mis trámites',
  documentKinds: {
    DNI_NIE: 'DNI o NIE',
    IBAN_CERT: 'Certificado de la cuenta bancaria',
    LIBRO_FAMILIA: 'Libro de familia',
    BIRTH_CERT: 'Certificado de nacimiento',
    DEATH_CERT: 'Certificado de defunción',
    MARRIAGE_CERT: 'Certificado de matrimonio',
    PARTNERSHIP_CERT: 'Certificado de pareja de hecho',
    EMPADRONAMIENTO: 'Certificado de empadronamiento',
    MEDICAL_REPORT: 'Informe médico',
    COMPANY_CERT: 'Certificado de empresa',
    QUOTA_PROOF: 'Justificante de cotizaciones',
    RESIDENCE_PROOF: 'Justificante de residencia',
    INCOME_PROOF: 'Justificante de ingresos',
    DISABILITY_RESOLUTION: 'Resolución de discapacidad',
    COURT_RULING: 'Sentencia judicial',
    FUNERAL_INVOICE: 'Factura del sepelio',
    REPRESENTATION_PROOF: 'Acreditación de la representación',
    OTHER: 'Otro documento',
  } as Record<string, string>,

  filterHeading: 'Filtrar',
  filterDelegation: 'Delegación',
  filterAll: 'Todas las delegaciones',
  filterFrom: 'Desde el día',
  filterTo: 'Hasta el día (incluido)',
  filterDateHint: 'Por ejemplo, 2026-03-01.',
  filterApply: 'Aplicar el filtro',
  filterClear: 'Quitar el filtro',
  /** What this page shows under the filter (`n` rows), and whether older ones match it too: never a total. */
  filterActive: (n: number, more: boolean) =>
    (n === 1 ? 'Esta página muestra 1 acceso con este filtro.' : `Esta página muestra ${n} accesos con este filtro.`) +
    (more ? ' Hay más accesos anteriores con este filtro en la página siguiente.' : ''),
  filterDateInvalid: 'Escriba la fecha como aaaa-mm-dd, por ejemplo 2026-03-01.',
  filterPeriodInvalid: 'El día «hasta» es anterior al día «desde».',
  delegationChoice: (org: string, from: string, status: string) => `${org}, desde el ${from} (${status})`,
  exportHeading: 'Descargar estos accesos',
  exportHelp: 'Los ficheros contienen exactamente las filas que ve en esta página, con el mismo filtro.',
  exportCsv: 'Descargar en CSV',
  exportPdf: 'Descargar en PDF',
  colDelegation: 'Delegación',
  colIso: 'Fecha (UTC, ISO 8601)',
  colId: 'Identificador',
  exportTitle: 'Registro de accesos',
  exportFor: (name: string) => `Accesos realizados en nombre de ${name}.`,
  exportFilter: (parts: string[]) => (parts.length ? `Filtro: ${parts.join('; ')}.` : 'Sin filtro.'),
  exportMade: (when: string) => `Generado el ${when}. Horas de Madrid.`,
  pageOf: (n: number, total: number) => `Página ${n} de ${total}`,
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
  navAvisos: 'Notices',
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
  answerHelp:
    'If you accept, the organisation may act on your behalf within these limits. You can revoke it at any time.',
  answerBy: (date: string) => `You can answer until ${date}.`,
  accept: 'Accept and grant representation',
  confirmWithdraw:
    'I expressly authorise this organisation to withdraw or renounce my applications on my behalf. If it does, the application is closed and does not go ahead.',
  confirmWithdrawMissing:
    'This request includes withdrawing or renouncing on your behalf: to accept it, tick the box that expressly authorises it. If you do not want to grant that, reject it and ask the organisation for a request without that power.',
  reject: 'Reject',
  requestStatus: {
    accepted: 'You have already accepted this request.',
    rejected: 'You rejected this request.',
    cancelled: 'The organisation withdrew this request.',
    cancelled_by_system: 'Puente suspended the organisation, and this request was cancelled. Nothing has been granted.',
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
  validityGranted: 'Validity granted',
  endedLabel: 'Ended',
  endedOn: (date: string) => `On ${date}`,
  endedAtEndOf: (date: string) => `At the end of ${date}`,
  endedByLabel: 'Ended by',
  endedByCitizen: 'You, by revoking it',
  endedByOrganization: (org: string) => `${org}, by giving it up`,
  endedByPlatform: 'Puente, by suspending the organisation',
  endedByExpiry: 'Nobody: its validity ran out',
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
  revokeHelp:
    'If you revoke it, it takes effect immediately: the organisation can no longer act on your behalf with this delegation.',
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
    'notifications.listed': "Read a case's notifications",
    'notification.read': 'Read a notification',
    'notification.accessed': 'Opened a notification from the administration',
    'procedure.updated': "Saved a case's form",
    'procedure.submitted': 'Filed an application',
    'procedure.withdrawn': 'Withdrew a case',
    'procedure.timeline_read': 'Read the history of a case',
    'procedure.receipt_read': 'Read the filing receipt',
    'requirement.answered': 'Answered a requirement',
    'requirement.extension_requested': 'Asked for more time to answer a requirement',
    'document.uploaded': 'Added a document',
    'documents.listed': 'Listed the documents of a case',
    'document.downloaded': 'Downloaded a document',
  } satisfies Record<AccessAction, string>,
  otherAction: (code: string) => `Other action (${code})`,
  replayedAction: (text: string) => `${text} (answer sent again, nothing changed)`,
  aboutProcedure: (resource: string, name: string, registry: string | null) =>
    `${resource} · ${name} · ${registry ?? 'not filed'}`,
  resources: {
    delegation: 'Delegation',
    procedure: 'Case',
    document: 'Document',
    requirement: 'Requirement',
    notification: 'Notification',
  },

  notices: {
    accepted: 'You accepted the request. The organisation can now act on your behalf within what you authorised.',
    rejected: 'You rejected the request. The organisation cannot act on your behalf.',
    revoked:
      'Delegation revoked. It takes effect immediately: the organisation can no longer act on your behalf with it.',
    signed_out: 'You have signed out.',
  },

  errorTitle: 'This could not be completed',
  notFoundTitle: 'Page not found',
  notFoundText:
    'We could not find what you are looking for. If you were sent a link, check that you signed in with your own DNI or NIE.',
  forbiddenTitle: 'Action not allowed',
  forbiddenText:
    'We could not confirm that you asked for this action from this page. Go back to the page and try again.',
  sessionEndedTitle: 'Your session has ended',
  sessionEndedText: 'Sign in again to continue.',
  backHome: 'Back to the start',
  problems: {
    delegation_request_expired:
      'The request expired before you answered it. Ask the organisation to send you another one.',
    invalid_state_transition:
      'This request or delegation no longer allows that change: you may have already answered or revoked it.',
    conflict: 'The organisation is suspended and cannot receive new delegations.',
    organization_not_practising:
      'The organisation is registered with its professional association as non-practising, and only practising professionals may represent you. Nothing has been granted.',
    not_found: 'We could not find this request or delegation.',
    invalid_cursor: 'This page link is not valid or has expired. Go back to the list and open it again.',
    validation_failed: 'Something in the request is not valid. Please check it and try again.',
    payload_too_large: 'What you sent is too long. Please check it and try again.',
  },
  problemFallback: 'Something went wrong. Please try again later.',
  back: 'Go back',

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
  navProcedures: 'My procedures',
  proceduresTitle: 'My procedures',
  proceduresIntro:
    'Every procedure prepared or filed in your name, by any representative. They stay here even after the delegation has ended.',
  proceduresNone: 'Nobody has prepared or filed any procedure in your name yet.',
  proceduresCaption: 'Procedures in your name',
  colProcedure: 'Procedure',
  colStatus: 'Status',
  colHandledBy: 'Handled by',
  colFiled: 'Filed',
  notFiledYet: 'Not filed',
  seeProcedureOf: (name: string) => `See the procedure: ${name}`,
  procedureStatus: {
    draft: 'Being prepared: your representative has not filed it yet',
    submitted: 'Filed: not yet admitted by the administration',
    in_review: 'Being examined by the administration',
    action_required: 'Documents are requested from you',
    approved: 'Approved',
    partially_approved: 'Partly approved',
    denied: 'Refused',
    withdrawn: 'Withdrawn',
    lapsed: 'Lapsed',
  },
  handledBy: (org: string, kind: string) => `${org} (${kind})`,
  delegationEndedNote: (status: string) =>
    `The delegation is no longer in force (${status}); the procedure stays in your history.`,

  summaryHeading: 'Summary',
  registryNumber: 'Registry number',
  filedAt: 'Filed on',
  handledByLabel: 'Handled by',
  delegationLabel: 'Delegation',
  datesHeading: 'Legal dates',
  bodySocialSecurity: 'Social Security',
  bodyAdministration: 'The administration',
  legal: {
    not_filed: () => 'It has not been filed yet. Legal time limits start on the day after it is registered.',
    registered: (date: string) => `It was registered on ${date}. Legal time limits count from the next day.`,
    resolve_by: (body: string, date: string, positive: boolean) =>
      `${body} must decide and notify you by ${date} at the latest. If it does not, the application is deemed ${positive ? 'approved' : 'refused'} (administrative silence).`,
    prior_claim_if_silent: (date: string) =>
      `In that case, you may file a prior claim (reclamación previa) until ${date}.`,
    clock_suspended: (date: string) =>
      `Until what is requested is provided, the time limit to decide is paused. It must be provided by ${date}.`,
    presumed_denied: (date: string) =>
      `The time limit to decide ended without an answer: since ${date} the application is deemed refused (administrative silence). The administration may still decide.`,
    presumed_approved: (date: string) =>
      `The time limit to decide ended without an answer: since ${date} the application is deemed approved (administrative silence).`,
    prior_claim_until: (date: string) => `You may file a prior claim (reclamación previa) until ${date}.`,
    court_claim: () =>
      'The refusal of a prior claim can be contested before the social court (Juzgado de lo Social), which has its own time limit: ask your representative.',
    dates_unknown: () =>
      'We cannot compute these dates yet: the official calendar of non-working days for the year is missing. We will show them as soon as it is published.',
    lapse_warned_unopened: (date: string) =>
      `The administration has warned that the procedure is halted for a reason attributable to you and may lapse (art. 95.1 of Ley 39/2015). Your representative has not opened the warning yet: if it is not opened, it is deemed rejected on ${date}. From the day after it is opened or after that date there are three months to resume it; after that, the administration may declare it lapsed and close it.`,
    lapse_declarable_from: (date: string) =>
      `The administration has warned that the procedure is halted for a reason attributable to you and may lapse (art. 95.1 of Ley 39/2015). Unless your representative acts on it before then, from ${date} the administration may declare it lapsed and close it.`,
  },
  requirementHeading: 'Documents requested from you',
  requirementAsked: 'They ask for:',
  requirementMissing: 'Still missing:',
  requirementAllProvided:
    'Everything requested has been provided; your representative still has to answer the request.',
  requirementDeadline: (date: string) => `Time limit: until ${date}.`,
  requirementTermPending:
    'The time limit starts once your representative opens the notification (or, if unopened, after 10 calendar days).',
  requirementTermFrom: (date: string) =>
    `The time limit starts on the day after your representative opens the notification. If it is not opened by ${date}, it is deemed rejected on that day and the time limit starts on the next day.`,
  requirementExtended: 'The time limit was already extended once (5 more working days).',
  requirementMessage: 'What the administration says:',
  requirementMessageWithheld:
    'The text of the request will be shown once your representative opens the notification (opening it is the notification in law) or, if unopened, once it is deemed rejected after 10 calendar days.',
  resolutionHeading: 'Decision',
  resolutionOutcome: { approved: 'Approved', partially_approved: 'Partly approved', denied: 'Refused' },
  resolvedOn: (date: string) => `Decided on ${date}.`,
  resolutionAmount: 'Amount',
  resolutionWithheld:
    'The text and amount of the decision will be shown once your representative opens the notification (opening it is the notification in law) or, if unopened, once it is deemed rejected after 10 calendar days.',
  documentsHeading: 'Documents',
  documentsNone: 'No document has been provided yet.',
  documentsCaption: 'Documents of the procedure',
  colKind: 'Kind',
  colName: 'Name',
  colDate: 'Date',
  colDownload: 'Download',
  download: 'Download',
  downloadOf: (name: string) => `Download ${name}`,
  downloadNote: 'Every download is recorded in your access log.',
  receiptHeading: 'Filing receipt',
  receiptLink: 'Download the receipt (PDF)',
  receiptNone: 'There will be a receipt once the application is filed.',
  receiptNotFiled:
    'This procedure has not been filed yet, so it has no filing receipt. It will have one once your representative files it.',
  timelineHeading: 'History',
  timelineCaption: 'Everything that happened in the procedure, oldest first',
  colWho: 'Who',
  timelineActions: {
    created: 'Prepared the draft',
    form_updated: 'Updated the application',
    submitted: 'Filed the application',
    admitted: 'Admitted the application',
    requirement_issued: 'Requested documents',
    requirement_extended: 'Obtained 5 more working days for the request',
    requirement_answered: 'Answered the request',
    document_added: 'Provided a document',
    resolved: 'Decided',
    withdrawn: 'Withdrew the application',
    notification_accessed: 'Opened a notification from the administration',
    notification_deemed_rejected: 'The notification counted as rejected: it was not opened within 10 calendar days',
    requirement_expired: 'The time to provide what was requested ended without it',
    presumed_denied:
      'The maximum term passed with no resolution notified: the application is presumed denied (silence)',
    withdrawal_declared: 'Declared the application withdrawn',
    lapse_warned: 'Warned that the procedure may lapse',
    lapse_declared: 'Declared the procedure lapsed',
    calendar_recomputed: 'Recomputed the legal dates with the updated calendar',
  },
  otherTimelineAction: (code: string) => `Other step (${code})`,
  actorAgency: 'The administration',
  actorYou: 'You',
  actorCaseworker: (body: string, office: string) => `Staff of ${body} (${office}), which decides the case`,
  actorSystem: 'Puente',
  backToProcedures: 'Back to My procedures',
  documentKinds: {
    DNI_NIE: 'DNI or NIE',
    IBAN_CERT: 'Bank account certificate',
    LIBRO_FAMILIA: 'Family book',
    BIRTH_CERT: 'Birth certificate',
    DEATH_CERT: 'Death certificate',
    MARRIAGE_CERT: 'Marriage certificate',
    PARTNERSHIP_CERT: 'Civil partnership certificate',
    EMPADRONAMIENTO: 'Certificate of registered address (empadronamiento)',
    MEDICAL_REPORT: 'Medical report',
    COMPANY_CERT: 'Employer certificate',
    QUOTA_PROOF: 'Proof of contributions',
    RESIDENCE_PROOF: 'Proof of residence',
    INCOME_PROOF: 'Proof of income',
    DISABILITY_RESOLUTION: 'Disability decision',
    COURT_RULING: 'Court ruling',
    FUNERAL_INVOICE: 'Funeral invoice',
    REPRESENTATION_PROOF: 'Proof of representation',
    OTHER: 'Other document',
  },

  filterHeading: 'Filter',
  filterDelegation: 'Delegation',
  filterAll: 'All delegations',
  filterFrom: 'From day',
  filterTo: 'To day (included)',
  filterDateHint: 'For example, 2026-03-01.',
  filterApply: 'Apply the filter',
  filterClear: 'Clear the filter',
  filterActive: (n: number, more: boolean) =>
    (n === 1
      ? 'This page shows 1 access that matches this filter.'
      : `This page shows ${n} accesses that match this filter.`) +
    (more ? ' More, older accesses match it on the next page.' : ''),
  filterDateInvalid: 'Write the date as yyyy-mm-dd, for example 2026-03-01.',
  filterPeriodInvalid: 'The “to” day is before the “from” day.',
  delegationChoice: (org: string, from: string, status: string) => `${org}, since ${from} (${status})`,
  exportHeading: 'Download these accesses',
  exportHelp: 'The files hold exactly the rows you see on this page, with the same filter.',
  exportCsv: 'Download as CSV',
  exportPdf: 'Download as PDF',
  colDelegation: 'Delegation',
  colIso: 'Date (UTC, ISO 8601)',
  colId: 'Identifier',
  exportTitle: 'Access log',
  exportFor: (name: string) => `Accesses made on behalf of ${name}.`,
  exportFilter: (parts: string[]) => (parts.length ? `Filter: ${parts.join('; ')}.` : 'No filter.'),
  exportMade: (when: string) => `Generated on ${when}. Madrid time.`,
  pageOf: (n: number, total: number) => `Page ${n} of ${total}`,
  listJoin: (items: string[]) => joinList(items, 'and'),
};

function joinList(items: string[], conjunction: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export const MESSAGES: Record<Lang, Messages> = { es, en };

/** A day in words in the language's locale ("31 de diciembre de 2027"), as it falls in `timeZone`. */
function dayInWords(lang: Lang, timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat(MESSAGES[lang].locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  }).format(at);
}

/** A calendar day (`YYYY-MM-DD`) in words: "31 de diciembre de 2027". */
export function formatDay(lang: Lang, day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return dayInWords(lang, 'UTC', date);
}

/** A moment as a day in Madrid: what a citizen in Spain reads as "the date". */
export function formatMadridDay(lang: Lang, at: Date): string {
  return dayInWords(lang, 'Europe/Madrid', at);
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
