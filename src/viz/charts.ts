// Vega-lite specs for every figure: pure functions from long-format rows (see frames.ts) to a
// spec, so they are tested on the spec itself and drawn the same in JupyterLab, in the static
// PNG and in data/figures/. Numbers are rounded to 4 significant digits to keep outputs small.
// Interaction needs no kernel: selections bound to a legend or a slider filter the embedded rows
// in the browser, and the static picture shows the default selection.
// This file holds the line charts; the others live beside it and are re-exported here, so
// `import * as charts from './charts'` reaches every spec.
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
  seriesEncoding,
  spanLayers,
} from './spec-parts';

export * from './spec-parts';
export * from './attention-charts';
export * from './scoreboard-charts';
export * from './sweep-charts';

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
    scale: { domain: [-0.5, 99.5], nice: false, zero: false },
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
  opts: Titles & { facetByModel?: boolean; order?: readonly string[]; columns?: number },
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
    ],
  };
  if (opts.facetByModel) {
    return {
      ...header(opts),
      data: { values: roundRows(rows) },
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
  return {
    ...header(opts),
    width: WIDTH,
    height: 260,
    data: { values: roundRows(rows) },
    ...layers,
  } as Spec;
}

/**
 * A grid of panels, one per test sample, with the input, the target and each model's
 * prediction in the palette; click a legend entry to show one series alone.
 */
export function predictionGrid(rows: readonly Row[], opts: Titles & { columns?: number }): Spec {
  const names = firstSeen(rows, 'series').map(String);
  return {
    ...header(opts),
    data: { values: roundRows(rows) },
    // Panels in the order the samples first appear in the rows (the walk-through's order).
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
        x: {
          field: 't',
          type: 'quantitative',
          title: 'position t',
          scale: { domain: [-0.5, 99.5], nice: false, zero: false },
        },
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
