// Vega-lite specs for every figure: pure functions from long-format rows (see frames.ts) to a
// spec, so they are tested on the spec itself and drawn the same in JupyterLab, in the static
// PNG and in data/figures/. Numbers are rounded to 4 significant digits to keep outputs small.
// Interaction needs no kernel: selections bound to a legend or a slider filter the embedded rows
// in the browser, and the static picture shows the default selection.
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from './frames';
import { KIND_FILL, KIND_INK, seriesStyle } from './palette';

export type Spec = TopLevelSpec;
type Any = Record<string, unknown>;

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
  subtitle?: string | string[];
}

function header({ title, subtitle }: Titles) {
  return { $schema: SCHEMA, title: subtitle ? { text: title, subtitle } : title };
}

/** The distinct values of `field` in the order they first appear. */
function firstSeen(rows: readonly Row[], field: string): (string | number)[] {
  return [...new Set(rows.map((r) => r[field]))];
}

/**
 * Colour, dash and width encodings of a `series` field in the project's palette. Dash and width
 * are conditions on the series name (a scale over a nominal field would make vega-lite warn
 * and draw a legend of its own).
 */
function seriesEncoding(names: readonly string[], opts: { legendTitle?: string | null } = {}) {
  const s = seriesStyle(names);
  const when = <T>(values: T[], plain: T) => {
    const condition = s.domain
      .map((n, i) => ({ test: `datum.series === ${JSON.stringify(n)}`, value: values[i] }))
      .filter((c) => JSON.stringify(c.value) !== JSON.stringify(plain));
    return condition.length ? { condition, value: plain } : { value: plain };
  };
  return {
    color: {
      field: 'series',
      type: 'nominal',
      title: opts.legendTitle ?? null,
      scale: { domain: s.domain, range: s.color },
      legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5 },
    },
    strokeDash: when(s.dash, [1, 0]),
    strokeWidth: when(s.width, 1.7),
  };
}

/** A point selection on `field` bound to the legend: click a legend entry to show it alone. */
function legendToggle(name: string, field: string) {
  return { name, select: { type: 'point', fields: [field] }, bind: 'legend' };
}
const fadeUnless = (param: string) => ({
  condition: { param, value: 1, empty: true },
  value: 0.12,
});

// ---- sequences ---------------------------------------------------------------------------

/** One shape's span on the position axis: the steps it covers, labelled T1, T2, B1, B2. */
export interface SpanRow extends Row {
  label: string;
  kind: string;
  start: number;
  end: number;
}

/** Pale bands over each shape's span, with its label at the top (for a chart with x = position). */
function spanLayers(spans: readonly Row[], axis: 'x' | 'y') {
  const other = axis === 'x' ? 'y' : 'x';
  const band = {
    data: { values: roundRows(spans) },
    transform: [
      { calculate: 'datum.start - 0.5', as: 'lo' },
      { calculate: 'datum.end + 0.5', as: 'hi' },
      { calculate: '(datum.start + datum.end) / 2', as: 'mid' },
    ],
  };
  const kindColor = (palette: Readonly<Record<string, string>>) => ({
    field: 'kind',
    type: 'nominal',
    scale: { domain: Object.keys(palette), range: Object.values(palette) },
    legend: null,
  });
  return [
    {
      ...band,
      mark: { type: 'rect', opacity: 0.55 },
      encoding: {
        [axis]: { field: 'lo', type: 'quantitative' },
        [`${axis}2`]: { field: 'hi' },
        fill: kindColor(KIND_FILL),
      },
    },
    {
      ...band,
      mark:
        axis === 'x'
          ? { type: 'text', baseline: 'top', dy: 3, fontWeight: 'bold', fontSize: 11 }
          : { type: 'text', align: 'left', baseline: 'middle', fontWeight: 'bold', fontSize: 11 },
      encoding: {
        [axis]: { field: 'mid', type: 'quantitative' },
        [other]: { value: axis === 'x' ? 0 : 4 },
        text: { field: 'label' },
        color: kindColor(KIND_INK),
      },
    },
  ];
}

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

// ---- attention maps ----------------------------------------------------------------------

/** How attention values map to colour: the blog's linear viridis, or sqrt to lift the low end. */
export interface AttentionScale {
  type: 'linear' | 'sqrt';
  /** Top of the domain; values above it are drawn at the top colour (the caption says so). */
  max?: number;
}

