/**
 * Every action an access-log entry records, the one list: the consent gate's needs and the
 * citizen's own accesses name one of these, and the citizen's view words each of them in every
 * language (`citizen/i18n.ts`, checked by the compiler).
 */
export const ACCESS_ACTIONS = [
  'consent_token.minted',
  'consent.checked',
  'procedure.created',
  'procedure.read',
  'procedure.updated',
  'procedure.submitted',
  'procedure.withdrawn',
  'procedure.timeline_read',
  'procedure.receipt_read',
  'notifications.listed',
  'notification.read',
  'notification.accessed',
  'requirement.answered',
  'requirement.extension_requested',
  'documents.listed',
  'document.uploaded',
  'document.downloaded',
] as const;

export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** The suffix of the action of a consented write's answer served again (see `consentedReplay`). */
export const REPLAYED = '.replayed';

/** What an entry records: an action, or a consented write's answer served again. */
export type LoggedAction = AccessAction | `${AccessAction}${typeof REPLAYED}`;
