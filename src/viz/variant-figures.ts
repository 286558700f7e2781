// Notebook 08's figures: attention variants side by side. Like figures.ts, each takes records and
// arrays and returns a long-format frame with its vega-lite spec; nothing here runs a model.
import type { TopLevelSpec } from 'vega-lite';
import { median } from '../runtime/stats';
import { epochLosses } from '../train/history';
import { RunRecord } from '../train/runs';
import { Frame, Row, recordsFrame, toRows } from './frames';

export interface VariantFigure {
  frame: Frame;
  spec: TopLevelSpec;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
export const round = (v: number, digits = 4) =>
  Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
export const titled = (title: string, subtitle?: string) => ({
  $schema: SCHEMA,
  title: subtitle ? { text: title, subtitle } : title,
});
export const done = (
  rows: Row[],
  columns: string[],
  spec: (rows: Row[]) => TopLevelSpec,
): VariantFigure => {
  const frame = recordsFrame(rows, columns);
  return { frame, spec: spec(toRows(frame)) };
};

/** One variant's final losses, for the dot plot. */
export interface VariantScore {
  /** Readable run name, e.g. 'attention-heads4'. */
  name: string;
  /** The question it answers, e.g. 'seed 003: beyond a dense layer?'. */
  group: string;
  valid: number;
  test: number;
}

/**
 * Final validation and test MSE of every variant on a log axis, one row per variant, grouped by
 * the question it answers. Dots, not bars: a log axis has no zero for a bar to start from.
 */
export function variantsFigure(
  scores: readonly VariantScore[],
  opts: { title: string; subtitle?: string },
): VariantFigure {
  const rows = scores.flatMap((s) => [
    { name: s.name, group: s.group, split: 'valid', value: round(s.valid) },
    { name: s.name, group: s.group, split: 'test', value: round(s.test) },
  ]);
  const order = scores.map((s) => s.name);
  return done(rows, ['name', 'group', 'split', 'value'], (values) => ({
    ...titled(opts.title, opts.subtitle),
    data: { values },
    width: 420,
    height: { step: 16 },
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      y: { field: 'name', type: 'nominal', sort: order, title: null, axis: { labelLimit: 260 } },
      x: {
        field: 'value',
        type: 'quantitative',
        scale: { type: 'log' },
        title: 'final MSE (normalised, log scale)',
      },
      color: {
        field: 'split',
        type: 'nominal',
        scale: { domain: ['valid', 'test'], range: ['#1f77b4', '#ff7f0e'] },
        title: null,
      },
      shape: {
        field: 'group',
        type: 'nominal',
        title: 'question',
        legend: { labelLimit: 320, orient: 'bottom', columns: 1 },
      },
      tooltip: [{ field: 'name' }, { field: 'split' }, { field: 'value', format: '.4g' }],
    },
  }));
}

/** The same variant trained from several seeds: each seed's final validation MSE and their mean. */
export function seedSpreadFigure(
  runs: readonly { variant: string; seed: number; valid: number }[],
  opts: { title: string; subtitle?: string },
): VariantFigure {
  const rows = runs.map((r) => ({ variant: r.variant, seed: r.seed, valid: round(r.valid) }));
  const order = [...new Set(runs.map((r) => r.variant))];
  return done(rows, ['variant', 'seed', 'valid'], (values) => ({
    ...titled(opts.title, opts.subtitle),
    data: { values },
    width: 420,
    height: { step: 28 },
    encoding: {
      y: { field: 'variant', type: 'nominal', sort: order, title: null },
    },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 50, opacity: 0.8 },
        encoding: {
          x: {
            field: 'valid',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'final validation MSE (log scale)',
          },
          tooltip: [{ field: 'variant' }, { field: 'seed' }, { field: 'valid', format: '.4g' }],
        },
      },
      {
        mark: { type: 'tick', color: 'black', thickness: 2, size: 18 },
        encoding: { x: { aggregate: 'mean', field: 'valid', type: 'quantitative' } },
      },
    ],
  }));
}

/** How many final epochs `lastValid` takes the median of. */
export const LAST_EPOCHS = 5;

/**
 * The median validation loss of a run's last `n` epochs. Near convergence the per-epoch
 * validation loss of the attention models swings by up to 2× from one epoch to the next, so a
 * comparison of final epochs alone can rank two runs by the luck of their last step.
 */
export function lastValid(r: RunRecord, n = LAST_EPOCHS): number {
  const valid = epochLosses(r.history).map((e) => e.valid);
  return valid.length ? median(valid.slice(-n)) : r.validLoss;
}

/** The numbers of each run, one row per name: the variant tables of notebook 08. */
export function variantTable(records: Record<string, RunRecord>): Frame {
  const rows = Object.entries(records).map(([name, r]) => ({
    variant: name,
    params: r.params,
    samples: r.data.nTrain,
    epochs: r.fit.epochs,
    train: r.trainLoss,
    valid: r.validLoss,
    [`valid, last ${LAST_EPOCHS}`]: lastValid(r),
    test: r.testLoss,
    // The median, not the mean: one epoch slowed by a paused or shared machine would skew a mean.
    's/epoch': r.epochSeconds.length ? median(r.epochSeconds) : 0,
  }));
  return recordsFrame(rows, [
    'variant',
    'params',
    'samples',
    'epochs',
    'train',
    'valid',
    `valid, last ${LAST_EPOCHS}`,
    'test',
    's/epoch',
  ]);
}

/**
 * The validation loss of several runs over their last `lastEpochs` epochs (default: all), one
 * line per run on a log axis: how much the final epoch of each run is worth, against the swings
 * before it.
 */
export function validCurvesFigure(
  records: Record<string, RunRecord>,
  opts: { title: string; subtitle?: string; lastEpochs?: number },
): VariantFigure {
  const names = Object.keys(records);
  const rows = names.flatMap((name) => {
    const epochs = epochLosses(records[name].history);
    return epochs
      .slice(-(opts.lastEpochs ?? epochs.length))
      .map((e) => ({ variant: name, epoch: e.epoch + 1, valid: round(e.valid) }));
  });
  if (!rows.length) throw new Error('validCurvesFigure: none of the runs has a validation loss');
  return done(rows, ['variant', 'epoch', 'valid'], (values) => ({
    ...titled(opts.title, opts.subtitle),
    data: { values },
    width: 460,
    height: 260,
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { zero: false } },
      y: {
        field: 'valid',
        type: 'quantitative',
        scale: { type: 'log' },
        title: 'validation MSE (log scale)',
      },
      color: { field: 'variant', type: 'nominal', sort: names, title: null },
      tooltip: [{ field: 'variant' }, { field: 'epoch' }, { field: 'valid', format: '.4g' }],
    },
  }));
}

/** Records to the dot plot's scores, each tagged with the question it answers. */
export function scoresOf(group: string, records: Record<string, RunRecord>): VariantScore[] {
  return Object.entries(records).map(([name, r]) => ({
    name,
    group,
    valid: r.validLoss,
    test: r.testLoss,
  }));
}
