// Heights read off a sample: for each shape, the height in the input, in the target (the pair's
// mean) and in each model's prediction, in the task's own units (1 to 25). A box's height is its
// mean over its span, a triangle's is its peak. This is what the prediction figures show, as
// numbers a sentence can quote.
import { Dataset, SEQ_LENGTH, shapesOf } from '../data/task';
import { sample } from '../data/dataset';
import { kindOf, shapeSpan } from './attention-by-shape';
import { SHAPE_LABELS } from './attention-cells';
import { blindShapes } from './blind';

export interface HeightRow {
  sample: number;
  shape: string;
  input: number;
  target: number;
  /** One column per model: its predicted height. */
  [model: string]: number | string;
}

/**
 * One row per shape of each test sample. `predictions[name]` is [samples × 100] in normalised
 * units, as `predictions()` returns them; they are mapped back to heights with the dataset's
 * mean and std. With `blind`, a last column holds the partner-blind guess (see blind.ts).
 */
export function shapeHeights(
  ds: Dataset,
  samples: readonly number[],
  predictions: Record<string, Float32Array> = {},
  opts: { blind?: boolean } = {},
): HeightRow[] {
  return samples.flatMap((s, k) => {
    const { x, y } = sample(ds, 'test', s);
    const shapes = shapesOf(ds.test, s);
    const guesses = blindShapes(shapes);
    return shapes.map((shape, i) => {
      const span = shapeSpan(shape, i);
      const read = (a: ArrayLike<number>, scale = (v: number) => v) => {
        const v = span.map((t) => scale(a[t]));
        return kindOf(i) === 'box' ? v.reduce((p, q) => p + q, 0) / v.length : Math.max(...v);
      };
      const row: HeightRow = { sample: s, shape: SHAPE_LABELS[i], input: read(x), target: read(y) };
      for (const [name, p] of Object.entries(predictions)) {
        const mine = p.subarray(k * SEQ_LENGTH, (k + 1) * SEQ_LENGTH);
        row[name] = read(mine, (v) => v * ds.std + ds.mean);
      }
      if (opts.blind) row['partner-blind guess'] = guesses[i].h;
      return row;
    });
  });
}
