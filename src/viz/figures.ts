// The walk-through's figures, each as a long-format danfojs frame plus the vega-lite spec drawn
// from it. Notebooks call these and hand the spec to `showChart`; nothing here trains or draws.
import * as tf from '@tensorflow/tfjs';
import * as charts from './charts';
import { Dataset, SEQ_LENGTH, shapesOf } from '../data/task';
import { batchTensors, sample } from '../data/dataset';
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
import { BuiltModel, attentionMap } from '../models/build';
import { batchLeak } from '../analysis/anatomy';
import { RunRecord, TrainedRun } from '../train/runs';
import { SweepResult, finalRows } from '../train/sweep';

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

/** Figure 1: one training sample's input and target, raw or normalised. */
export function sampleFigure(ds: Dataset, i: number, normalised = false): Figure {
  const { x, y } = sample(ds, 'train', i);
  const norm = (a: Float32Array) => (normalised ? a.map((v) => (v - ds.mean) / ds.std) : a);
  const frame = sequenceFrame({ input: norm(x), target: norm(y) });
  const title = `Training sample ${i}${normalised ? ', normalised' : ''}`;
  const subtitle = "target: each pair of shapes set to the pair's mean height";
  return fig(frame, (rows) =>
    charts.sequenceChart(rows, {
      title,
      subtitle,
      yTitle: normalised ? '(value − mean) / std' : 'height',
    }),
  );
}

/** Figures 2, 6 and 9: training loss per batch and validation loss per epoch. */
export function lossFigure(record: RunRecord, title = `${record.kind}: loss curves`): Figure {
  const last = `final: train ${record.trainLoss.toPrecision(3)}, valid ${record.validLoss.toPrecision(3)}, test ${record.testLoss.toPrecision(3)}`;
  return fig(historyFrame(record.history, record.kind), (rows) =>
    charts.lossChart(rows, {
      title,
      subtitle: `${record.train.epochs} epochs on ${record.data.nTrain.toLocaleString('en')} samples; ${last}`,
    }),
  );
}

/** Loss curves of several runs side by side. */
export function lossesFigure(records: RunRecord[], title: string): Figure {
  const frame = concatFrames(records.map((r) => historyFrame(r.history, r.kind)));
  return fig(frame, (rows) => charts.lossChart(rows, { title, facetByModel: true }));
}

/**
 * Figures 3, 7 and 9: for each test sample, the (normalised) input and target and every
 * run's prediction, as (sample, t, series, value).
 */
export function predictionFigure(
  runs: Record<string, TrainedRun>,
  samples: readonly number[] = BLOG_SAMPLES,
  title = 'Test predictions against targets',
): Figure {
  const names = Object.keys(runs);
  if (names.length === 0) throw new Error('predictionFigure needs at least one run');
  const ds = runs[names[0]].learner.data;
  const preds = Object.fromEntries(names.map((n) => [n, runs[n].learner.predict('test', samples)]));
  const frames = samples.map((s, k) => {
    const { x, y } = sample(ds, 'test', s);
    const norm = (a: Float32Array) => a.map((v) => (v - ds.mean) / ds.std);
    const series: Record<string, ArrayLike<number>> = { input: norm(x), target: norm(y) };
    for (const n of names) series[n] = preds[n].subarray(k * SEQ_LENGTH, (k + 1) * SEQ_LENGTH);
    return withColumn(sequenceFrame(series), 'sample', s);
  });
  return fig(concatFrames(frames), (rows) =>
    charts.predictionGrid(rows, { title, subtitle: names.join(', ') + ' (normalised units)' }),
  );
}

/** Figure 4: the single-batch overfit check's loss every k steps. */
export function overfitFigure(
  points: readonly OverfitPoint[],
  title = 'Overfitting one batch of 20 items',
): Figure {
  const frame = recordsFrame(
    points.map((p) => ({ step: p.step, value: p.loss })),
    ['step', 'value'],
  );
  return fig(frame, (rows) =>
    charts.overfitChart(rows, {
      title,
      subtitle: 'a model that can learn the task drives this towards 0',
    }),
  );
}

/** The attention matrix of one test sample, [100 × 100] row-major (row = output position). */
export function attentionOf(run: TrainedRun, testSample: number): Float32Array {
  const { x, y } = batchTensors(run.learner.data, 'test', [testSample]);
  const a = attentionMap(run.built, x);
  const out = a.dataSync() as Float32Array;
  tf.dispose([x, y, a]);
  return out;
}

/** Figure 8: the attention heatmap for one test sample: 10,000 rows of (input, output, attention). */
export function heatmapFigure(
  run: TrainedRun,
  testSample = HEATMAP_SAMPLE,
  title = `Attention for test sample ${testSample}`,
): Figure {
  const frame = matrixFrame(attentionOf(run, testSample), SEQ_LENGTH);
  return fig(frame, (rows) =>
    charts.attentionHeatmap(rows, {
      title,
      subtitle: 'row: output position; colour: how much it draws on each input position',
    }),
  );
}