function attentionColor(scale: AttentionScale = { type: 'linear' }) {
  const domain = scale.max !== undefined ? { domain: [0, scale.max], clamp: true } : {};
  return {
    field: 'attention',
    type: 'quantitative',
    title: scale.type === 'sqrt' ? ['attention', '(sqrt scale)'] : 'attention',
    scale: { type: scale.type, scheme: 'viridis', zero: true, ...domain },
  };
}

/**
 * The attention heatmap from (input, output, attention): input position on x, output position
 * on y (descending, so the diagonal runs bottom-left to top-right), viridis colours, 500×500:
 * the walk-through's own view. With `column`, one map per value of that field, in `order`,
 * all on one shared colour scale so equal colours mean equal weights; `labels` names panels
 * whose column holds 0…n−1.
 */
export function attentionHeatmap(
  rows: readonly Row[],
  opts: Titles & {
    size?: number;
    column?: string;
    order?: readonly (string | number)[];
    /** Panel titles when the column holds panel numbers 0…n−1 (short rows, readable headers). */
    labels?: readonly string[];
    scale?: AttentionScale;
  },
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
      color: attentionColor(opts.scale),
      tooltip: [{ field: 'input' }, { field: 'output' }, { field: 'attention', format: '.3f' }],
    },
  };
  if (opts.column) {
    return {
      ...header(opts),
      data: { values: roundRows(rows, 3) },
      facet: {
        field: opts.column,
        type: 'nominal',
        title: null,
        sort: opts.order ? [...opts.order] : firstSeen(rows, opts.column),
        header: {
          labelFontSize: 13,
          ...(opts.labels ? { labelExpr: `${JSON.stringify(opts.labels)}[datum.value]` } : {}),
        },
      },
      spec,
      resolve: { scale: { color: 'shared' } },
    } as Spec;
  }
  return { ...header(opts), data: { values: roundRows(rows, 3) }, ...spec } as Spec;
}

/** The symbols that carry a quantised attention value in the explorer's compact rows. */
export const ATTENTION_CODES = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

const POSITION = { domain: [-0.5, 99.5], nice: false, zero: false };
const TICKS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99];

/**
 * Transforms that turn coded rows (output, codes: 100 symbols of ATTENTION_CODES) into long
 * rows (input, output, attention): symbol k stands for (k / 61)², the inverse of `codeRow`
 * in coded-matrix.ts.
 */
function decodeCells() {
  const last = ATTENTION_CODES.length - 1;
  return [
    { calculate: "split(datum.codes, '')", as: 'symbols' },
    { flatten: ['symbols'], as: ['symbol'] },
    { window: [{ op: 'row_number', as: 'k' }], groupby: ['output'] },
    { calculate: 'datum.k - 1', as: 'input' },
    { calculate: `pow(indexof('${ATTENTION_CODES}', datum.symbol) / ${last}, 2)`, as: 'attention' },
  ];
}

/**
 * The attention map read as pairings, for one or several test samples. Above the map: the
 * sample's input, target and prediction on the same position axis as the map's columns; beside
 * it: the input again along the map's rows; on both, each shape's span shaded and labelled (T1,
 * T2 triangles; B1, B2 boxes); on the map, white outlines around the blocks where a shape's
 * outputs read its own (solid) or its partner's (dashed) inputs. Colour: viridis on a sqrt
 * scale from 0 to 1, so weights far below the brightest cells still show.
 *
 * Every row carries `index` (0…n−1). `coded`: (index, output, codes) from coded-matrix.ts;
 * `lines`: (index, t, …one column per series), folded into (series, value) in the browser;
 * `spans`: (index, label, kind, start, end); `blocks`: (index, relation, x0, x1, y0, y1);
 * `samples`: (index, sample). With more than one sample a slider picks the index in the browser,
 * with no kernel; the static picture shows `initial`.
 */
