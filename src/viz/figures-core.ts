// The walk-through's basic figures: a sample, loss curves, predictions, the overfit check.
import * as charts from './charts';
import { Dataset, SEQ_LENGTH, shapesOf } from '../data/task';
import { sample } from '../data/dataset';
import {
  Frame,
  Row,
  concatFrames,
  historyFrame,
  recordsFrame,
  sequenceFrame,
  toRows,
  withColumn,
} from './frames';
import { bucketMean } from './downsample';
import { spanRows } from './shape-marks';
import { OverfitPoint } from '../train/learner';
import { RunRecord } from '../train/runs';

export interface Figure {
  frame: Frame;
  spec: charts.Spec;
}

/** The test samples the walk-through plots, in its order. */
export const BLOG_SAMPLES = [84, 701, 27, 493] as const;
/** The test sample of the attention heatmap. */
export const HEATMAP_SAMPLE = 84;

export const fig = (frame: Frame, make: (rows: Row[]) => charts.Spec): Figure => ({
  frame,
  spec: make(toRows(frame)),
});
export const samplesText = (n: number) => `${n.toLocaleString('en')} samples`;
export const normalise = (ds: Dataset) => (a: Float32Array) => a.map((v) => (v - ds.mean) / ds.std);

/** Figure 1: one training sample's input and target, raw or normalised, its shapes labelled. */
export function sampleFigure(ds: Dataset, i: number, opts: { normalised?: boolean } = {}): Figure {
  const { x, y } = sample(ds, 'pool', i);
  const norm = opts.normalised ? normalise(ds) : (a: Float32Array) => a;
  const frame = sequenceFrame({ input: norm(x), target: norm(y) });
  const title = `Training sample ${i}${opts.normalised ? ', normalised' : ''}`;
  const subtitle =
    "T1, T2: the triangles; B1, B2: the boxes. Target: each pair at the pair's mean height";
  return fig(frame, (rows) =>
    charts.sequenceChart(rows, {
      title,
      subtitle,
      yTitle: opts.normalised ? '(value − mean) / std' : 'height',
      spans: spanRows(shapesOf(ds.pool, i)),
    }),
  );
}

/** The number of samples a run fitted on: the training set less its validation hold-out. */
export function fittedSamples(r: Pick<RunRecord, 'data'>): number {
  return r.data.nTrain - Math.floor(r.data.nTrain * r.data.validFraction);
}

/** At most this many training-loss points per curve (about one per pixel of a chart). */
const LOSS_POINTS = 400;

/** Loss rows for a chart: the per-batch training loss averaged over windows of k batches. */
function thinLossRows(rows: Row[]): { rows: Row[]; window: number } {
  const perModel = Math.max(
    ...Object.values(
      rows
        .filter((r) => r.series === 'train')
        .reduce<Record<string, number>>((n, r) => {
          const k = String(r.model ?? '');
          n[k] = (n[k] ?? 0) + 1;
          return n;
        }, {}),
    ),
    1,
  );
  const window = Math.ceil(perModel / LOSS_POINTS);
  const thinned = bucketMean(rows, {
    by: ['model', 'series'],
    x: 'step',
    y: 'value',
    maxPoints: LOSS_POINTS,
  });
  return { rows: thinned, window };
}

const windowText = (k: number) =>
  k > 1
    ? `train: mean of every ${k} batches; valid: after each epoch`
    : 'train: every batch; valid: after each epoch';

/** Figures 2, 6 and 9: the training loss (per batch, or per window of batches) and the validation loss per epoch. */
export function lossFigure(record: RunRecord, opts: { title?: string } = {}): Figure {
  const title = opts.title ?? `${record.kind}: loss curves`;
  const last = `final: train ${record.trainLoss.toPrecision(3)}, valid ${record.validLoss.toPrecision(3)}, test ${record.testLoss.toPrecision(3)}`;
  const frame = historyFrame(record.history, record.kind);
  return fig(frame, (all) => {
    const { rows, window } = thinLossRows(all);
    const subtitle = [
      `${record.fit.epochs} epochs, fitted on ${samplesText(fittedSamples(record))}; ${last}`,
      windowText(window),
    ];
    return charts.lossChart(rows, { title, subtitle });
  });
}

/** Loss curves of several runs side by side, one panel per name, in the order given. */
export function lossesFigure(
  records: Record<string, RunRecord>,
  opts: { title: string; columns?: number },
): Figure {
  const names = Object.keys(records);
  const frame = concatFrames(names.map((n) => historyFrame(records[n].history, n)));
  return fig(frame, (all) => {
    const { rows, window } = thinLossRows(all);
    const fitted = [...new Set(names.map((n) => fittedSamples(records[n])))];
    const epochs = [...new Set(names.map((n) => records[n].fit.epochs))];
    const subtitle = [
      `${epochs.join(' / ')} epochs, fitted on ${fitted.map(samplesText).join(' / ')}`,
      windowText(window),
    ];
    return charts.lossChart(rows, {
      title: opts.title,
      subtitle,
      facetByModel: true,
      order: names,
      columns: opts.columns,
    });
  });
}

/** The sample's normalised input and target, plus the named predictions ([100] each). */
export function sampleSeries(
  ds: Dataset,
  s: number,
  predictions: Record<string, ArrayLike<number>>,
): Record<string, ArrayLike<number>> {
  const { x, y } = sample(ds, 'test', s);
  return { input: normalise(ds)(x), target: normalise(ds)(y), ...predictions };
}

/**
 * Figures 3, 7 and 9: for each test sample, the (normalised) input and target and every
 * model's prediction, as (sample, t, series, value). `predictions[name]` is [samples × 100].
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
    const preds = Object.fromEntries(
      names.map((n) => [n, predictions[n].subarray(k * SEQ_LENGTH, (k + 1) * SEQ_LENGTH)]),
    );
    return withColumn(sequenceFrame(sampleSeries(ds, s, preds)), 'sample', s);
  });
  const title = opts.title ?? 'Test predictions against targets';
  return fig(concatFrames(frames), (rows) =>
    charts.predictionGrid(rows, {
      title,
      subtitle: [
        `target: black; input: grey, dashed; in colour: ${names.join(', ')}`,
        'normalised units',
      ],
    }),
  );
}

/** Figure 4: the single-batch overfit check's loss every k steps. */
export function overfitFigure(
  points: readonly OverfitPoint[],
  opts: { title?: string } = {},
): Figure {
  const frame = recordsFrame(
    points.map((p) => ({ step: p.step, value: p.loss })),
    ['step', 'value'],
  );
  const title = opts.title ?? 'Overfitting one batch of 20 items';
  return fig(frame, (rows) =>
    charts.overfitChart(rows, {
      title,
      subtitle: 'a model that can learn the task drives this towards 0',
    }),
  );
}

/** Figure 8, the walk-through's own view: one [100 × 100] attention matrix as 10,000 rows of (input, output, attention). */
