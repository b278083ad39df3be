import { stringify } from 'csv-stringify/sync';
import { formatFen } from '@union/shared';

/**
 * The one CSV writer of the server: every export (members, settlements, stations, household files,
 * aid monitoring) goes through {@link writeCsv}; no other file imports csv-stringify (a test checks).
 *
 * Formula injection (OWASP "CSV Injection"; ASVS 5.0 V1.2.10): a spreadsheet runs a cell as a
 * formula when it begins with `=`, `+`, `-`, `@`, tab (0x09) or carriage return (0x0D); ASVS adds NUL.
 * Every text cell beginning with one of them gets a leading single quote, which Excel, LibreOffice
 * and Sheets read as "this is text" and do not show. Text is always neutralised, whatever its
 * column; numbers are never touched: a cell holding a JS `number` is written bare (`-5`), and an
 * amount column ({@link fenColumn}) takes integer fen and writes yuan (`-12.50`), so a spreadsheet
 * still sums them. A formatted amount passed as a string would be neutralised like any text, so
 * amounts must be passed as numbers.
 *
 * A text cell containing `;` is quoted too: spreadsheets set to a `;` list separator would otherwise
 * split it and a formula could start the second half (OWASP's note on separators).
 */

/** Leading characters that make a spreadsheet evaluate a cell. */
const FORMULA_START = /^[=+\-@\t\r\0]/;
/** A cell this writer neutralised: the quote and the character it protects. */
const NEUTRALISED = /^'[=+\-@\t\r\0]/;

/** What a row may hold: text (neutralised when needed), a number (written as is) or nothing (empty cell). */
export type CsvCell = string | number | null | undefined;

/** A column: `text` (the default; strings neutralised, numbers bare) or `fen` (integer fen written as yuan with two decimals). */
export interface CsvColumn {
  header: string;
  kind: 'text' | 'fen';
}

/** An amount column: its cells are integer fen (or null/'' for none), written as `1234.56` / `-12.50`. */
export const fenColumn = (header: string): CsvColumn => ({ header, kind: 'fen' });

/** `text` with a leading `'` when a spreadsheet would read it as a formula; otherwise unchanged. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Undoes {@link neutraliseCell} on a cell read back from one of our exports (export → edit → import),
 * so the protecting quote is not stored. Only a quote followed by a formula character is removed.
 */
export function restoreCell(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

function cell(value: CsvCell, column: CsvColumn): string {
  if (value === null || value === undefined) return '';
  if (column.kind === 'fen') {
    if (value === '') return '';
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`CSV column ${column.header}: an amount must be integer fen, got ${JSON.stringify(value)}`);
    return formatFen(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return neutraliseCell(String(value));
}

/**
 * A CSV file for spreadsheet programs: UTF-8 with a byte-order mark (so Excel reads Chinese), a header
 * row, one row per record, RFC 4180 quoting, and formula cells neutralised as described above.
 * @param columns headers in order; a plain string is a text column.
 * @param rows one array of cells per record, as many cells as columns.
 * @throws TypeError when a row has the wrong number of cells or an amount cell is not integer fen (a programming error).
 */
export function writeCsv(columns: ReadonlyArray<string | CsvColumn>, rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  const cols = columns.map((c): CsvColumn => (typeof c === 'string' ? { header: c, kind: 'text' } : c));
  const records = rows.map((row, i) => {
    if (row.length !== cols.length) throw new TypeError(`CSV row ${i + 1} has ${row.length} cells for ${cols.length} columns`);
    return row.map((v, j) => cell(v, cols[j]));
  });
  const header = cols.map((c) => neutraliseCell(c.header));
  return '\uFEFF' + stringify([header, ...records], { quoted_match: ';' });
}
