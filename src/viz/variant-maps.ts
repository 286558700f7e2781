// Notebook 08's figures that look inside one model: the pooled model's weights β over the
// input, the reach partner shapes need against local windows, and each head's attention map.
// Pure: records and arrays in, a long-format frame and a vega-lite spec out.
import { Dataset, SEQ_LENGTH } from '../data/task';
import { sample } from '../data/dataset';
import { PartnerDistance } from '../analysis/partners';
import { Row } from './frames';
import { VariantFigure, done, round, titled } from './variant-figures';

/**
 * The pooled model's weights β under the inputs they pool: one column per test sample, the
 * normalised input on top and β (summing to 1 over the positions) below it.
 */
export function poolingFigure(
  ds: Dataset,
  betas: Float32Array,
  samples: readonly number[],
  opts: { title: string; subtitle?: string },
): VariantFigure {
  const rows: Row[] = [];
  samples.forEach((s, k) => {
    const { x } = sample(ds, 'test', s);
    for (let t = 0; t < SEQ_LENGTH; t++) {
      rows.push({ sample: s, t, series: 'input', value: round((x[t] - ds.mean) / ds.std, 3) });
      rows.push({ sample: s, t, series: 'β', value: round(betas[k * SEQ_LENGTH + t], 3) });
    }
  });
  return done(rows, ['sample', 't', 'series', 'value'], (values) => ({
    ...titled(opts.title, opts.subtitle),
    data: { values },
    // Rows: the input, then β (each with its own y scale); columns: the samples.
    facet: {
      row: { field: 'series', type: 'nominal', title: null, sort: ['input', 'β'] },
      column: {
        field: 'sample',
        type: 'ordinal',
        title: null,
        header: { labelExpr: "'test sample ' + datum.value" },
        sort: [...samples],
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
  }));
}

/**
 * How far apart partner shapes are (a histogram of centre distances, by pair) with the local
 * windows tried drawn as rules: a window narrower than the distance cannot see the partner.
 */
export function distanceFigure(
  distances: readonly PartnerDistance[],
  opts: { windows: readonly number[]; title: string; subtitle?: string },
): VariantFigure {
  const rows: Row[] = distances.map((d) => ({
    kind: 'distance',
    pair: d.pair,
    distance: round(d.distance, 3),
  }));
  for (const w of opts.windows) rows.push({ kind: 'window', pair: '', distance: w });
  return done(rows, ['kind', 'pair', 'distance'], (values) => ({
    ...titled(opts.title, opts.subtitle),
    data: { values },
    width: 520,
    height: 200,
    layer: [
      {
        transform: [{ filter: "datum.kind === 'distance'" }],
        mark: { type: 'bar', opacity: 0.8 },
        encoding: {
          x: {
            field: 'distance',
            type: 'quantitative',
            bin: { step: 4 },
            title: 'distance between the centres of a pair (steps)',
            scale: { domain: [0, 100] },
          },
          y: {
            aggregate: 'count',
            type: 'quantitative',
            title: 'pairs in the test set',
            stack: true,
          },
          color: {
            field: 'pair',
            type: 'nominal',
            title: 'pair',
            scale: { range: ['#1f77b4', '#2ca02c'] },
          },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'window'" }],
        mark: { type: 'rule', color: 'black', strokeDash: [4, 3] },
        encoding: { x: { field: 'distance', type: 'quantitative' } },
      },
      {
        transform: [
          { filter: "datum.kind === 'window'" },
          { calculate: "'±' + datum.distance", as: 'label' },
        ],
        mark: { type: 'text', align: 'left', dx: 3, dy: -4, baseline: 'top', y: 0 },
        encoding: {
          x: { field: 'distance', type: 'quantitative' },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  }));
}

/** A binned position axis of a heatmap, ticks every 20 steps and no grid over the cells. */
const positionAxis = (field: string, title: string, step: number, domain: [number, number]) => ({
  field,
  type: 'quantitative' as const,
  bin: { step },
  title,
  scale: { domain },
  axis: { values: [0, 20, 40, 60, 80, 100], grid: false },
});

/**
 * Several [100 × 100] attention maps (one per head) side by side, averaged over 2 × 2 blocks to
 * 50 × 50 so four heads stay small enough to embed; sqrt colour scale so weaker structure shows.
 */
export function headsFigure(
  maps: readonly Float32Array[],
  opts: { title: string; subtitle?: string; block?: number },
): VariantFigure {
  const block = opts.block ?? 2;
  const n = SEQ_LENGTH / block;
  const rows: Row[] = [];
  maps.forEach((m, h) => {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let a = 0; a < block; a++)
          for (let b = 0; b < block; b++) sum += m[(i * block + a) * SEQ_LENGTH + j * block + b];
        // Mean over the block's outputs, summed over its inputs: still "attention mass" per output.
        rows.push({
          head: `head ${h + 1}`,
          output: i * block,
          input: j * block,
          attention: round(sum / block, 3),
        });
      }
    }
  });
  return done(rows, ['head', 'output', 'input', 'attention'], (values) => ({
    ...titled(opts.title, opts.subtitle),
    data: { values },
    facet: {
      field: 'head',
      type: 'nominal',
      title: null,
      sort: maps.map((_, h) => `head ${h + 1}`),
    },
    columns: Math.min(maps.length, 4),
    spec: {
      width: 180,
      height: 180,
      // No gap between binned cells (vega-lite's default is 1 pixel), and each cell outlined in
      // its own colour: antialiased edges of neighbouring cells otherwise let the background
      // show through as a faint grid.
      mark: {
        type: 'rect',
        binSpacing: 0,
        strokeWidth: 0.6,
        stroke: { expr: "scale('fill', datum.attention)" },
      },
      encoding: {
        x: positionAxis('input', 'input position', block, [0, 100]),
        y: positionAxis('output', 'output position', block, [100, 0]), // output 0 at the top
        fill: {
          field: 'attention',
          type: 'quantitative',
          scale: { type: 'sqrt', scheme: 'viridis' },
          title: 'attention (√)',
        },
      },
    },
    resolve: { scale: { fill: 'shared' } },
  }));
}
