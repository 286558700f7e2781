// Vega-lite specs for every figure: pure functions from long-format rows (see frames.ts) to a
// spec, so they are tested on the spec itself and drawn the same in JupyterLab, in the static
// SVG and in data/figures/. Numbers are rounded to 4 significant digits to keep outputs small.
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from './frames';

export type Spec = TopLevelSpec;

/** Rounds every number to `digits` significant digits (integers are kept as they are). */
export function roundRows(rows: readonly Row[], digits = 4): Row[] {
  const r = (v: string | number) =>
    typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v)
      ? Number(v.toPrecision(digits))
      : v;
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, r(v)])));
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const WIDTH = 560;

interface Titles {
  title: string;
  subtitle?: string;
}

function header({ title, subtitle }: Titles) {
  return { $schema: SCHEMA, title: subtitle ? { text: title, subtitle } : title };
}

/** Lines of (t, series, value): one training sample's input and target, for instance. */
export function sequenceChart(rows: readonly Row[], opts: Titles & { yTitle?: string }): Spec {
  return {
    ...header(opts),
    width: WIDTH,
    height: 220,
    data: { values: roundRows(rows) },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: {
        field: 't',
        type: 'quantitative',
        title: 'position t in the sequence',
        scale: { domain: [0, 99] },
      },
      y: { field: 'value', type: 'quantitative', title: opts.yTitle ?? 'value' },
      color: { field: 'series', type: 'nominal', title: null, sort: null },
    },
  };
}

/**
 * Loss curves from (step, series, value[, model]): the training loss per batch as a thin
 * line, the validation loss per epoch as points on a line, on a log scale.
 */
export function lossChart(rows: readonly Row[], opts: Titles & { facetByModel?: boolean }): Spec {
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: 'MSE (normalised units, log scale)',
    scale: { type: 'log' as const },
  };
  const x = {
    field: 'step',
    type: 'quantitative' as const,
    title: 'optimiser step (batches seen)',
  };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: 'loss',
    scale: { domain: ['train', 'valid'], range: ['#4c78a8', '#f58518'] },
  };
  const layers = {
    layer: [
      {
        transform: [{ filter: "datum.series === 'train'" }],
        mark: { type: 'line' as const, strokeWidth: 1, opacity: 0.6 },
        encoding: { x, y, color },
      },
      {
        transform: [{ filter: "datum.series === 'valid'" }],
        mark: { type: 'line' as const, point: true, strokeWidth: 2 },
        encoding: { x, y, color },
      },
    ],
  };
  if (opts.facetByModel) {
    return {
      ...header(opts),
      data: { values: roundRows(rows) },
      facet: { field: 'model', type: 'nominal', title: null },
      columns: 3,
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

/** A grid of panels, one per test sample, with the input, target and each model's prediction. */
export function predictionGrid(rows: readonly Row[], opts: Titles & { columns?: number }): Spec {
  return {
    ...header(opts),
    data: { values: roundRows(rows) },
    // Panels in the order the samples first appear in the rows (the walk-through's order).
    facet: {
      field: 'sample',
      type: 'ordinal',
      title: null,
      header: { labelExpr: "'test sample ' + datum.value", labelFontSize: 12 },
      sort: [...new Set(rows.map((r) => r.sample))],
    },
    columns: opts.columns ?? 2,
    spec: {
      width: 300,
      height: 170,
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'position t', scale: { domain: [0, 99] } },
        y: { field: 'value', type: 'quantitative', title: 'normalised value' },
        color: { field: 'series', type: 'nominal', title: null, sort: null },
        strokeDash: {
          condition: { test: "datum.series === 'input'", value: [3, 2] },
          value: [1, 0],
        },
        strokeWidth: { condition: { test: "datum.series === 'target'", value: 2.5 }, value: 1.5 },
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
 * The attention heatmap from (input, output, attention): input position on x, output position
 * on y (descending, so the diagonal runs bottom-left to top-right), viridis colours, 500×500.
 */
export function attentionHeatmap(
  rows: readonly Row[],
  opts: Titles & { size?: number; column?: string },
): Spec {
  const size = opts.size ?? 500;
  const spec = {
    width: size,
    height: size,
    mark: { type: 'rect' },
    encoding: {
      x: {
        field: 'input',
        type: 'ordinal',
        title: 'input position',
        axis: { values: [0, 20, 40, 60, 80, 99], labelAngle: 0 },
      },
      y: {
        field: 'output',
        type: 'ordinal',
        title: 'output position',
        sort: 'descending',
        axis: { values: [0, 20, 40, 60, 80, 99] },
      },
      color: {
        field: 'attention',
        type: 'quantitative',
        title: 'attention',
        scale: { scheme: 'viridis' },
      },
      tooltip: [{ field: 'input' }, { field: 'output' }, { field: 'attention', format: '.3f' }],
    },
  };
  if (opts.column) {
    return {
      ...header(opts),
      data: { values: roundRows(rows, 3) },
      facet: { field: opts.column, type: 'nominal', title: null },
      spec,
      resolve: { scale: { color: 'independent' } },
    } as Spec;
  }
  return { ...header(opts), data: { values: roundRows(rows, 3) }, ...spec } as Spec;
}

/** Final losses per model from rows (model, split, value): grouped bars on a log scale. */
export function comparisonChart(rows: readonly Row[], opts: Titles): Spec {
  return {
    ...header(opts),
    width: 420,
    height: 260,
    data: { values: roundRows(rows) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'model', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'split', type: 'nominal', sort: ['train', 'valid', 'test'] },
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'final MSE (normalised, log scale)',
        scale: { type: 'log' },
      },
      color: { field: 'split', type: 'nominal', title: 'split', sort: ['train', 'valid', 'test'] },
    },
  } as Spec;
}

/** Sweep: validation loss over kernel size × key channels (rows: kernelSize, keyChannels, value). */
export function sweepHeatmap(rows: readonly Row[], opts: Titles): Spec {
  const x = { field: 'keyChannels', type: 'ordinal' as const, title: 'key channels' };
  const y = {
    field: 'kernelSize',
    type: 'ordinal' as const,
    title: 'kernel size',
    sort: 'descending' as const,
  };
  return {
    ...header(opts),
    width: 360,
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
            scale: { type: 'log', scheme: 'viridis', reverse: true },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format: '.2g' },
          color: { value: 'white' },
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

/** Sweep: validation loss per epoch for a few points (rows: epoch, label, value). */
export function learningCurves(rows: readonly Row[], opts: Titles): Spec {
  return {
    ...header(opts),
    width: 460,
    height: 260,
    data: { values: roundRows(rows) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'valid MSE (log scale)',
        scale: { type: 'log' },
      },
      color: { field: 'label', type: 'nominal', title: 'grid point' },
    },
  } as Spec;
}

/** The blog LSTM's batch axis: (model, position, change) as lines over the position in the batch. */
export function batchLeakChart(rows: readonly Row[], opts: Titles): Spec {
  return {
    ...header(opts),
    width: WIDTH,
    height: 240,
    data: { values: roundRows(rows, 3) },
    mark: { type: 'line', point: { size: 12 } },
    encoding: {
      x: {
        field: 'position',
        type: 'quantitative',
        title: 'position of the sample in its batch of 128',
      },
      y: {
        field: 'change',
        type: 'quantitative',
        title: 'largest change of its prediction (symlog)',
        scale: { type: 'symlog', constant: 0.001 },
      },
      color: { field: 'model', type: 'nominal', title: 'model' },
    },
  };
}
