// Figures of what models predict: each model's prediction against the target for a few test
// samples, and how the blog LSTM's predictions move when another sample of its batch changes.
// Pure: predictions computed in src/analysis/ come in, figures go out.
import { BLOG_SAMPLES } from '../../data/samples';
import { Dataset, SEQ_LENGTH } from '../../data/task';
import { Figure, figure } from '../figure';
import { concatFrames, recordsFrame, sequenceFrame, withColumn } from '../frames';
import { batchLeakChart } from '../marks/bars';
import { predictionGrid } from '../marks/lines';
import { testSeries } from './task';

/**
 * Figures 3, 7 and 9: for each test sample, the (normalised) input and target and every
 * model's prediction, as (t, series, value, sample). `predictions[name]` is [samples × 100]:
 * row k belongs to `samples[k]`.
 */
export function predictionFigure(
  ds: Dataset,
  predictions: Record<string, Float32Array>,
  opts: { samples?: readonly number[]; title?: string } = {},
): Figure {
  const names = Object.keys(predictions);
  if (names.length === 0) throw new Error('predictionFigure needs at least one model');
  const samples = opts.samples ?? BLOG_SAMPLES;
  const frames = samples.map((s, k) => {
    // [100]: row k of each model's [samples × 100] predictions
    const row = (n: string) => predictions[n].subarray(k * SEQ_LENGTH, (k + 1) * SEQ_LENGTH);
    const preds = Object.fromEntries(names.map((n) => [n, row(n)]));
    return withColumn(sequenceFrame(testSeries(ds, s, preds)), 'sample', s);
  });
  return figure(concatFrames(frames), (rows) =>
    predictionGrid(rows, {
      title: opts.title ?? 'Test predictions against targets',
      subtitle: [
        `target: black; input: grey, dashed; in colour: ${names.join(', ')}`,
        'normalised units',
      ],
    }),
  );
}

/** What the blog LSTM does with its batch axis: rows of (model, position, change) from analysis/batch-leak, one panel per model. */
export function batchLeakFigure(
  rows: readonly { model: string; position: number; change: number }[],
  opts: { title?: string } = {},
): Figure {
  const frame = recordsFrame(
    rows.map((r) => ({ ...r })),
    ['model', 'position', 'change'],
  );
  return figure(frame, (rs) =>
    batchLeakChart(rs, {
      title: opts.title ?? 'Change sample 0 of a test batch: whose predictions move?',
      subtitle: [
        'largest change of each sample’s prediction when only sample 0 is negated',
        'a model that treats the samples of a batch apart moves bar 0 only',
      ],
    }),
  );
}
