// Tables in a notebook (an HTML table, numbers to 4 significant digits) or, outside one, on
// the console. Takes plain rows, so any stage's records can be shown.
import { cellDisplay } from './jupyter';

export type Cell = string | number | boolean | null | undefined;

/** Significant digits of a non-integer in a table. */
const DIGITS = 4;
/**
 * A number below this fraction of the largest in its column prints as 0. float32 carries about
 * 7 significant digits, so such a value is the arithmetic's rounding, not a result: a CNN's
 * prediction change when its batch is reordered is 0 in exact arithmetic, 1.2e-17 on some CPUs.
 */
const NOISE = 1e-6;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * How one cell reads: integers with thousands separators, other numbers to 4 significant digits,
 * and 0 for a number below a millionth of `scale` (its column's largest magnitude; see NOISE).
 */
export function formatCell(v: Cell, scale = 0): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '—';
    if (v === 0 || Math.abs(v) < scale * NOISE) return '0'; // never "-0" or "1.225e-17"
    return Number.isInteger(v) ? v.toLocaleString('en') : v.toPrecision(DIGITS);
  }
  return v === null || v === undefined ? '' : String(v);
}

/** Each column's largest finite magnitude: the scale its numbers are rounded against. */
export function columnScales(
  rows: readonly Record<string, Cell>[],
  columns: readonly string[],
): Record<string, number> {
  const scales: Record<string, number> = {};
  for (const c of columns) {
    scales[c] = 0;
    for (const r of rows) {
      const v = r[c];
      if (typeof v === 'number' && Number.isFinite(v)) scales[c] = Math.max(scales[c], Math.abs(v));
    }
  }
  return scales;
}

/** Rows as the strings a table shows, column by column (see `formatCell`). */
export function formatRows(
  rows: readonly Record<string, Cell>[],
  columns: readonly string[],
): Record<string, string>[] {
  const scales = columnScales(rows, columns);
  return rows.map((r) => Object.fromEntries(columns.map((c) => [c, formatCell(r[c], scales[c])])));
}

/** The HTML of a table of `rows` with the given columns, in that order. */
export function tableHtml(
  rows: readonly Record<string, Cell>[],
  columns: readonly string[],
): string {
  const head = columns.map((c) => `<th>${escape(c)}</th>`).join('');
  const body = formatRows(rows, columns)
    .map((r) => `<tr>${columns.map((c) => `<td>${escape(r[c])}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Shows rows as a table in the running notebook cell, or with console.table elsewhere. */
export function showRows(
  rows: readonly Record<string, Cell>[],
  columns: readonly string[] = Object.keys(rows[0] ?? {}),
): void {
  const d = cellDisplay();
  if (d) d.html(tableHtml(rows, columns));
  else console.table(formatRows(rows, columns));
}
