// The walk-through's figures, each a long-format danfojs frame plus the vega-lite spec drawn
// from it. A figure takes records and arrays (histories, predictions, attention matrices,
// sweep results) and returns { frame, spec }: it never runs a model. Inference happens in
// src/analysis/; the notebook hands its arrays here and the spec to `showChart`.
import * as charts from './charts';
import { Dataset, SEQ_LENGTH } from '../data/task';
import { sample } from '../data/dataset';
import {
  Frame,
  Row,
  concatFrames,
  historyFrame,
  matrixFrame,
  recordsFrame,
  sequenceFrame,
  toRows,
  withColumn,
} from './frames';
import { OverfitPoint } from '../train/learner';
import { RunRecord } from '../train/runs';
import { SweepResult } from '../train/sweep';
import { finalValid, finishedPoints } from '../analysis/ranking';

export interface Figure {
  frame: Frame;
  spec: charts.Spec;
}

/** The test samples the walk-through plots, in its order. */
export const BLOG_SAMPLES = [84, 701, 27, 493] as const;
/** The test sample of the attention heatmap. */
export const HEATMAP_SAMPLE = 84;

const fig = (frame: Frame, make: (rows: Row[]) => charts.Spec): Figure => ({
  frame,
  spec: make(toRows(frame)),
});
const samplesText = (n: number) => `${n.toLocaleString('en')} samples`;

/** Figure 1: one training sample's input and target, raw or normalised. */
export function sampleFigure(ds: Dataset, i: number, opts: { normalised?: boolean } = {}): Figure {
  const { x, y } = sample(ds, 'train', i);
  const norm = (a: Float32Array) => (opts.normalised ? a.map((v) => (v - ds.mean) / ds.std) : a);
  const frame = sequenceFrame({ input: norm(x), target: norm(y) });
  const title = `Training sample ${i}${opts.normalised ? ', normalised' : ''}`;
  const subtitle = "target: each pair of shapes set to the pair's mean height";
  return fig(frame, (rows) =>
    charts.sequenceChart(rows, {
      title,
      subtitle,
      yTitle: opts.normalised ? '(value − mean) / std' : 'height',
    }),
  );
}

/** The number of samples a run fitted on: the training set less its validation hold-out. */
export function fittedSamples(r: Pick<RunRecord, 'data'>): number {
  return r.data.nTrain - Math.floor(r.data.nTrain * r.data.validFraction);
}

/** Figures 2, 6 and 9: training loss per batch and validation loss per epoch. */
export function lossFigure(record: RunRecord, opts: { title?: string } = {}): Figure {
  const title = opts.title ?? `${record.kind}: loss curves`;
  const last = `final: train ${record.trainLoss.toPrecision(3)}, valid ${record.validLoss.toPrecision(3)}, test ${record.testLoss.toPrecision(3)}`;
  const subtitle = `${record.fit.epochs} epochs, fitted on ${samplesText(fittedSamples(record))}; ${last}`;
  return fig(historyFrame(record.history, record.kind), (rows) =>
    charts.lossChart(rows, { title, subtitle }),
  );
}

