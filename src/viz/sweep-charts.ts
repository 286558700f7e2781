// The sweep's and the batch probe's vega-lite specs: loss over kernel size × key channels, loss
// against model size, learning curves, and what the blog LSTM's batch axis does.
import type { Row } from './frames';
import {
  Spec,
  Titles,
  WIDTH,
  fadeUnless,
  firstSeen,
  header,
  legendToggle,
  roundRows,
} from './spec-parts';

/**
 * Sweep: validation loss over kernel size × key channels (rows: kernelSize, keyChannels, value),
 * viridis on a log scale with the best (lowest) point darkest, as the caption says; each value
 * is written in its cell, white on the dark half of the scale and black on the light half.
 */
export function sweepHeatmap(rows: readonly Row[], opts: Titles): Spec {
  const values = rows.map((r) => Number(r.value));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  // The value where viridis turns light enough that black text reads better than white
  // (about 45% of the way up the log scale).
  const split = Math.exp(Math.log(lo) + 0.45 * (Math.log(hi) - Math.log(lo)));
  const x = {
    field: 'keyChannels',
    type: 'ordinal' as const,
    title: 'key channels',
    axis: { labelAngle: 0 },
  };
  const y = {
    field: 'kernelSize',
    type: 'ordinal' as const,
    title: 'kernel size',
    sort: 'descending' as const,
  };
  return {
    ...header(opts),
    width: 380,
    height: 220,
    data: { values: roundRows(rows) },
    encoding: { x, y },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            title: 'valid MSE',
            scale: { type: 'log', scheme: 'viridis', domain: [lo, hi] },
            legend: { format: '.3f' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format: '.3f' },
          color: {
            condition: { test: `datum.value < ${Number(split.toPrecision(4))}`, value: 'white' },
            value: 'black',
          },
        },
      },
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

/** Sweep: validation loss per epoch for a few points (rows: epoch, label, value); click the legend to pick one. */
export function learningCurves(rows: readonly Row[], opts: Titles): Spec {
  return {
    ...header(opts),
    width: 460,
    height: 260,
    data: { values: roundRows(rows) },
    params: [legendToggle('point_shown', 'label')],
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        title: 'epoch',
        axis: { values: [...new Set(rows.map((r) => r.epoch))], format: 'd' },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'valid MSE (log scale)',
        scale: { type: 'log' },
      },
      color: {
        field: 'label',
        type: 'nominal',
        title: 'grid point',
        sort: firstSeen(rows, 'label'),
      },
      opacity: fadeUnless('point_shown'),
    },
  } as Spec;
}

/**
 * The blog LSTM's batch axis: (model, position, change) as one panel per model, so no model's
 * bars hide another's, on a symlog axis with ticks at every power of ten from 0.001 up.
 */
export function batchLeakChart(
  rows: readonly Row[],
  opts: Titles & { order?: readonly string[] },
): Spec {
  const max = Math.max(...rows.map((r) => Number(r.change)), 1);
  const ticks = [0, 0.001, 0.01, 0.1, 1, ...(max > 3 ? [Math.ceil(max)] : [])];
  return {
    ...header(opts),
    data: { values: roundRows(rows, 3) },
    facet: {
      row: {
        field: 'model',
        type: 'nominal',
        title: null,
        sort: opts.order ? [...opts.order] : firstSeen(rows, 'model'),
        header: {
          labelOrient: 'top',
          labelAnchor: 'start',
          labelFontSize: 12,
          labelFontWeight: 'bold',
        },
      },
    },
    spec: {
      width: WIDTH - 60,
      height: 110,
      mark: { type: 'bar', width: 3, color: '#4c78a8' },
      encoding: {
        x: {
          field: 'position',
          type: 'quantitative',
          title: 'position of the sample in its batch of 128',
          scale: { domain: [-1, 128], nice: false },
        },
        y: {
          field: 'change',
          type: 'quantitative',
          title: 'change (symlog)',
          scale: { type: 'symlog', constant: 0.001, domain: [0, ticks[ticks.length - 1]] },
          axis: { values: ticks, format: '~g' },
        },
        tooltip: [{ field: 'model' }, { field: 'position' }, { field: 'change', format: '.2g' }],
      },
    },
  } as Spec;
}
