// Dot plots: final losses on a log axis (the scoreboard, with or without its parameter and speed
// panels), one dot per seed with the median marked (and the noise floor), and loss against parameter count. Dots, not
// bars: a log axis has no zero for a bar to start from. Pure functions of rows.
import type { Row } from '../frames';
import { Any, Spec, Titles, firstSeen, header, roundRows } from '../spec-parts';

/** The three splits' colours and symbols, the same in every dot plot. */
const SPLITS = ['train', 'valid', 'test'];
const SPLIT_COLORS = ['#4c78a8', '#f58518', '#54a24b'];
const SPLIT_SHAPES = ['circle', 'diamond', 'square'];

const LOSS_AXIS = {
  field: 'value',
  type: 'quantitative',
  title: 'final MSE (normalised, log scale)',
  scale: { type: 'log' },
};

/**
 * The log-axis dot plot of final losses: rows (model, split, value[, group]), one row of dots
 * per model in `order`. Colour shows the split; the symbol shows the split too, or with `grouped`
 * the question a model answers (its `group`).
 */
function lossDots(losses: readonly Row[], order: readonly string[], grouped: boolean) {
  const splits = SPLITS.filter((s) => losses.some((r) => r.split === s));
  const pick = <T>(values: T[]) => values.filter((_, i) => splits.includes(SPLITS[i]));
  return {
    data: { values: roundRows(losses) },
    mark: { type: 'point', filled: true, size: 80, opacity: 0.85 },
    encoding: {
      y: { field: 'model', type: 'nominal', title: null, sort: [...order] } as Any,
      x: LOSS_AXIS,
      color: {
        field: 'split',
        type: 'nominal',
        title: 'split',
        scale: { domain: splits, range: pick(SPLIT_COLORS) },
      },
      shape: grouped
        ? {
            field: 'group',
            type: 'nominal',
            title: 'question',
            legend: { labelLimit: 320, orient: 'bottom', columns: 1 },
          }
        : { field: 'split', type: 'nominal', scale: { domain: splits, range: pick(SPLIT_SHAPES) } },
      tooltip: [{ field: 'model' }, { field: 'split' }, { field: 'value', format: '.4g' }],
    },
  };
}

/**
 * The scoreboard: final losses as dots on a log axis, one row per model in `order`. With
 * `models` rows (model, params, valid), a second panel shares the model axis: the parameter
 * count; and the valid loss is written beside its dot. No speeds: a training run's wall clock
 * depends on what shared the machine (speeds come from `bench`). Without them, the models are grouped by the question they
 * answer (`group` in the loss rows), one symbol per group.
 */
export function scoreboardChart(
  parts: { losses: readonly Row[]; models?: readonly Row[] },
  opts: Titles & { order?: readonly string[] },
): Spec {
  const order = (opts.order ?? firstSeen(parts.losses, 'model')).map(String);
  if (!parts.models) {
    const dots = lossDots(parts.losses, order, true);
    dots.encoding.y.axis = { labelLimit: 260 };
    return { ...header(opts), width: 420, height: { step: 16 }, ...dots } as Spec;
  }
  const height = Math.max(90, 34 * order.length);
  const dots = lossDots(parts.losses, order, false);
  const y = dots.encoding.y;
  const models = { values: roundRows(parts.models) };
  /** A grey dot per model on `x`, labelled with `text`: the parameter panel. */
  const labelledDots = (text: Any, x: Any) => ({
    width: 170,
    height,
    data: models,
    layer: [
      { mark: { type: 'point', filled: true, size: 70, color: '#555555' } },
      { mark: { type: 'text', align: 'left', dx: 7, fontSize: 11 }, encoding: { text } },
    ],
    encoding: { y: { ...y, axis: null }, x },
  });
  return {
    ...header(opts),
    hconcat: [
      {
        width: 330,
        height,
        layer: [
          dots,
          {
            data: models,
            mark: { type: 'text', align: 'left', dx: 9, dy: -9, fontSize: 11 },
            encoding: {
              y,
              x: { field: 'valid', type: 'quantitative' },
              text: { field: 'valid', type: 'quantitative', format: '.2g' },
            },
          },
        ],
      },
      labelledDots(
        { field: 'params', type: 'quantitative', format: ',' },
        {
          field: 'params',
          type: 'quantitative',
          title: 'parameters',
          scale: { zero: true },
          axis: { format: '~s', tickCount: 4 },
        },
      ),
    ],
    spacing: 70,
    resolve: { scale: { y: 'shared' } },
  } as Spec;
}

/**
 * The same variant from several seeds: rows (variant, seed, valid), a dot per seed on a log axis
 * and a tick at each variant's median; with `floor`, the noise floor as a dashed rule.
 */
export function seedDots(rows: readonly Row[], opts: Titles & { floor?: number }): Spec {
  const x = { field: 'valid', type: 'quantitative', scale: { type: 'log' } };
  const floorRule =
    opts.floor === undefined
      ? []
      : [
          {
            data: { values: [{ floor: opts.floor }] },
            mark: { type: 'rule', strokeDash: [4, 3], color: 'gray' },
            encoding: {
              x: { field: 'floor', type: 'quantitative' },
              y: { value: 0 },
              y2: { value: 'height' },
              tooltip: [{ field: 'floor', title: 'noise floor', format: '.2g' }],
            },
          },
        ];
  return {
    ...header(opts),
    data: { values: roundRows(rows) },
    width: 420,
    height: { step: 28 },
    encoding: {
      y: { field: 'variant', type: 'nominal', sort: firstSeen(rows, 'variant'), title: null },
    },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 50, opacity: 0.8 },
        encoding: {
          x: { ...x, title: 'final validation MSE (log scale)' },
          tooltip: [{ field: 'variant' }, { field: 'seed' }, { field: 'valid', format: '.4g' }],
        },
      },
      {
        mark: { type: 'tick', color: 'black', thickness: 2, size: 18 },
        encoding: { x: { aggregate: 'median', field: 'valid', type: 'quantitative' } },
      },
      ...floorRule,
    ],
  } as Spec;
}

/** Sweep: validation loss against parameter count for every point (rows: model, params, value, label). */
export function lossVsParams(rows: readonly Row[], opts: Titles): Spec {
  return {
    ...header(opts),
    width: 460,
    height: 280,
    data: { values: roundRows(rows) },
    mark: { type: 'point', filled: true, size: 70, tooltip: true },
    encoding: {
      x: {
        field: 'params',
        type: 'quantitative',
        title: 'parameters (log scale)',
        scale: { type: 'log' },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'valid MSE (log scale)',
        scale: { type: 'log' },
      },
      color: { field: 'model', type: 'nominal', title: 'model' },
      shape: { field: 'model', type: 'nominal' },
      tooltip: [{ field: 'label' }, { field: 'params' }, { field: 'value', title: 'valid MSE' }],
    },
  } as Spec;
}