/** Loss curves of several runs side by side. */
export function lossesFigure(records: RunRecord[], opts: { title: string }): Figure {
  const frame = concatFrames(records.map((r) => historyFrame(r.history, r.kind)));
  return fig(frame, (rows) => charts.lossChart(rows, { title: opts.title, facetByModel: true }));
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
    const { x, y } = sample(ds, 'test', s);
    const norm = (a: Float32Array) => a.map((v) => (v - ds.mean) / ds.std);
    const series: Record<string, ArrayLike<number>> = { input: norm(x), target: norm(y) };
    for (const n of names)
      series[n] = predictions[n].subarray(k * SEQ_LENGTH, (k + 1) * SEQ_LENGTH);
    return withColumn(sequenceFrame(series), 'sample', s);
  });
  const title = opts.title ?? 'Test predictions against targets';
  return fig(concatFrames(frames), (rows) =>
    charts.predictionGrid(rows, { title, subtitle: names.join(', ') + ' (normalised units)' }),
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

/** Figure 8: one [100 × 100] attention matrix as 10,000 rows of (input, output, attention). */
export function heatmapFigure(
  matrix: ArrayLike<number>,
  opts: { sample?: number; title?: string } = {},
): Figure {
  const title = opts.title ?? `Attention for test sample ${opts.sample ?? HEATMAP_SAMPLE}`;
  return fig(matrixFrame(matrix, SEQ_LENGTH), (rows) =>
    charts.attentionHeatmap(rows, {
      title,
      subtitle: 'row: output position; colour: how much it draws on each input position',
    }),
  );
}

/** Several attention matrices side by side (rows tagged with their label). */
export function heatmapsFigure(
  matrices: Record<string, ArrayLike<number>>,
  opts: { title: string },
): Figure {
  const frame = concatFrames(
    Object.entries(matrices).map(([label, m]) =>
      withColumn(matrixFrame(m, SEQ_LENGTH), 'model', label),
    ),
  );
  return fig(frame, (rows) =>
    charts.attentionHeatmap(rows, { title: opts.title, size: 300, column: 'model' }),
  );
}

/** One row per run: what the final comparison table shows. */
export function resultsTable(records: Record<string, RunRecord>): Frame {
  const rows = Object.entries(records).map(([name, r]) => ({
    model: name,
    params: r.params,
    train: r.trainLoss,
    valid: r.validLoss,
    test: r.testLoss,
    epochs: r.fit.epochs,
    'epoch s': r.epochSeconds.length
      ? r.epochSeconds.reduce((a, b) => a + b, 0) / r.epochSeconds.length
      : 0,
    backend: r.backend,
  }));
  return recordsFrame(rows, [
    'model',
    'params',
    'train',
    'valid',
    'test',
    'epochs',
    'epoch s',
    'backend',
  ]);
}

/** The comparison chart: (model, split, value) for train, valid and test. */
export function comparisonFigure(
  records: Record<string, RunRecord>,
  opts: { title?: string } = {},
): Figure {
  const rows = Object.entries(records).flatMap(([name, r]) => [
    { model: name, split: 'train', value: r.trainLoss },
    { model: name, split: 'valid', value: r.validLoss },
    { model: name, split: 'test', value: r.testLoss },
  ]);
  const title = opts.title ?? 'Final losses of all models';
  return fig(recordsFrame(rows, ['model', 'split', 'value']), (rs) =>
    charts.comparisonChart(rs, { title, subtitle: 'normalised MSE after the last epoch' }),
  );
}

/** Sweep: final validation loss of the attention points over kernel size × key channels. */
export function sweepHeatmapFigure(
  results: readonly SweepResult[],
  opts: { title?: string } = {},
): Figure {
  const rows = finishedPoints(results)
    .filter((r) => r.kind === 'attention')
    .map((r) => ({
      kernelSize: r.config.kernelSize as number,
      keyChannels: r.config.keyChannels as number,
      value: finalValid(r),
    }));
  const title = opts.title ?? 'Attention model: validation loss over kernel size × key channels';
  return fig(recordsFrame(rows, ['kernelSize', 'keyChannels', 'value']), (rs) =>
    charts.sweepHeatmap(rs, {
      title,
      subtitle: 'final validation MSE (normalised); darker is better',
    }),
  );
}

/** Sweep: final validation loss against parameter count, every finished point. */
export function lossVsParamsFigure(
  results: readonly SweepResult[],
  opts: { title?: string } = {},
): Figure {
  const rows = finishedPoints(results).map((r) => ({
    model: r.kind,
    params: r.params ?? 0,
    value: finalValid(r),
    label: r.label,
  }));
  const title = opts.title ?? 'Validation loss against model size';
  return fig(recordsFrame(rows, ['model', 'params', 'value', 'label']), (rs) =>
    charts.lossVsParams(rs, { title }),
  );
}

/** Sweep: validation loss per epoch for the chosen points (by label). */
export function learningCurvesFigure(
  results: readonly SweepResult[],
  labels: readonly string[],
  opts: { title?: string } = {},
): Figure {
  const chosen = finishedPoints(results).filter((r) => labels.includes(r.label));
  const rows = chosen.flatMap((r) =>
    r.epochs.map((e) => ({ epoch: e.epoch + 1, label: r.label, value: e.valid })),
  );
  const title = opts.title ?? 'Learning curves of selected grid points';
  return fig(recordsFrame(rows, ['epoch', 'label', 'value']), (rs) =>
    charts.learningCurves(rs, { title }),
  );
}

/** What the blog LSTM does with its batch axis: rows of (model, position, change) from analysis/batch-leak. */
export function batchLeakFigure(
  rows: readonly { model: string; position: number; change: number }[],
  opts: { title?: string } = {},
): Figure {
  const title = opts.title ?? 'Change sample 0 of a test batch: whose predictions move?';
  return fig(
    recordsFrame(
      rows.map((r) => ({ ...r })),
      ['model', 'position', 'change'],
    ),
    (rs) =>
      charts.batchLeakChart(rs, {
        title,
        subtitle:
          'the blog LSTM reads the batch as a time axis, so later samples depend on earlier ones',
      }),
  );
}
