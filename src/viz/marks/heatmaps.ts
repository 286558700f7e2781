// Heatmaps: attention maps (one family, with options for side-by-side panels, a shared colour
// scale, a sqrt scale and block-averaged cells) and the sweep's grid of validation losses.
// Pure functions from long-format rows (see frames.ts) to a vega-lite spec.
import type { Row } from '../frames';
import { Spec, Titles, firstSeen, header, roundRows } from '../spec-parts';

/** How attention values map to colour: the blog's linear viridis, or sqrt to lift the low end. */
export interface AttentionScale {
  type: 'linear' | 'sqrt';
  /** Top of the domain; values above it are drawn at the top colour (the caption says so). */
  max?: number;
}

/** The viridis colour encoding of an `attention` field. */
export function attentionColor(scale: AttentionScale = { type: 'linear' }) {
  const domain = scale.max !== undefined ? { domain: [0, scale.max], clamp: true } : {};
  return {
    field: 'attention',
    type: 'quantitative',
    title: scale.type === 'sqrt' ? ['attention', '(sqrt scale)'] : 'attention',
    scale: { type: scale.type, scheme: 'viridis', zero: true, ...domain },
  };
}

const TICKS = [0, 20, 40, 60, 80, 99];

export interface HeatmapOptions extends Titles {
  /** Width and height of one map in pixels. Default 500: 5 px per position, the blog's view. */
  size?: number;
  /** One map per value of this field, side by side, on one shared colour scale. */
  column?: string;
  /** The panels' order (default: as they first appear in the rows). */
  order?: readonly (string | number)[];
  /** Panel titles when the column holds panel numbers 0…n−1 (short rows, readable headers). */
  labels?: readonly string[];
  /** Panels per row before wrapping (default: all in one row). */
  columns?: number;
  scale?: AttentionScale;
  /**
   * Cells cover `block` × `block` positions (rows from a block-averaged map, whose input and
   * output are the blocks' first positions). Drawn on binned axes, each cell outlined in its own
   * colour: at a size that is no whole number of pixels per cell, antialiased edges would
   * otherwise let the background show through as a faint grid.
   */
  block?: number;
}

/** Position axes of a map: ordinal cells, or binned blocks when `block` is set. */
function positionEncoding(block: number | undefined) {
  if (!block) {
    return {
      x: {
        field: 'input',
        type: 'ordinal',
        title: 'input position',
        axis: { values: TICKS, labelAngle: 0 },
      },
      y: {
        field: 'output',
        type: 'ordinal',
        title: 'output position',
        sort: 'descending',
        axis: { values: TICKS },
      },
    };
  }
  const binned = (field: string, title: string, domain: [number, number]) => ({
    field,
    type: 'quantitative',
    bin: { step: block },
    title,
    scale: { domain },
    axis: { values: [0, 20, 40, 60, 80, 100], grid: false },
  });
  // Output 0 at the top: notebook 8 reads its head maps with the output position running down.
  return {
    x: binned('input', 'input position', [0, 100]),
    y: binned('output', 'output position', [100, 0]),
  };
}

/**
 * Attention maps from (input, output, attention): input position on x, output position on y
 * (descending, so the diagonal runs bottom-left to top-right), viridis colours, 500×500 by
 * default: the walk-through's own view. See HeatmapOptions for the rest.
 */
export function attentionHeatmap(rows: readonly Row[], opts: HeatmapOptions): Spec {
  const size = opts.size ?? 500;
  const stroke = { expr: "scale('color', datum.attention)" };
  const mark = opts.block
    ? { type: 'rect', binSpacing: 0, strokeWidth: 0.6, stroke }
    : { type: 'rect' };
  const spec = {
    width: size,
    height: size,
    mark,
    encoding: {
      ...positionEncoding(opts.block),
      color: attentionColor(opts.scale),
      tooltip: [{ field: 'input' }, { field: 'output' }, { field: 'attention', format: '.3f' }],
    },
  };
  const data = { values: roundRows(rows, 3) };
  if (!opts.column) return { ...header(opts), data, ...spec } as Spec;
  return {
    ...header(opts),
    data,
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
    ...(opts.columns ? { columns: opts.columns } : {}),
    spec,
    resolve: { scale: { color: 'shared' } },
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
  return {
    ...header(opts),
    width: 380,
    height: 220,
    data: { values: roundRows(rows) },
    encoding: {
      x: { field: 'keyChannels', type: 'ordinal', title: 'key channels', axis: { labelAngle: 0 } },
      y: { field: 'kernelSize', type: 'ordinal', title: 'kernel size', sort: 'descending' },
    },
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
