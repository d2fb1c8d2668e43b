import type { ProcedureTypeRow } from './queries';
import type { ProcedureType } from './schemas';

export function toProcedureType(row: ProcedureTypeRow): ProcedureType {
  const { managing_bodies, legal_source, confidence_note, attachment_cap_bytes, attachment_cap_observed } = row;
  return {
    object: 'procedure_type',
    code: row.code as ProcedureType['code'],
    name: { es: row.name_es, en: row.name_en },
    managing_bodies,
    subject: row.subject as ProcedureType['subject'],
    required_documents: row.required_documents.map((group) => ({
      any_of: group as ProcedureType['required_documents'][number]['any_of'],
    })),
    max_resolution_term: {
      value: row.max_term_value,
      unit: row.max_term_unit as ProcedureType['max_resolution_term']['unit'],
    },
    silence_effect: row.silence_effect as ProcedureType['silence_effect'],
    legal_source,
    confidence: row.confidence as ProcedureType['confidence'],
    confidence_note,
    attachment_cap_bytes,
    attachment_cap_observed,
  };
}
