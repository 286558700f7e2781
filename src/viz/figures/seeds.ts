// Figures and tables of a seeded comparison (train/compare.ts): the rows of every variant under
// every seed, drawn as one dot per seed with the median, as learning curves one line per seed,
// and tabulated with the median and range over seeds. A seed's "final" loss is compare.ts's
// `seedFinals` (the median of its epochs marked final: the last 5 under a flat rate, the last
// one under one-cycle), the one definition everything here uses.
// Every figure and the table carry the noise floor (data/dataset.ts's `noiseFloor`).
import { CompareRow, seedFinals, summarizeSeeds } from '../../train/compare';
import { Figure, figure } from '../figure';
import { Frame, recordsFrame } from '../frames';
import { seedDots } from '../marks/dots';
import { epochCurves } from '../marks/lines';

const floorText = (floor: number | undefined) =>
  floor === undefined ? '' : `dashed line: the noise floor, ${floor.toPrecision(2)}`;

const joined = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('; ') || undefined;

/**
 * Each seed's final validation MSE as a dot, a tick at each variant's median, on a log axis;
 * with `floor`, the noise floor drawn and named.
 */
export function seedSpreadFigure(
  rows: readonly CompareRow[],
  opts: { title: string; subtitle?: string; floor?: number },
): Figure {
  const finals = seedFinals(rows).map((f) => ({
    variant: f.variant,
    seed: f.seed,
    valid: f.final,
  }));
  if (!finals.length) throw new Error('seedSpreadFigure: no runs to draw');
  const subtitle = joined(
    opts.subtitle,
    "dot: one seed's final validation MSE; tick: the median over seeds",
    floorText(opts.floor),
  );
  return figure(recordsFrame(finals, ['variant', 'seed', 'valid']), (rs) =>
    seedDots(rs, { ...opts, subtitle }),
  );
}

/** Validation loss per epoch, one thin line per seed, coloured by variant, with the floor. */
export function seedCurvesFigure(
  rows: readonly CompareRow[],
  opts: { title: string; subtitle?: string; floor?: number },
): Figure {
  if (!rows.length) throw new Error('seedCurvesFigure: no runs to draw');
  const long = rows.map((r) => ({
    variant: r.variant,
    seed: r.seed,
    epoch: r.epoch,
    valid: r.valid,
  }));
  return figure(recordsFrame(long, ['variant', 'seed', 'epoch', 'valid']), (rs) =>
    epochCurves(rs, {
      title: opts.title,
      subtitle: joined(opts.subtitle, 'one line per seed', floorText(opts.floor)),
      color: 'variant',
      detail: 'seed',
      y: 'valid',
      floor: opts.floor,
    }),
  );
}

/**
 * One row per variant: its seeds' final losses, their median, min and max, and the median as a
 * multiple of the noise floor; the last row is the floor itself.
 */
export function seedTable(rows: readonly CompareRow[], opts: { floor: number }): Frame {
  const table: Record<string, string | number>[] = summarizeSeeds(rows).map((s) => ({
    variant: s.variant,
    seeds: s.seeds,
    'each seed': s.finals.map((f) => f.toPrecision(3)).join(', '),
    median: s.median,
    min: s.min,
    max: s.max,
    'median ÷ floor': Number((s.median / opts.floor).toPrecision(3)),
  }));
  table.push({
    variant: 'noise floor',
    seeds: '',
    'each seed': '',
    median: opts.floor,
    min: '',
    max: '',
    'median ÷ floor': 1,
  });
  return recordsFrame(table, [
    'variant',
    'seeds',
    'each seed',
    'median',
    'min',
    'max',
    'median ÷ floor',
  ]);
}
