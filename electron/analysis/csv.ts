/** Small RFC 4180 CSV reader/writer: quoted fields, "" escapes, newlines inside quotes, CRLF/LF/CR, UTF-8 BOM. */

export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

/** Parses CSV text into rows of cells. A trailing line break does not add an empty row; blank lines are dropped. */
export function parseCsv(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let inQuotes = false;
  let cellWasQuoted = false;
  let line = 1;
  let quoteStartLine = 1;
  const endRow = () => {
    row.push(cell);
    if (!(row.length === 1 && row[0] === '' && !cellWasQuoted)) rows.push(row);
    row = [];
    cell = '';
    cellWasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (cell.trim() !== '') throw new CsvFormatError(`line ${line}: a quote inside an unquoted field`);
      cell = '';
      inQuotes = true;
      cellWasQuoted = true;
      quoteStartLine = line;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      cellWasQuoted = false;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else {
      if (cellWasQuoted && ch !== ' ' && ch !== '\t') throw new CsvFormatError(`line ${line}: text after a closing quote`);
      cell += ch;
    }
  }
  if (inQuotes) throw new CsvFormatError(`line ${quoteStartLine}: a quoted field is never closed`);
  if (cell !== '' || row.length > 0 || cellWasQuoted) endRow();
  return rows;
}

function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  // A text cell starting with = + - @ (or a tab/CR) would run as a formula in a spreadsheet: prefix an apostrophe.
  const s = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}

/** Header + rows, LF line ends, trailing newline. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [toCsvLine(header), ...rows.map(toCsvLine)].join('\n') + '\n';
}
