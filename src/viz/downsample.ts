// downsample.ts: thin long series before they are drawn. A 50-epoch run logs ~7,900 per-batch
// training losses, but a 560-pixel-wide chart cannot show more than a few hundred points per
// line, and every extra point costs notebook bytes. The full history stays in data/runs/; only
// the rows handed to a chart are thinned. Pure functions of rows, like the rest of src/viz/.
//
// Two ways, both per series (rows sharing the values of the `by` columns), series by series in
// order of first appearance, each series in the order given:
//   bucketMean  mean of y over runs of k consecutive rows; x is the mean x of the run. The one
//               the loss curves use: per-batch MSE is noisy, and the mean of k per-batch MSEs
//               (equal batch sizes) is the MSE over those k batches, so the thinned line is
//               still a loss, only over a wider window. It hides the noise band.
//   everyKth    rows 0, k, 2k, … and always the last row: exact values, noise kept, but a
//               spike between two kept rows is lost.
// In both, k = ceil(n / maxPoints), so a series of n ≤ maxPoints rows is returned as it is
// (the per-epoch validation loss, for instance).
import { checkInt } from '../runtime/validate';

export type SeriesRow = Record<string, unknown>;

export interface ThinOptions {
  /** Columns that name a series, e.g. ['model', 'series']; [] treats all rows as one series. */
  by?: readonly string[];
  /** At most this many rows per series. Default 500: about one point per pixel of a 560-px chart. */
  maxPoints?: number;
}

export interface BucketMeanOptions extends ThinOptions {
  /** The x column (e.g. 'step'), averaged over each bucket. */
  x: string;
  /** The y column (e.g. 'value'), averaged over each bucket. */
  y: string;
}

/**
 * Per series, the mean of `y` (and of `x`) over buckets of k = ceil(n / maxPoints)
 * consecutive rows; the last bucket may be shorter. Other columns come from the bucket's last
 * row. 7,900 rows of one series with maxPoints 500 → 494 rows (k = 16).
 */
export function bucketMean<R extends SeriesRow>(rows: readonly R[], opts: BucketMeanOptions): R[] {
  const { x, y } = opts;
  return thin(rows, opts, (series, k) => {
    const out: R[] = [];
    for (let start = 0; start < series.length; start += k) {
      const bucket = series.slice(start, start + k);
      const mean = (col: string) =>
        bucket.reduce((sum, r) => sum + numberIn(r, col), 0) / bucket.length;
      out.push({ ...bucket[bucket.length - 1], [x]: mean(x), [y]: mean(y) });
    }
    return out;
  });
}

/**
 * Per series, every k-th row (k = ceil(n / maxPoints)) starting with the first, plus the last
 * row, values untouched. 7,900 rows of one series with maxPoints 500 → 495 rows.
 */
export function everyKth<R extends SeriesRow>(rows: readonly R[], opts: ThinOptions = {}): R[] {
  return thin(rows, opts, (series, k) => {
    const out = series.filter((_, i) => i % k === 0);
    if ((series.length - 1) % k !== 0) out.push(series[series.length - 1]);
    return out;
  });
}

function thin<R extends SeriesRow>(
  rows: readonly R[],
  { by = [], maxPoints = 500 }: ThinOptions,
  keep: (series: R[], k: number) => R[],
): R[] {
  checkInt('downsample.maxPoints', maxPoints, 1);
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const key = JSON.stringify(by.map((c) => r[c] ?? null));
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: R[] = [];
  for (const series of groups.values()) {
    const k = Math.ceil(series.length / maxPoints);
    out.push(...(k <= 1 ? series : keep(series, k)));
  }
  return out;
}

function numberIn(row: SeriesRow, col: string): number {
  const v = row[col];
  if (typeof v !== 'number') {
    throw new Error(`downsample: column ${JSON.stringify(col)} is not a number in a row`);
  }
  return v;
}
