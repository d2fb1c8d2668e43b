import { ProblemError } from '../../http/problem';

export const PROCEDURE_STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'action_required',
  'approved',
  'partially_approved',
  'denied',
  'withdrawn',
  'lapsed',
] as const;
export type ProcedureStatus = (typeof PROCEDURE_STATUSES)[number];

export const RESOLUTIONS = ['approved', 'partially_approved', 'denied'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/**
 * The procedure life cycle (Ley 39/2015): the only place that says which action may happen in
 * which state. Resolved, withdrawn and lapsed procedures are final.
 */
const TRANSITIONS = {
  update: { from: ['draft'], to: null },
  add_document: { from: ['draft', 'action_required'], to: null },
  submit: { from: ['draft'], to: 'submitted' },
  admit: { from: ['submitted'], to: 'in_review' },
  require: { from: ['submitted', 'in_review'], to: 'action_required' },
  extend_requirement: { from: ['action_required'], to: null },
  answer_requirement: { from: ['action_required'], to: 'in_review' },
  resolve: { from: ['submitted', 'in_review'], to: 'resolved' },
  withdraw: { from: ['draft', 'submitted', 'in_review', 'action_required'], to: 'withdrawn' },
  // The agency declares the application withdrawn once a requirement's term passed unanswered (arts. 68.1 and 94).
  declare_withdrawal: { from: ['action_required'], to: 'withdrawn' },
  // Caducidad (art. 95): a standstill the applicant caused is warned, and may be declared three months later.
  // Warned only while a requirement is open: it is what the applicant has to do, and the
  // representative's answer to it (or request for more time) is the act that ends the standstill.
  // In review the applicant has nothing to answer through, so nothing they did not do can stall it.
  warn_lapse: { from: ['action_required'], to: null },
  declare_lapse: { from: ['in_review', 'action_required'], to: 'lapsed' },
} as const satisfies Record<string, { from: readonly ProcedureStatus[]; to: ProcedureStatus | 'resolved' | null }>;

export type ProcedureAction = keyof typeof TRANSITIONS;

export function allowedFrom(action: ProcedureAction): readonly ProcedureStatus[] {
  return TRANSITIONS[action].from;
}

export function isFinal(status: ProcedureStatus): boolean {
  return (Object.keys(TRANSITIONS) as ProcedureAction[]).every((a) => !allowedFrom(a).includes(status));
}

/** Throws 409 naming the current state and the states the action needs. */
export function assertTransition(current: string, action: ProcedureAction): void {
  const from = allowedFrom(action) as readonly string[];
  if (!from.includes(current)) {
    throw new ProblemError(
      'invalid_state_transition',
      `Cannot ${action.replace(/_/g, ' ')} a procedure that is ${current}; it must be ${from.join(' or ')}.`,
      {
        extensions: { current_state: current, allowed_from: from },
      },
    );
  }
}

export function nextStatus(action: ProcedureAction, resolution?: Resolution): ProcedureStatus | null {
  const to = TRANSITIONS[action].to;
  if (to === 'resolved') return resolution!;
  return to;
}
