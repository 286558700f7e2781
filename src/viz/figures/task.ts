// Figures of the task itself: one training sample's input and target with its shapes marked, and
// test samples' series in normalised units. Pure: a dataset in, a figure out.
import { Dataset, shapesOf } from '../../data/task';
import { normalise, sample } from '../../data/dataset';
import { Figure, figure } from '../figure';
import { sequenceFrame } from '../frames';
import { sequenceChart } from '../marks/lines';
import { spanRows } from '../shape-marks';

export { normalise }; // the one normalisation lives with the data (data/dataset.ts)

/** Test sample `s`'s normalised input and target ([100] each), then the named series. */
export function testSeries(
  ds: Dataset,
  s: number,
  more: Record<string, ArrayLike<number>> = {},
): Record<string, ArrayLike<number>> {
  const { x, y } = sample(ds, 'test', s);
  return { input: normalise(ds, x), target: normalise(ds, y), ...more };
}

/** Figure 1: one training sample's input and target, raw or normalised, its shapes labelled. */
export function sampleFigure(ds: Dataset, i: number, opts: { normalised?: boolean } = {}): Figure {
  const { x, y } = sample(ds, 'pool', i);
  const units = (a: Float32Array) => (opts.normalised ? normalise(ds, a) : a);
  const title = `Training sample ${i}${opts.normalised ? ', normalised' : ''}`;
  const subtitle =
    "T1, T2: the triangles; B1, B2: the boxes. Target: each pair at the pair's mean height";
  return figure(sequenceFrame({ input: units(x), target: units(y) }), (rows) =>
    sequenceChart(rows, {
      title,
      subtitle,
      yTitle: opts.normalised ? '(value − mean) / std' : 'height',
      spans: spanRows(shapesOf(ds.pool, i)),
    }),
  );
}
