// A heatmap with a slider: one attention map per snapshot (e.g. per epoch of training), all of
// them inside the spec, and a range input that picks which one is drawn. Pure vega-lite, so it
// works in any vega-embed with no kernel. The maps travel as coded rows (coded-matrix.ts: one
// symbol per cell), so 20 snapshots at 25 × 25 cells take about 19 KB of spec (as a notebook stores it).
import type { Row } from '../frames';
import { ATTENTION_CODES, codedMatrixRows } from '../coded-matrix';
import { Any, Spec, Titles, header, roundRows, spanLayers } from '../spec-parts';
import { attentionColor } from './heatmaps';

/** The name of the slider's param: a signal holding the snapshot's index 0…n−1. */
export const SNAPSHOT_PARAM = 'snapshot';

/** Positions 0…99, one unit each, output 0 at the top of a map (as in the block heatmaps). */
const POSITION = { domain: [-0.5, 99.5], nice: false, zero: false };
const TICKS = [0, 20, 40, 60, 80, 99];
/** How far the shape strips sit outside the map, in pixels. */
const STRIP = { gap: 3, depth: 13 };

export interface EpochSliderOptions extends Titles {
  /** Positions per cell side: the rows' input and output are the blocks' first positions. */
  block: number;
  /** Width and height of the map in pixels. Default 400: 4 px per position, cell edges on whole pixels. */
  size?: number;
  /** Rows (label, kind, start, end) from shape-marks.ts `spanRows`: drawn as strips along both axes. */
  spans?: readonly Row[];
  /** The snapshot the static picture shows. Default: the last. */
  initial?: number;
}

/**
 * One map per snapshot from rows (snap, epoch, output, input, attention), snap = 0…n−1 in
 * epoch order, every (output, input) block of every snapshot present. Input position on x,
 * output on y (0 at the top), viridis on a sqrt scale from 0 to the largest value of any
 * snapshot, so the colours of two snapshots compare. With more than one snapshot the param
 * `snapshot` is bound to a range input (min 0, max n−1) and the title names the epoch drawn.
 */
export function epochSlider(rows: readonly Row[], opts: EpochSliderOptions): Spec {
  const { block } = opts;
  const n = 100 / block; // cells per side
  const epochs: number[] = [];
  for (const r of rows) epochs[Number(r.snap)] = Number(r.epoch);
  const count = epochs.length;
  const initial = opts.initial ?? count - 1;
  if (!Number.isInteger(initial) || initial < 0 || initial >= count)
    throw new Error(`epochSlider: initial must be a snapshot 0…${count - 1}, got ${initial}`);
  // [count][n × n] cells, row-major by output block; the rows' values are in [0, 1].
  const maps = epochs.map(() => new Float64Array(n * n));
  let max = 0;
  for (const r of rows) {
    const v = Number(r.attention);
    maps[Number(r.snap)][(Number(r.output) / block) * n + Number(r.input) / block] = v;
    max = Math.max(max, v);
  }
  const coded = maps.flatMap((m, snap) => codedMatrixRows(m, n, { snap }));
  const size = opts.size ?? 400;
  const pick = `datum.snap === ${SNAPSHOT_PARAM}`;
  const labels = epochs.map((e) => `epoch ${Number(e.toPrecision(4))}`);
  const axis = (title: string) => ({ values: TICKS, title, grid: false });
  const cells = {
    data: { values: coded },
    transform: [{ filter: pick }, ...decodeBlocks(block)],
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x0', type: 'quantitative', scale: POSITION, axis: axis('input position') },
      x2: { field: 'x1' },
      y: {
        field: 'y0',
        type: 'quantitative',
        scale: { ...POSITION, reverse: true },
        axis: axis('output position'),
      },
      y2: { field: 'y1' },
      color: attentionColor({ type: 'sqrt', max: Number(max.toPrecision(3)) || 1 }),
      tooltip: [
        { field: 'inputs', title: 'input positions' },
        { field: 'outputs', title: 'output positions' },
        { field: 'attention', type: 'quantitative', format: '.3f' },
      ],
    },
  };
  const several = count > 1;
  return {
    ...header(opts),
    ...(several
      ? {
          title: {
            text: {
              expr: `${JSON.stringify(opts.title + ', ')} + ${JSON.stringify(labels)}[${SNAPSHOT_PARAM}]`,
            },
            ...(opts.subtitle ? { subtitle: opts.subtitle } : {}),
          },
        }
      : {}),
    params: [
      {
        name: SNAPSHOT_PARAM,
        value: initial,
        ...(several
          ? { bind: { input: 'range', min: 0, max: count - 1, step: 1, name: 'snapshot ' } }
          : {}),
      },
    ],
    width: size,
    height: size,
    layer: [cells, ...(opts.spans?.length ? shapeStrips(opts.spans, size) : [])],
    resolve: { scale: { color: 'independent' } },
  } as Spec;
}

