// The browser build: plain ESM with no Node built-ins, so it runs on Workers as on Node.
import { parse } from 'csv-parse/browser/esm/sync';

import { ProblemError } from '../../http/problem';
import { isStorableText, textFault } from '../../lib/text';

/** A CSV record with its line in the file (where it starts) and its cells by column name. */
export interface CsvRecord {
  line: number;
  cells: Record<string, string>;
  /** Set when the record has more or fewer cells than the header. */
  fieldCountMismatch?: { expected: number; actual: number };
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The line `sep=;` some programs write before the header, for Excel: it names the separator. */
const SEPARATOR_HINT = /^\uFEFF?sep=([^\r\n])(\r\n|\n|\r)/i;

/**
 * Text of an uploaded file: UTF-8 (with or without a BOM), or Windows-1252 when the bytes are not
 * valid UTF-8 (what Excel writes for "CSV (delimitado por comas)" on a Spanish Windows).
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * The separator of the header line: the most frequent of comma, semicolon and tab outside quotes
 * (Spanish spreadsheets write `;`, since the comma is the decimal mark). Comma when none appears.
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of text.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Header names compared without case, surrounding spaces, or spaces/dashes instead of underscores. */
export function normalizeHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Parses a CSV with a header line (after Excel's `sep=` line, if any) into records keyed by
 * (normalised) column name. Quoted cells may hold separators, quotes ("") and line breaks;
 * blank lines, and lines of only separators and spaces
 * (what a spreadsheet writes for rows it once formatted), are skipped; cells are trimmed.
 * A file that cannot be read as CSV at all (an unclosed quote) is refused naming the line.
 */
export function parseCsv(
  text: string,
  knownColumns: readonly string[],
  requiredColumns: readonly string[],
): CsvRecord[] {
  refuseUnstorableText(text);
  const hint = SEPARATOR_HINT.exec(text);
  const delimiter = hint ? hint[1]! : detectDelimiter(text);
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    parsed = parse(text, {
      bom: true,
      delimiter,
      // Lines keep their numbers in the file.
      from_line: hint ? 2 : 1,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
    }) as never;
  } catch (error) {
    const e = error as { code?: string; lines?: number; message?: string };
    throw new ProblemError(
      'csv_invalid',
      `The file is not valid CSV near line ${e.lines ?? '?'}: ${csvErrorText(e.code)}`,
      {
        errors: [{ pointer: '/file', in: 'body', detail: `Line ${e.lines ?? '?'}: ${csvErrorText(e.code)}` }],
        extensions: { line: e.lines ?? null },
      },
    );
  }
  const [head, ...body] = parsed;
  if (!head)
    throw new ProblemError('csv_invalid', 'The file is empty: it needs a header line and at least one row.', {
      errors: [{ pointer: '/file', in: 'body', detail: 'Empty file.' }],
    });
  const header = head.record.map(normalizeHeader);
  // Spreadsheets add unnamed columns after the last named one (a separator ending every line).
  while (header.length > 0 && header.at(-1) === '') header.pop();
  const problems: string[] = [];
  const unknown = header.filter((h) => !knownColumns.includes(h));
  if (unknown.length > 0)
    problems.push(
      `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the columns are ${knownColumns.join(', ')}.`,
    );
  const missing = requiredColumns.filter((r) => !header.includes(r));
  if (missing.length > 0) problems.push(`Missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`);
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length > 0) problems.push(`Column ${[...new Set(repeated)].join(', ')} appears more than once.`);
  if (problems.length > 0) {
    throw new ProblemError('csv_invalid', `The header line is not valid: ${problems.join(' ')}`, {
      errors: problems.map((detail) => ({ pointer: '/file', in: 'body' as const, detail })),
      extensions: { line: head.info.lines, delimiter },
    });
  }
  return body.map(({ record: cellsRead, info }) => {
    // Empty cells under those unnamed columns are not cells of the row.
    const record = withoutEmptyTail(cellsRead, header.length);
    const cells: Record<string, string> = {};
    header.forEach((name, i) => {
      const value = record[i];
      if (value !== undefined && value !== '') cells[name] = value;
    });
    // csv-parse reports the line where the record ends; a quoted cell may span several.
    const inner = record.join('').split('\n').length - 1;
    const out: CsvRecord = { line: info.lines - inner, cells };
    if (record.length !== header.length) out.fieldCountMismatch = { expected: header.length, actual: record.length };
    return out;
  });
}

/** The cells of a record without the empty ones after the header's last column. */
function withoutEmptyTail(record: string[], columns: number): string[] {
  let end = record.length;
  while (end > columns && record[end - 1] === '') end--;
  return end === record.length ? record : record.slice(0, end);
}

/**
 * A file with text that cannot be stored (see `textFault`: a NUL, most often from a spreadsheet or
 * UTF-16 text sent as CSV) is refused naming its first such line, as a JSON body is.
 */
function refuseUnstorableText(text: string): void {
  if (isStorableText(text)) return;
  const lines = text.split(/\r\n|\n|\r/);
  const index = lines.findIndex((l) => !isStorableText(l));
  const detail = `Line ${index + 1}: ${textFault(lines[index]!)}`;
  throw new ProblemError('validation_failed', `${detail} Save the file as CSV UTF-8.`, {
    errors: [{ pointer: '/file', in: 'body', detail }],
  });
}

function csvErrorText(code: string | undefined): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed.';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return 'a quote appears inside a cell that is not quoted; write it as "" inside a quoted cell.';
    default:
      return 'the file could not be parsed.';
  }
}