/** Heatmaps of several runs side by side (rows tagged with `label`). */
export function heatmapsFigure(
  runs: Record<string, TrainedRun>,
  testSample: number,
  title: string,
): Figure {
  const frame = concatFrames(
    Object.entries(runs).map(([label, run]) =>
      withColumn(matrixFrame(attentionOf(run, testSample), SEQ_LENGTH), 'model', label),
    ),
  );
  return fig(frame, (rows) => charts.attentionHeatmap(rows, { title, size: 300, column: 'model' }));
}

/** One row per run: what the final comparison table shows. */
export function resultsTable(records: RunRecord[]): Frame {
  const rows = records.map((r) => ({
    model: r.kind,
    params: r.params,
    train: r.trainLoss,
    valid: r.validLoss,
    test: r.testLoss,
    epochs: r.train.epochs,
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
  records: RunRecord[],
  title = 'Final losses of all models',
): Figure {
  const rows = records.flatMap((r) => [
    { model: r.kind, split: 'train', value: r.trainLoss },
    { model: r.kind, split: 'valid', value: r.validLoss },
    { model: r.kind, split: 'test', value: r.testLoss },
  ]);
  return fig(recordsFrame(rows, ['model', 'split', 'value']), (rs) =>
    charts.comparisonChart(rs, { title, subtitle: 'normalised MSE after the last epoch' }),
  );
}

/** Sweep: final validation loss of the attention points over kernel size × key channels. */
export function sweepHeatmapFigure(
  results: readonly SweepResult[],
  title = 'Attention model: validation loss over kernel size × key channels',
): Figure {
  const rows = finalRows(results)
    .filter((r) => r.kind === 'attention')
    .map((r) => ({
      kernelSize: r.config.kernelSize as number,
      keyChannels: r.config.keyChannels as number,
      value: r.epochs[r.epochs.length - 1].valid,
    }));
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
  title = 'Validation loss against model size',
): Figure {
  const rows = finalRows(results).map((r) => ({
    model: r.kind,
    params: r.params ?? 0,
    value: r.epochs[r.epochs.length - 1].valid,
    label: r.label,
  }));
  return fig(recordsFrame(rows, ['model', 'params', 'value', 'label']), (rs) =>
    charts.lossVsParams(rs, { title }),
  );
}

/** Sweep: validation loss per epoch for the chosen points (by label). */
export function learningCurvesFigure(
  results: readonly SweepResult[],
  labels: readonly string[],
  title = 'Learning curves of selected grid points',
): Figure {
  const chosen = finalRows(results).filter((r) => labels.includes(r.label));
  const rows = chosen.flatMap((r) =>
    r.epochs.map((e) => ({ epoch: e.epoch + 1, label: r.label, value: e.valid })),
  );
  return fig(recordsFrame(rows, ['epoch', 'label', 'value']), (rs) =>
    charts.learningCurves(rs, { title }),
  );
}

/** What the blog LSTM does with its batch axis: changing sample 0 moves every later prediction. */
export function batchLeakFigure(
  models: Record<string, BuiltModel>,
  data: Dataset,
  title = 'Change sample 0 of a test batch: whose predictions move?',
): Figure {
  return fig(batchLeak(models, data), (rows) =>
    charts.batchLeakChart(rows, {
      title,
      subtitle:
        'the blog LSTM reads the batch as a time axis, so later samples depend on earlier ones',
    }),
  );
}

const SHAPE_NAMES = ['triangle 1', 'triangle 2', 'box 1', 'box 2'];

/**
 * How a test sample's attention splits between its shapes: for the output positions of each
 * shape, the mean attention mass on each shape's input positions, and on the flat floor
 * ("elsewhere"). Rows sum to 1. This is the heatmap reduced to 4 × 5 numbers.
 */
export function attentionByShape(run: TrainedRun, testSample = HEATMAP_SAMPLE): Frame {
  const a = attentionOf(run, testSample);
  const spans = shapesOf(run.learner.data.test, testSample).map((s) => {
    const steps: number[] = [];
    // Non-zero steps of the shape's profile (both kinds extend at most w/2 + 0.5 from the centre).
    for (let t = 0; t < SEQ_LENGTH; t++) if (Math.abs(t - s.c) < s.w / 2 + 0.5) steps.push(t);
    return steps;
  });
  const rows = spans.map((outs, i) => {
    const row: Row = { 'output positions of': SHAPE_NAMES[i] };
    let inShapes = 0;
    spans.forEach((ins, j) => {
      let m = 0;
      for (const o of outs) for (const k of ins) m += a[o * SEQ_LENGTH + k];
      row[SHAPE_NAMES[j]] = m / outs.length;
      inShapes += m / outs.length;
    });
    row.elsewhere = 1 - inShapes;
    return row;
  });
  return recordsFrame(rows, ['output positions of', ...SHAPE_NAMES, 'elsewhere']);
}
