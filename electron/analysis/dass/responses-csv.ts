import { parseCsv } from '../csv.js';
import { DassAnswerError, ITEM_COUNT, parseAnswer, type Answer } from '../../contract/shared/dass-score.js';

/** One respondent's row from an `id,q1,…,q21` file. */
export interface ResponseRow {
  id: string;
  /** 1-based line number of the row in the file (header is line 1), for messages. */
  line: number;
  answers: Answer[];
}

export interface ResponsesReadResult {
  rows: ResponseRow[];
  /** Every problem found, each naming the row id (or line) and the item. Empty when the file is valid. */
  errors: string[];
  /** Harmless oddities (extra columns ignored). */
  warnings: string[];
}

export const ITEM_COLUMNS = Array.from({ length: ITEM_COUNT }, (_, i) => `q${i + 1}`);

/**
 * Reads and validates a responses CSV (`id,q1,…,q21`, any column order, header names case-insensitive,
 * an empty cell = not answered). Validation covers the whole file: all errors are collected so the caller
 * can refuse the file as a whole (see data/dass21/SCORING.md, "Invalid input").
 */
export function readResponsesCsv(text: string): ResponsesReadResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const table = parseCsv(text);
  if (table.length === 0) return { rows: [], errors: ['the file is empty (expected a header id,q1,…,q21)'], warnings };
  const header = table[0].map((h) => h.trim().toLowerCase());
  const col = new Map<string, number>();
  header.forEach((name, i) => {
    if (col.has(name)) errors.push(`header: column "${name}" appears twice`);
    else col.set(name, i);
  });
  const needed = ['id', ...ITEM_COLUMNS];
  const absent = needed.filter((n) => !col.has(n));
  if (absent.length > 0) errors.push(`header: missing column(s) ${absent.join(', ')} (expected id,q1,…,q21)`);
  const extra = header.filter((h) => !needed.includes(h));
  if (extra.length > 0) warnings.push(`ignored column(s): ${extra.join(', ')}`);
  if (errors.length > 0) return { rows: [], errors, warnings };

  const rows: ResponseRow[] = [];
  const seen = new Map<string, number>();
  for (let r = 1; r < table.length; r++) {
    const cells = table[r];
    const line = r + 1;
    const id = (cells[col.get('id')!] ?? '').trim();
    const who = id ? `row "${id}" (line ${line})` : `line ${line}`;
    if (cells.length !== header.length) {
      errors.push(`${who}: ${cells.length} cells, the header has ${header.length}`);
      continue;
    }
    if (!id) {
      errors.push(`line ${line}: empty id`);
      continue;
    }
    if (seen.has(id)) {
      errors.push(`${who}: id "${id}" already used on line ${seen.get(id)}`);
      continue;
    }
    seen.set(id, line);
    const raw = ITEM_COLUMNS.map((c) => cells[col.get(c)!]);
    const answers: Answer[] = [];
    raw.forEach((value, i) => {
      try {
        answers.push(parseAnswer(value, i + 1, id));
      } catch (err) {
        if (!(err instanceof DassAnswerError)) throw err;
        errors.push(
          `row "${id}" (line ${line}), item ${i + 1} (column q${i + 1}): ${JSON.stringify(value)} is not one of 0, 1, 2, 3 (leave the cell empty when not answered)`,
        );
      }
    });
    if (answers.length === ITEM_COUNT) rows.push({ id, line, answers });
  }
  return { rows, errors, warnings };
}
