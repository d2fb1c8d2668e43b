import { z } from '@hono/zod-openapi';

import {
  PROCEDURE_TYPE_CODES,
  type ProcedureTypeCode,
  ProcedureTypeCodeSchema,
  type Subject,
  SUBJECT_OF,
  SubjectSchema,
} from '../catalog/schemas';

export const CAPACITIES = ['consult', 'file', 'respond', 'withdraw'] as const;
export type Capacity = (typeof CAPACITIES)[number];
export const CapacitySchema = z.enum(CAPACITIES).openapi('Capacity', {
  description:
    '`consult` reads procedures and documents; `file` creates and submits; `respond` answers requirements; `withdraw` desists or renounces.',
});

/**
 * Version of the scope vocabulary. Stored with every delegation so a change of vocabulary never
 * silently widens or voids powers granted under an older one.
 */
export const SCOPE_VERSION = 1;

export const ScopeSchema = z
  .object({
    procedure_types: z.array(ProcedureTypeCodeSchema).max(PROCEDURE_TYPE_CODES.length).default([]),
    subjects: z.array(SubjectSchema).max(6).default([]),
    capacities: z.array(CapacitySchema).min(1).max(4),
  })
  .strict()
  .refine((s) => s.procedure_types.length + s.subjects.length > 0, {
    message: 'Name at least one procedure type or subject.',
    path: ['procedure_types'],
  })
  .openapi('Scope', {
    example: { procedure_types: ['JUB'], subjects: ['family'], capacities: ['consult', 'file', 'respond'] },
  });
export type Scope = z.infer<typeof ScopeSchema>;

export function normalizeScope(scope: Scope): Scope {
  return {
    procedure_types: [...new Set(scope.procedure_types)].sort(),
    subjects: [...new Set(scope.subjects)].sort(),
    capacities: [...new Set(scope.capacities)].sort(),
  };
}

/** Canonical text of a scope: two requests with the same key ask for the same power. */
export function scopeKey(scope: Scope): string {
  const s = normalizeScope(scope);
  return `v${SCOPE_VERSION}|t:${s.procedure_types.join(',')}|s:${s.subjects.join(',')}|c:${s.capacities.join(',')}`;
}

/** Every procedure type a scope covers, subjects expanded. */
export function coveredTypes(scope: Pick<Scope, 'procedure_types' | 'subjects'>): ProcedureTypeCode[] {
  const subjects = new Set<Subject>(scope.subjects);
  return PROCEDURE_TYPE_CODES.filter((code) => scope.procedure_types.includes(code) || subjects.has(SUBJECT_OF[code]));
}
