// Comparison figures: the results table and scoreboard across models, the sweep's heatmap,
// loss against size and learning curves, and the blog LSTM's batch probe. Pure: records in.
import * as charts from './charts';
import { Frame, recordsFrame } from './frames';
import { SweepResult } from '../train/sweep';
import { finalValid, finishedPoints } from '../analysis/ranking';
import { Figure, fig } from './figures-core';

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
