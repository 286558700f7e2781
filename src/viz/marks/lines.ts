// Line charts: a sample's sequences, loss curves, predictions per test sample, the overfit check,
// validation loss per epoch, and the pooled model's weights under its input. Pure functions from
// long-format rows (see frames.ts) to a vega-lite spec; numbers are rounded to 4 significant
// digits. Selections bound to a legend filter the embedded rows in the browser, no kernel needed.
import type { Row } from '../frames';
import {
  Spec,
  Titles,
  WIDTH,
  fadeUnless,
  firstSeen,
  header,
  legendToggle,
  roundRows,
  seriesEncoding,
  spanLayers,
} from '../spec-parts';

/** The position axis of a 100-step sequence, one step per unit, no padding. */
const POSITION_SCALE = { domain: [-0.5, 99.5], nice: false, zero: false };

/**
 * Lines of (t, series, value): one training sample's input and target, for instance, in the
 * palette (target near-black and thick, input grey and dashed). With `spans`, each shape's
 * steps are shaded and labelled (T1, T2 triangles; B1, B2 boxes).
 */
export function sequenceChart(
  rows: readonly Row[],
  opts: Titles & { yTitle?: string; spans?: readonly Row[] },
): Spec {
  const names = firstSeen(rows, 'series').map(String);
  const x = {
    field: 't',
    type: 'quantitative',
    title: 'position t in the sequence',
    scale: POSITION_SCALE,
  };
  const lines = {
    data: { values: roundRows(rows) },
    mark: { type: 'line', interpolate: 'step' },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', title: opts.yTitle ?? 'value' },
      ...seriesEncoding(names),
    },
  };
  return {
    ...header(opts),
    width: WIDTH,
    height: 220,
    layer: [...(opts.spans?.length ? spanLayers(opts.spans, 'x') : []), lines],
    resolve: { scale: { color: 'independent' } },
  } as Spec;
}

/**
 * Loss curves from (step, series, value[, model]): the training loss per batch (or per window
 * of batches) as a thin line, the validation loss per epoch as points on a line, on a log
 * scale. Click a legend entry to show that loss alone. `order` fixes the facets' order.
 */
export function lossChart(
  rows: readonly Row[],
  opts: Titles & {
    facetByModel?: boolean;
    order?: readonly string[];
    columns?: number;
    /** The noise floor, drawn as a dashed rule (see `floorRule`). */
    floor?: number;
  },
): Spec {
  const y = {
    field: 'value',
    type: 'quantitative',
    title: 'MSE (normalised units, log scale)',
    scale: { type: 'log' },
  };
  const x = { field: 'step', type: 'quantitative', title: 'optimiser step (batches seen)' };
  const color = {
    field: 'series',
    type: 'nominal',
    title: 'loss (click one)',
    scale: { domain: ['train', 'valid'], range: ['#4c78a8', '#f58518'] },
  };
  const opacity = fadeUnless('loss_shown');
  const layers = {
    layer: [
      {
        params: [legendToggle('loss_shown', 'series')],
        transform: [{ filter: "datum.series === 'train'" }],
        mark: { type: 'line', strokeWidth: 1, opacity: 0.7 },
        encoding: { x, y, color, opacity },
      },
      {
        transform: [{ filter: "datum.series === 'valid'" }],
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: { x, y, color, opacity },
      },
      ...floorRule(opts.floor),
    ],
  };
  const values = { values: roundRows(rows) };
  if (opts.facetByModel) {
    return {
      ...header(opts),
      data: values,
      facet: {
        field: 'model',
        type: 'nominal',
        title: null,
        sort: opts.order ? [...opts.order] : firstSeen(rows, 'model'),
      },
      columns: opts.columns ?? 3,
      spec: { width: 300, height: 200, ...layers },
      resolve: { scale: { x: 'independent' } },
    } as Spec;
  }
  return { ...header(opts), width: WIDTH, height: 260, data: values, ...layers } as Spec;
}

/**
 * A grid of panels from (sample, t, series, value), one per test sample in the order the samples
 * first appear, with the input, the target and each model's prediction in the palette; click a
 * legend entry to show one series alone.
 */
export function predictionGrid(rows: readonly Row[], opts: Titles & { columns?: number }): Spec {
  const names = firstSeen(rows, 'series').map(String);
  return {
    ...header(opts),
    data: { values: roundRows(rows) },
    facet: {
      field: 'sample',
      type: 'ordinal',
      title: null,
      header: { labelExpr: "'test sample ' + datum.value", labelFontSize: 12 },
      sort: firstSeen(rows, 'sample'),
    },
    columns: opts.columns ?? 2,
    spec: {
      width: 300,
      height: 170,
      params: [legendToggle('series_shown', 'series')],
      mark: { type: 'line', interpolate: 'step' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'position t', scale: POSITION_SCALE },
        y: { field: 'value', type: 'quantitative', title: 'normalised value' },
        ...seriesEncoding(names, { legendTitle: 'click to show one' }),
        opacity: fadeUnless('series_shown'),
      },
    },
  } as Spec;
}

