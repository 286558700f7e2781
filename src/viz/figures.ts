// The walk-through's figures, each a long-format danfojs frame plus the vega-lite spec drawn
// from it. A figure takes records and arrays (histories, predictions, attention matrices,
// sweep results) and returns { frame, spec }: it never runs a model. Inference happens in
// src/analysis/; the notebook hands its arrays here and the spec to `showChart`. Every
// optional setting is a field of the last argument, an options object.
import * as charts from './charts';
import { Dataset, SEQ_LENGTH, Shape, shapesOf } from '../data/task';
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
import { bucketMean } from './downsample';
import { blockRows, spanRows } from './shape-marks';
import { codedMatrixRows } from './coded-matrix';
import { OverfitPoint } from '../train/learner';
import { RunRecord } from '../train/runs';
import { SweepResult } from '../train/sweep';
import { finalValid, finishedPoints } from '../analysis/ranking';
import { ShapeMassRow, quartiles } from '../analysis/attention-stats';

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
const normalise = (ds: Dataset) => (a: Float32Array) => a.map((v) => (v - ds.mean) / ds.std);

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
function sampleSeries(
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

/**
 * Several attention matrices side by side, in the order given, on one shared sqrt colour scale
 * (so equal colours are equal weights and a diffuse map looks diffuse).
 */
export function heatmapsFigure(
  matrices: Record<string, ArrayLike<number>>,
  opts: { title: string; size?: number },
): Figure {
  const names = Object.keys(matrices);
  // Rows carry the panel's number, not its name: 10,000 rows per map stay short.
  const frame = concatFrames(
    names.map((label, k) => withColumn(matrixFrame(matrices[label], SEQ_LENGTH), 'panel', k)),
  );
  const max = Math.max(...names.map((n) => Math.max(...Array.from(matrices[n]))));
  return fig(frame, (rows) =>
    charts.attentionHeatmap(rows, {
      title: opts.title,
      subtitle: `one colour scale for all maps (sqrt); the largest weight is ${max.toFixed(2)}`,
      size: opts.size ?? 300,
      column: 'panel',
      order: names.map((_, k) => k),
      labels: names,
      scale: { type: 'sqrt' },
    }),
  );
}

/**
 * The attention map read as pairings (see charts.attentionPairing): for each test sample, its
 * input, target and prediction above the map on the map's input axis, the input again beside
 * it, the four shapes' spans marked on both, and the same-kind blocks outlined. `matrices[k]`
 * and row k of `predictions` ([samples × 100]) belong to `samples[k]`. With several samples a
 * slider steps through them in the browser, no kernel needed; the picture shows `initial`
 * (default: the first). The maps travel as coded rows (see coded-matrix.ts), so 12 of them
 * cost about 130 KB; the tooltip's weights are good to about ±0.01.
 */
export function attentionPairingFigure(
  ds: Dataset,
  matrices: readonly ArrayLike<number>[],
  opts: {
    samples: readonly number[];
    predictions?: Float32Array;
    model?: string;
    title?: string;
    initial?: number;
  },
): Figure {
  const { samples } = opts;
  if (matrices.length !== samples.length)
    throw new Error(
      `attentionPairingFigure: ${matrices.length} maps for ${samples.length} samples`,
    );
  const coded = samples.flatMap((_, index) =>
    codedMatrixRows(matrices[index], SEQ_LENGTH, { index }),
  );
  const predName = `${opts.model ?? 'model'} prediction`;
  const series = ['input', 'target', ...(opts.predictions ? [predName] : [])];
  // One row per (sample, position) with a column per series: the chart folds them.
  const lines = samples.flatMap((s, index) => {
    const { x, y } = sample(ds, 'test', s);
    const [nx, ny] = [normalise(ds)(x), normalise(ds)(y)];
    const p = opts.predictions?.subarray(index * SEQ_LENGTH, (index + 1) * SEQ_LENGTH);
    return Array.from({ length: SEQ_LENGTH }, (_, t) => ({
      index,
      t,
      input: nx[t],
      target: ny[t],
      ...(p ? { [predName]: p[t] } : {}),
    }));
  });
  const tag = (rows: Row[], index: number) => rows.map((r) => ({ index, ...r }));
  const shapes = (s: number): Shape[] => shapesOf(ds.test, s);
  const spans = samples.flatMap((s, index) => tag(spanRows(shapes(s)), index));
  const blocks = samples.flatMap((s, index) => tag(blockRows(shapes(s)), index));
  const initial = opts.initial ?? 0;
  const several = samples.length > 1;
  const title =
    opts.title ??
    (several
      ? `Who reads whom: attention of ${samples.length} test samples (move the slider)`
      : `Who reads whom: attention for test sample ${samples[0]}`);
  return {
    frame: recordsFrame(coded, ['index', 'output', 'codes']),
    spec: charts.attentionPairing(
      {
        coded,
        lines,
        series,
        spans,
        blocks,
        samples: samples.map((sample, index) => ({ index, sample })),
      },
      {
        title,
        subtitle: [
          ...(several
            ? [`slider "sample #" 0–${samples.length - 1}: test samples ${samples.join(', ')}`]
            : []),
          'colour: attention weight, sqrt scale from 0 to 1; each row (an output position) sums to 1',
          "white outlines: a shape's outputs reading its own (solid) or its partner's (dashed) inputs",
        ],
        initial,
      },
    ),
  };
}

/**
 * How close the trained weights come to the pair mean, over many test samples (rows from
 * analysis/attention-stats `shapeMassOf`, one per sample and shape): the mass each shape's
 * outputs put on their own pair (the pair mean needs 1) and the partner's share of that mass
 * (the pair mean needs 0.5), as quartiles per shape kind.
 */
export function pairMassFigure(
  rows: readonly ShapeMassRow[],
  opts: { title?: string } = {},
): Figure {
  const measures = [
    { name: 'attention mass on the own pair', ideal: 1, field: 'onPair' as const },
    { name: "partner's share of that mass", ideal: 0.5, field: 'partnerShare' as const },
  ];
  const stats = measures.flatMap((m) =>
    (['triangle', 'box'] as const).map((kind) => {
      const v = rows.filter((r) => r.kind === kind).map((r) => r[m.field]);
      return { kind, measure: m.name, min: Math.min(...v), ...quartiles(v), max: Math.max(...v) };
    }),
  );
  const n = new Set(rows.map((r) => r.sample)).size;
  const title = opts.title ?? 'How close the weights come to the pair mean';
  return fig(recordsFrame(stats, ['kind', 'measure', 'min', 'q1', 'median', 'q3', 'max']), (rs) =>
    charts.pairMassChart(rs, {
      title,
      subtitle: `each shape's output positions in ${n.toLocaleString('en')} test samples; box: middle half, line: min to max, number: median`,
      measures,
    }),
  );
}

/** What a scoreboard needs of a run: a RunRecord or a summary.json entry both have it. */
export interface Scored {
  params: number;
  trainLoss: number;
  validLoss: number;
  testLoss: number;
  epochSeconds: readonly number[];
  backend: string;
  fit?: { epochs: number };
}

const meanSeconds = (r: Scored) =>
  r.epochSeconds.length ? r.epochSeconds.reduce((a, b) => a + b, 0) / r.epochSeconds.length : 0;

/** One row per run: what the scoreboard table shows. */
export function resultsTable(records: Record<string, Scored>): Frame {
  const rows = Object.entries(records).map(([name, r]) => ({
    model: name,
    params: r.params,
    train: r.trainLoss,
    valid: r.validLoss,
    test: r.testLoss,
    epochs: r.fit?.epochs ?? r.epochSeconds.length,
    's/epoch': meanSeconds(r),
    backend: r.backend,
  }));
  return recordsFrame(rows, [
    'model',
    'params',
    'train',
    'valid',
    'test',
    'epochs',
    's/epoch',
    'backend',
  ]);
}

/**
 * The scoreboard: every run's final train/valid/test loss as dots on a log axis, its parameters
 * and its seconds per epoch with the backend, one row per run in the order given.
 */
export function scoreboardFigure(
  records: Record<string, Scored>,
  opts: { title?: string; subtitle?: string | string[] } = {},
): Figure {
  const names = Object.keys(records);
  const losses = names.flatMap((model) => [
    { model, split: 'train', value: records[model].trainLoss },
    { model, split: 'valid', value: records[model].validLoss },
    { model, split: 'test', value: records[model].testLoss },
  ]);
  const models = names.map((model) => {
    const r = records[model];
    const s = meanSeconds(r);
    return {
      model,
      params: r.params,
      seconds: s,
      backend: r.backend,
      valid: r.validLoss,
      speed: `${s.toFixed(1)} s · ${r.backend}`,
    };
  });
  const title = opts.title ?? 'Scoreboard';
  return fig(resultsTable(records), () =>
    charts.scoreboardChart(
      { losses, models },
      {
        title,
        subtitle: opts.subtitle ?? [
          'final MSE in normalised units (the number: valid)',
          'parameters; mean seconds per epoch and the backend that trained it',
        ],
        order: names,
      },
    ),
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
      subtitle: 'final validation MSE (normalised, log colour scale); darker is better',
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

/** Sweep: validation loss per epoch for the chosen points (by label), in the order given. */
export function learningCurvesFigure(
  results: readonly SweepResult[],
  labels: readonly string[],
  opts: { title?: string } = {},
): Figure {
  const done = finishedPoints(results);
  const chosen = labels.flatMap((l) => done.filter((r) => r.label === l));
  const rows = chosen.flatMap((r) =>
    r.epochs.map((e) => ({ epoch: e.epoch + 1, label: r.label, value: e.valid })),
  );
  const title = opts.title ?? 'Learning curves of selected grid points';
  return fig(recordsFrame(rows, ['epoch', 'label', 'value']), (rs) =>
    charts.learningCurves(rs, { title }),
  );
}

/** What the blog LSTM does with its batch axis: rows of (model, position, change) from analysis/batch-leak, one panel per model. */
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
        subtitle: [
          'largest change of each sample’s prediction when only sample 0 is negated',
          'a model that treats the samples of a batch apart moves bar 0 only',
        ],
      }),
  );
}