/**
 * Transforms from coded rows (snap, output: the block's index, codes: one symbol per input
 * block) to cells (input, output: first positions; attention; x0, x1, y0, y1: the cell's edges;
 * inputs, outputs: the positions it covers, for the tooltip). Symbol k stands for (k / 61)²,
 * the inverse of coded-matrix.ts `codeRow`.
 */
function decodeBlocks(block: number) {
  const last = ATTENTION_CODES.length - 1;
  const span = (field: string) => `datum.${field} + '–' + (datum.${field} + ${block - 1})`;
  return [
    // Each symbol beside its index, flattened in step: no window transform, whose groups would
    // go wrong when a later step rewrites their key (`output`) and the slider re-runs them.
    { calculate: "split(datum.codes, '')", as: 'symbols' },
    { calculate: 'sequence(length(datum.codes))', as: 'ks' },
    { flatten: ['symbols', 'ks'], as: ['symbol', 'k'] },
    { calculate: `datum.k * ${block}`, as: 'input' },
    { calculate: `datum.output * ${block}`, as: 'output' },
    { calculate: `pow(indexof('${ATTENTION_CODES}', datum.symbol) / ${last}, 2)`, as: 'attention' },
    { calculate: 'datum.input - 0.5', as: 'x0' },
    { calculate: `datum.input + ${block} - 0.5`, as: 'x1' },
    { calculate: 'datum.output - 0.5', as: 'y0' },
    { calculate: `datum.output + ${block} - 0.5`, as: 'y1' },
    { calculate: block > 1 ? span('input') : 'datum.input + ""', as: 'inputs' },
    { calculate: block > 1 ? span('output') : 'datum.output + ""', as: 'outputs' },
  ];
}

/**
 * The shapes' spans (shaded, labelled T1 … B2) as thin strips just outside the map: above it
 * along the input axis and to its right along the output axis, on the map's own scales.
 */
function shapeStrips(spans: readonly Row[], size: number): Any[] {
  const { gap, depth } = STRIP;
  const across = {
    x: { lo: -gap - depth, hi: -gap, text: -gap - depth / 2 },
    y: { lo: size + gap, hi: size + gap + depth, text: size + gap + depth / 2 },
  };
  return (['x', 'y'] as const).flatMap((axis) => {
    const other = axis === 'x' ? 'y' : 'x';
    const at = across[axis];
    const [band, label] = spanLayers(roundRows(spans), axis) as Any[];
    const onMap = (enc: Any) => ({
      ...enc,
      [axis]: { ...(enc[axis] as Any), scale: { ...POSITION, reverse: axis === 'y' }, axis: null },
    });
    return [
      {
        ...band,
        mark: { type: 'rect', opacity: 0.9 },
        encoding: {
          ...onMap(band.encoding as Any),
          [other]: { value: at.lo },
          [`${other}2`]: { value: at.hi },
        },
      },
      {
        ...label,
        mark: {
          type: 'text',
          align: 'center',
          baseline: 'middle',
          fontWeight: 'bold',
          fontSize: 9,
        },
        encoding: { ...onMap(label.encoding as Any), [other]: { value: at.text } },
      },
    ];
  });
}
