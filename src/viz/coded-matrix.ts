// A compact text form of attention maps for charts that embed many of them (the notebook's
// slider needs no kernel, so every map it can show travels inside the notebook). One output row
// of 100 weights becomes 100 symbols of ATTENTION_CODES: symbol k stands for (k / 61)², so the
// steps are finest near 0, where most weights are (below 0.00007 reads as 0; 0.25 is exact to
// ±0.008). 12 maps take about 120 KB this way, against about 1.5 MB as CSV rows.
import { Row } from './frames';

/** The symbols that carry a quantised attention value, weakest first. */
export const ATTENTION_CODES = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

const LAST = ATTENTION_CODES.length - 1;

/** One row of weights in [0, 1] as symbols: round(√w · 61). */
export function codeRow(weights: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < weights.length; i++) {
    const w = Math.min(1, Math.max(0, weights[i]));
    s += ATTENTION_CODES[Math.round(Math.sqrt(w) * LAST)];
  }
  return s;
}

/** The weight a symbol stands for: the inverse of codeRow, as the chart computes it. */
export function decodeSymbol(symbol: string): number {
  return (ATTENTION_CODES.indexOf(symbol) / LAST) ** 2;
}

/** A [size × size] matrix as `size` rows of (…extra, output, codes). */
export function codedMatrixRows(
  m: ArrayLike<number>,
  size: number,
  extra: Record<string, string | number> = {},
): Row[] {
  if (m.length !== size * size)
    throw new Error(`codedMatrixRows: expected ${size * size} values, got ${m.length}`);
  const rows: Row[] = [];
  for (let o = 0; o < size; o++) {
    const row = Array.prototype.slice.call(m, o * size, (o + 1) * size) as number[];
    rows.push({ ...extra, output: o, codes: codeRow(row) });
  }
  return rows;
}
