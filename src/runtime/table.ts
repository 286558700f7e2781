// Tables in a notebook (an HTML table, numbers to 4 significant digits) or, outside one, on
// the console. Takes plain rows, so any stage's records can be shown.
import { cellDisplay } from './jupyter';

export type Cell = string | number | boolean | null | undefined;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** How one cell reads: integers with thousands separators, other numbers to 4 significant digits. */
export function formatCell(v: Cell): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '—';
    return Number.isInteger(v) ? v.toLocaleString('en') : v.toPrecision(4);
  }
  return v === null || v === undefined ? '' : String(v);
}

/** The HTML of a table of `rows` with the given columns, in that order. */
export function tableHtml(
  rows: readonly Record<string, Cell>[],
  columns: readonly string[],
): string {
  const head = columns.map((c) => `<th>${escape(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${columns.map((c) => `<td>${escape(formatCell(r[c]))}</td>`).join('')}</tr>`)
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
  else
    console.table(rows.map((r) => Object.fromEntries(columns.map((c) => [c, formatCell(r[c])]))));
}
