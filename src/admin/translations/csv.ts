/**
 * CSV for translators (RFC 4180): UTF-8 with a byte-order mark so spreadsheet programs read Arabic
 * right, CRLF line ends, fields quoted when needed. Cells that a spreadsheet would run as a formula
 * (starting with = + - @) are written with a leading apostrophe, removed again on import.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as written: apostrophe before formula-like text, quotes when needed. */
function cell(value: string): string {
  const v = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n;]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes rows as CSV text (with BOM). */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Undoes the apostrophe written before formula-like cells. */
export function unprotect(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** Guesses the delimiter from the first line: comma, semicolon (French spreadsheets) or tab. */
function delimiterOf(text: string): string {
  let first = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === '\n' || ch === '\r')) break;
    first += ch;
  }
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![1] > 0 ? counts[0]![0] : ',';
}

/** A CSV text could not be read. */
export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/** Parses CSV text (comma, semicolon or tab separated; quoted fields may hold line breaks). */
export function parseCsv(input: string): string[][] {
  const text = input.replace(/^\uFEFF/, '');
  const delim = delimiterOf(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let line = 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
      continue;
    }
    if (ch === delim) {
      row.push(unprotect(field));
      field = '';
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      row.push(unprotect(field));
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    field += ch;
    i++;
  }
  if (quoted) throw new CsvError(`a quoted cell opened before line ${line} is never closed`);
  if (field !== '' || row.length > 0) {
    row.push(unprotect(field));
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}
