import { dni } from './people';

export const CSV_HEADER = ['id_number', 'name', 'contact', 'procedure_types', 'capacities', 'valid_until'];

/** A CSV cell, quoted when it holds the separator, a quote or a line break. */
export function cell(value: string, separator = ','): string {
  return value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: string[], separator = ','): string {
  return values.map((v) => cell(v, separator)).join(separator);
}

export interface AcceptanceCsv {
  csv: string;
  /** Citizens that get a pending request (same scope) before the batch is sent. */
  preexisting: string[];
  /** Row numbers (from 1) expected to fail, with the column at fault. */
  invalid: Map<number, string>;
  /** Row numbers expected as duplicates: of a request made before the batch, or of an earlier row (its row number). */
  duplicateOfPreexisting: Set<number>;
  duplicateOfRow: Map<number, number>;
}

/** The counts of a completed batch of `acceptanceCsv`, written out from its composition (below). */
export const ACCEPTANCE_COUNTS = { total: 1000, created: 950, duplicates: 30, failed: 20 } as const;

/**
 * 1,000 rows: 950 new, 30 duplicates (15 citizens with a pending request made before the batch,
 * 15 rows repeating an earlier row of the file) and 20 invalid (10 wrong DNI check letters,
 * 5 unknown capacities, 5 end dates in the past), spread through the file. Names carry commas,
 * quotes and accents.
 */
export function acceptanceCsv(seed: number, validUntil = '2027-12-31'): AcceptanceCsv {
  const lines = [CSV_HEADER.join(',')];
  const preexisting: string[] = [];
  const invalid = new Map<number, string>();
  const duplicateOfPreexisting = new Set<number>();
  const duplicateOfRow = new Map<number, number>();
  const firstRowOf = new Map<string, number>();
  let citizen = 0;
  for (let row = 1; row <= 1000; row++) {
    let id = dni(seed + citizen);
    let capacities = 'consult;file;respond';
    let until = validUntil;
    const name = row % 3 === 0 ? `García Núñez, María José "Pepa" ${row}` : `Óscar Peña Ibáñez ${row}`;
    if (row % 50 === 7) {
      // 20 invalid rows
      const k = invalid.size;
      if (k < 10) {
        id = id.slice(0, 8) + (id[8] === 'A' ? 'B' : 'A');
        invalid.set(row, 'id_number');
      } else if (k < 15) {
        capacities = 'consult;sign';
        invalid.set(row, 'capacities');
      } else {
        until = '2020-01-01';
        invalid.set(row, 'valid_until');
      }
      citizen++;
    } else if (row % 50 === 23 && duplicateOfRow.size < 15) {
      // 15 repeats of an earlier row of the file
      const earlier = [...firstRowOf.entries()][row % firstRowOf.size]!;
      id = earlier[0];
      duplicateOfRow.set(row, earlier[1]);
    } else {
      if (row % 50 === 41 && preexisting.length < 15) {
        preexisting.push(id);
        duplicateOfPreexisting.add(row);
      } else {
        firstRowOf.set(id, row);
      }
      citizen++;
    }
    lines.push(csvLine([id, name, `cliente${row}@example.es`, 'JUB', capacities, until]));
  }
  return { csv: lines.join('\r\n') + '\r\n', preexisting, invalid, duplicateOfPreexisting, duplicateOfRow };
}