/** The single-batch overfit check: (step, value) on a log scale, labelled with the values. */
export function overfitChart(rows: readonly Row[], opts: Titles): Spec {
  const encoding = {
    x: { field: 'step', type: 'quantitative' as const, title: 'step' },
    y: {
      field: 'value',
      type: 'quantitative' as const,
      title: 'MSE on the 20 items (log scale)',
      scale: { type: 'log' as const },
    },
  };
  return {
    ...header(opts),
    width: WIDTH,
    height: 240,
    data: { values: roundRows(rows) },
    encoding,
    layer: [
      { mark: { type: 'line', point: true } },
      {
        mark: { type: 'text', dy: -10, align: 'left', dx: 4 },
        encoding: { text: { field: 'value', type: 'quantitative', format: '.2g' } },
      },
    ],
  } as Spec;
}

/**
 * Validation loss per epoch, one line per `color` value on a log axis, in the order they first
 * appear. `toggle`: click the legend to show one line alone (the sweep's learning curves, rows
 * (epoch, label, value)); without it, a tooltip per point (notebook 8's runs, rows (variant,
 * epoch, valid)).
 */
export function epochCurves(
  rows: readonly Row[],
  opts: Titles & { color: string; y: string; toggle?: boolean; floor?: number; detail?: string },
): Spec {
  const y = { field: opts.y, type: 'quantitative', scale: { type: 'log' } };
  const order = firstSeen(rows, opts.color);
  const common = { ...header(opts), width: 460, height: 260, data: { values: roundRows(rows) } };
  if (opts.toggle) {
    return {
      ...common,
      params: [legendToggle('point_shown', opts.color)],
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'epoch',
          type: 'quantitative',
          title: 'epoch',
          axis: { values: [...new Set(rows.map((r) => r.epoch))], format: 'd' },
        },
        y: { ...y, title: 'valid MSE (log scale)' },
        color: { field: opts.color, type: 'nominal', title: 'grid point', sort: order },
        opacity: fadeUnless('point_shown'),
      },
    } as Spec;
  }
  const curves = {
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { zero: false } },
      y: { ...y, title: 'validation MSE (log scale)' },
      color: { field: opts.color, type: 'nominal', sort: order, title: null },
      ...(opts.detail ? { detail: { field: opts.detail, type: 'nominal' } } : {}),
      tooltip: [
        { field: opts.color },
        ...(opts.detail ? [{ field: opts.detail }] : []),
        { field: 'epoch' },
        { field: opts.y, format: '.4g' },
      ],
    },
  };
  if (opts.floor === undefined) return { ...common, ...curves } as Spec;
  return { ...common, layer: [curves, ...floorRule(opts.floor)] } as Spec;
}

/**
 * The noise floor as a dashed horizontal rule on a chart's y axis: the error a perfect model
 * keeps (data/dataset.ts's `noiseFloor`). None when `floor` is undefined.
 */
export function floorRule(floor: number | undefined): Spec[] {
  if (floor === undefined) return [];
  return [
    {
      mark: { type: 'rule', strokeDash: [4, 3], color: 'gray' },
      encoding: { y: { datum: floor, type: 'quantitative' } },
    } as Spec,
  ];
}

/**
 * Two rows of step lines under each other, one column per test sample, from (sample, t, series,
 * value) with series 'input' and 'β': the pooled model's weights under the input they pool.
 * Each row has its own y scale.
 */
export function poolingLines(rows: readonly Row[], opts: Titles): Spec {
  return {
    ...header(opts),
    data: { values: roundRows(rows, 3) },
    facet: {
      row: { field: 'series', type: 'nominal', title: null, sort: ['input', 'β'] },
      column: {
        field: 'sample',
        type: 'ordinal',
        title: null,
        header: { labelExpr: "'test sample ' + datum.value" },
        sort: firstSeen(rows, 'sample'),
      },
    },
    spec: {
      width: 200,
      height: 110,
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'position t', scale: { domain: [0, 99] } },
        y: { field: 'value', type: 'quantitative', title: null },
        color: {
          field: 'series',
          type: 'nominal',
          scale: { domain: ['input', 'β'], range: ['#555', '#d62728'] },
          legend: null,
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as Spec;
}
