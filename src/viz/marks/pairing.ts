// The attention map read as pairings: the map with the sample drawn above it and beside it, the
// shapes marked on all three, and a slider over test samples that needs no kernel. A composite of
// line and cell marks, in one file because its views share one position scale.
import type { Row } from '../frames';
import { ATTENTION_CODES } from '../coded-matrix';
import { Any, Spec, Titles, header, roundRows, seriesEncoding, spanLayers } from '../spec-parts';
import { attentionColor } from './heatmaps';

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
