import type { Sql } from '../../db/sql';

export interface ProcedureTypeRow {
  code: string;
  name_es: string;
  name_en: string;
  managing_bodies: string[];
  subject: string;
  required_documents: string[][];
  max_term_value: number;
  max_term_unit: string;
  silence_effect: string;
  legal_source: string;
  confidence: string;
  confidence_note: string | null;
  attachment_cap_bytes: number;
  attachment_cap_observed: boolean;
}

const COLUMNS = `code, name_es, name_en, managing_bodies, subject, required_documents, max_term_value, max_term_unit,
  silence_effect, legal_source, confidence, confidence_note, attachment_cap_bytes, attachment_cap_observed`;

export function listProcedureTypes(sql: Sql): Promise<ProcedureTypeRow[]> {
  return sql.unsafe<ProcedureTypeRow[]>(`select ${COLUMNS} from procedure_types order by sort_order`);
}

export async function findProcedureType(sql: Sql, code: string): Promise<ProcedureTypeRow | undefined> {
  const rows = await sql.unsafe<ProcedureTypeRow[]>(`select ${COLUMNS} from procedure_types where code = $1`, [code]);
  return rows[0];
}