export function attentionPairing(
  parts: {
    coded: readonly Row[];
    lines: readonly Row[];
    series: readonly string[];
    spans: readonly Row[];
    blocks: readonly Row[];
    samples: readonly Row[];
  },
  opts: Titles & { size?: number; initial?: number },
): Spec {
  const size = opts.size ?? 500; // 5 px per position: cells meet on whole pixels
  const side = 90;
  const where = [{ filter: 'datum.index === pick' }];
  const withFilter = (layers: Any[]) =>
    layers.map((l) => ({ ...l, transform: [...where, ...((l.transform as Any[]) ?? [])] }));
  const names = [...parts.series];
  const lineData = { values: roundRows(parts.lines, 3) };
  const folded = [...where, { fold: names, as: ['series', 'value'] }];
  const top = {
    width: size,
    height: 140,
    layer: [
      ...withFilter(spanLayers(parts.spans, 'x')),
      {
        data: lineData,
        transform: folded,
        mark: { type: 'line', interpolate: 'step' },
        encoding: {
          x: {
            field: 't',
            type: 'quantitative',
            scale: POSITION,
            axis: { values: TICKS, title: null, labels: false, grid: false },
          },
          y: { field: 'value', type: 'quantitative', title: 'normalised' },
          ...seriesEncoding(names),
        },
      },
      {
        data: {
          values: parts.samples.map((s) => ({
            index: s.index,
            caption: `test sample ${s.sample}`,
          })),
        },
        transform: where,
        mark: {
          type: 'text',
          align: 'right',
          baseline: 'bottom',
          dy: -4,
          fontSize: 12,
          fontWeight: 'bold',
        },
        encoding: { x: { value: size }, y: { value: 0 }, text: { field: 'caption' } },
      },
    ],
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  };
  const heat = {
    width: size,
    height: size,
    layer: [
      {
        data: { values: parts.coded },
        transform: [
          ...where,
          ...decodeCells(),
          { calculate: 'datum.input - 0.5', as: 'x0' },
          { calculate: 'datum.input + 0.5', as: 'x1' },
          { calculate: 'datum.output - 0.5', as: 'y0' },
          { calculate: 'datum.output + 0.5', as: 'y1' },
        ],
        mark: { type: 'rect' },
        encoding: {
          x: {
            field: 'x0',
            type: 'quantitative',
            scale: POSITION,
            axis: { values: TICKS, title: 'input position (what is read)', grid: false },
          },
          x2: { field: 'x1' },
          y: {
            field: 'y0',
            type: 'quantitative',
            scale: POSITION,
            axis: { values: TICKS, title: 'output position (who reads)', grid: false },
          },
          y2: { field: 'y1' },
          color: attentionColor({ type: 'sqrt', max: 1 }),
          tooltip: [
            { field: 'input' },
            { field: 'output' },
            { field: 'attention', type: 'quantitative', format: '.2f' },
          ],
        },
      },
      ...withFilter(
        (['own', 'partner'] as const).map((relation) => ({
          data: { values: roundRows(parts.blocks) },
          transform: [{ filter: `datum.relation === '${relation}'` }],
          mark: {
            type: 'rect',
            filled: false,
            stroke: 'white',
            strokeWidth: 1.2,
            strokeDash: relation === 'own' ? [1, 0] : [4, 3],
          },
          encoding: {
            x: { field: 'x0', type: 'quantitative' },
            x2: { field: 'x1' },
            y: { field: 'y0', type: 'quantitative' },
            y2: { field: 'y1' },
          },
        })),
      ),
    ],
  };
  const sideView = {
    width: side,
    height: size,
    layer: [
      ...withFilter(spanLayers(parts.spans, 'y')),
      {
        data: lineData,
        transform: where,
        mark: { type: 'line', interpolate: 'step', color: '#555555', strokeWidth: 1.3 },
        encoding: {
          y: {
            field: 't',
            type: 'quantitative',
            scale: POSITION,
            axis: { values: TICKS, title: null, orient: 'right', grid: false },
          },
          x: { field: 'input', type: 'quantitative', title: 'input', axis: { tickCount: 3 } },
          order: { field: 't' },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
  const n = parts.samples.length;
  return {
    ...header(opts),
    params: [
      {
        name: 'pick',
        value: opts.initial ?? 0,
        ...(n > 1
          ? { bind: { input: 'range', min: 0, max: n - 1, step: 1, name: 'sample # ' } }
          : {}),
      },
    ],
    vconcat: [top, { hconcat: [heat, sideView], spacing: 6 }],
    spacing: 6,
    bounds: 'flush',
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
    config: { legend: { labelLimit: 220 } },
  } as Spec;
}

// ---- comparisons -------------------------------------------------------------------------

/**
 * The scoreboard: one row per model, three dot plots side by side that share the model axis:
 * final train/valid/test loss on a log axis (the valid value written beside its dot), the
 * parameter count, and the mean seconds per epoch with the backend that trained it.
 * `losses` rows: (model, split, value); `models` rows: (model, params, seconds, backend, valid).
 */
export function scoreboardChart(
  parts: { losses: readonly Row[]; models: readonly Row[] },
  opts: Titles & { order?: readonly string[] },
): Spec {
  const order = opts.order ? [...opts.order] : firstSeen(parts.models, 'model');
  const height = Math.max(90, 34 * order.length);
  const y = { field: 'model', type: 'nominal', title: null, sort: order };
  const yNoAxis = { ...y, axis: null };
  const models = { values: roundRows(parts.models) };
  return {
    ...header(opts),
    hconcat: [
      {
        width: 330,
        height,
        layer: [
          {
            data: { values: roundRows(parts.losses) },
            mark: { type: 'point', filled: true, size: 80, opacity: 0.85 },
            encoding: {
              y,
              x: {
                field: 'value',
                type: 'quantitative',
                title: 'final MSE (normalised, log scale)',
                scale: { type: 'log' },
              },
              color: {
                field: 'split',
                type: 'nominal',
                title: 'split',
                scale: {
                  domain: ['train', 'valid', 'test'],
                  range: ['#4c78a8', '#f58518', '#54a24b'],
                },
              },
              shape: {
                field: 'split',
                type: 'nominal',
                scale: {
                  domain: ['train', 'valid', 'test'],
                  range: ['circle', 'diamond', 'square'],
                },
              },
              tooltip: [{ field: 'model' }, { field: 'split' }, { field: 'value', format: '.4g' }],
            },
          },
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
      {
        width: 170,
        height,
        data: models,
        layer: [
          { mark: { type: 'point', filled: true, size: 70, color: '#555555' } },
          {
            mark: { type: 'text', align: 'left', dx: 7, fontSize: 11 },
            encoding: { text: { field: 'params', type: 'quantitative', format: ',' } },
          },
        ],
        encoding: {
          y: yNoAxis,
          x: {
            field: 'params',
            type: 'quantitative',
            title: 'parameters',
            scale: { zero: true },
            axis: { format: '~s', tickCount: 4 },
          },
        },
      },
      {
        width: 170,
        height,
        data: models,
        layer: [
          { mark: { type: 'point', filled: true, size: 70, color: '#555555' } },
          {
            mark: { type: 'text', align: 'left', dx: 7, fontSize: 11 },
            encoding: { text: { field: 'speed' } },
          },
        ],
        encoding: {
          y: yNoAxis,
          x: {
            field: 'seconds',
            type: 'quantitative',
            title: 'seconds per epoch',
            scale: { zero: true },
            axis: { tickCount: 4 },
          },
        },
      },
    ],
    spacing: 70,
    resolve: { scale: { y: 'shared' } },
  } as Spec;
}

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

/**
 * How close trained attention comes to the pair mean, over many samples. Rows: (kind, measure,
 * min, q1, median, q3, max), one per shape kind and measure; drawn as box plots (whiskers
 * min–max, box q1–q3, a tick at the median, the median written above its row) with a
 * dashed rule at the value that would give the pair mean exactly. `measures` names the measures and their ideal values.
 */
export function pairMassChart(
  rows: readonly Row[],
  opts: Titles & { measures: readonly { name: string; ideal: number }[] },
): Spec {
  const y = { field: 'kind', type: 'nominal', title: null, sort: ['triangle', 'box'] };
  const color = {
    field: 'kind',
    type: 'nominal',
    scale: { domain: Object.keys(KIND_INK), range: Object.values(KIND_INK) },
    legend: null,
  };
  return {
    ...header(opts),
    hconcat: opts.measures.map((m) => ({
      width: 300,
      height: 90,
      data: {
        values: roundRows(
          rows
            .filter((r) => r.measure === m.name)
            .map((r) => ({ ...r, label: `median ${Number(r.median).toFixed(2)}` })),
          3,
        ),
      },
      layer: [
        {
          mark: { type: 'rule' },
          encoding: {
            y,
            x: {
              field: 'min',
              type: 'quantitative',
              title: `${m.name} (dashed: the pair mean needs ${m.ideal})`,
              scale: { domain: [0, 1] },
            },
            x2: { field: 'max' },
            color,
          },
        },
        {
          mark: { type: 'bar', size: 22, opacity: 0.35 },
          encoding: { y, x: { field: 'q1', type: 'quantitative' }, x2: { field: 'q3' }, color },
        },
        {
          mark: { type: 'tick', thickness: 3, size: 22 },
          encoding: { y, x: { field: 'median', type: 'quantitative' }, color },
        },
        {
          mark: { type: 'text', align: 'left', dy: -15, fontSize: 11 },
          encoding: { y, x: { value: 4 }, text: { field: 'label' } },
        },
        {
          data: { values: [{ ideal: m.ideal }] },
          mark: { type: 'rule', color: '#1b1b1b', strokeDash: [4, 3], strokeWidth: 1.5 },
          encoding: { x: { field: 'ideal', type: 'quantitative' } },
        },
      ],
    })),
    spacing: 40,
  } as Spec;
}
