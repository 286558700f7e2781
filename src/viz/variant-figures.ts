// Notebook 08's figures: attention variants side by side. Like figures.ts, each takes records and
// arrays and returns a long-format frame with its vega-lite spec; nothing here runs a model.
import type { TopLevelSpec } from 'vega-lite';
import { Dataset, SEQ_LENGTH } from '../data/task';
import { sample } from '../data/dataset';
import { PartnerDistance } from '../analysis/partners';
import { Frame, Row, recordsFrame, toRows } from './frames';

export interface VariantFigure {
  frame: Frame;
  spec: TopLevelSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const round = (v: number, digits = 4) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : v);
const titled = (title: string, subtitle?: string) => ({
  $schema: SCHEMA,
  title: subtitle ? { text: title, subtitle } : title,
});
const done = (
  rows: Row[],
  columns: string[],
  spec: (rows: Row[]) => TopLevelSpec,
): VariantFigure => {
  const frame = recordsFrame(rows, columns);
  return { frame, spec: spec(toRows(frame)) };
};

/** One variant's final losses, for the dot plot. */
export interface VariantScore {
  /** Readable run name, e.g. 'attention-heads4'. */
  name: string;
  /** The question it answers, e.g. 'seed 003: beyond a dense layer?'. */
  group: string;
  valid: number;
  test: number;
}

/**
 * Final validation and test MSE of every variant on a log axis, one row per variant, grouped by
 * the question it answers. Dots, not bars: a log axis has no zero for a bar to start from.
 */
export function variantsFigure(
  scores: readonly VariantScore[],
  opts: { title: string; subtitle?: string },
): VariantFigure {
  const rows = scores.flatMap((s) => [
    { name: s.name, group: s.group, split: 'valid', value: round(s.valid) },
    { name: s.name, group: s.group, split: 'test', value: round(s.test) },
  ]);
  const order = scores.map((s) => s.name);
  return done(rows, ['name', 'group', 'split', 'value'], (values) => ({
    ...titled(opts.title, opts.subtitle),
    data: { values },
    width: 420,
    height: { step: 16 },
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      y: { field: 'name', type: 'nominal', sort: order, title: null },
      x: {
        field: 'value',
        type: 'quantitative',
        scale: { type: 'log' },
        title: 'final MSE (normalised, log scale)',
      },
      color: {
        field: 'split',
        type: 'nominal',
        scale: { domain: ['valid', 'test'], range: ['#1f77b4', '#ff7f0e'] },
        title: null,
      },
      shape: { field: 'group', type: 'nominal', title: 'question' },
      tooltip: [{ field: 'name' }, { field: 'split' }, { field: 'value', format: '.4g' }],
    },
  }));
}

/** The same variant trained from several seeds: each seed's final validation MSE and their mean. */
export function seedSpreadFigure(
  runs: readonly { variant: string; seed: number; valid: number }[],
  opts: { title: string; subtitle?: string },
): VariantFigure {
  const rows = runs.map((r) => ({ variant: r.variant, seed: r.seed, valid: round(r.valid) }));
  const order = [...new Set(runs.map((r) => r.variant))];
  return done(rows, ['variant', 'seed', 'valid'], (values) => ({
    ...titled(opts.title, opts.subtitle),
    data: { values },
    width: 420,
    height: { step: 28 },
    encoding: {
      y: { field: 'variant', type: 'nominal', sort: order, title: null },
    },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 50, opacity: 0.8 },
        encoding: {
          x: {
            field: 'valid',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'final validation MSE (log scale)',
          },
          tooltip: [{ field: 'variant' }, { field: 'seed' }, { field: 'valid', format: '.4g' }],
        },
      },
      {
        mark: { type: 'tick', color: 'black', thickness: 2, size: 18 },
        encoding: { x: { aggregate: 'mean', field: 'valid', type: 'quantitative' } },
      },
    ],
  }));
}

/**
 * The pooled model's weights β beside the inputs they pool: one panel per test sample, the
 * normalised input as a grey line and β as a filled area on its own axis.
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
    facet: {
      field: 'sample',
      type: 'ordinal',
      title: null,
      header: { labelExpr: "'test sample ' + datum.value" },
      sort: [...samples],
    },
    columns: 2,
    spec: {
      width: 300,
      height: 140,
      layer: [
        {
          transform: [{ filter: "datum.series === 'input'" }],
          mark: { type: 'line', color: '#888', interpolate: 'step-after' },
          encoding: {
            x: {
              field: 't',
              type: 'quantitative',
              title: 'position t',
              scale: { domain: [0, 99] },
            },
            y: { field: 'value', type: 'quantitative', title: 'input (normalised)' },
          },
        },
        {
          transform: [{ filter: "datum.series === 'β'" }],
          mark: { type: 'area', color: '#d62728', opacity: 0.5, interpolate: 'step-after' },
          encoding: {
            x: { field: 't', type: 'quantitative' },
            y: {
              field: 'value',
              type: 'quantitative',
              title: 'pooling weight β',
              axis: { orient: 'right', titleColor: '#d62728' },
            },
          },
        },
      ],
      resolve: { scale: { y: 'independent' } },
    },
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
        transform: [{ filter: "datum.kind === 'window'" }],
        mark: { type: 'text', align: 'left', dx: 3, dy: -4, baseline: 'top', y: 0 },
        encoding: {
          x: { field: 'distance', type: 'quantitative' },
          text: { field: 'distance', type: 'quantitative', format: "'±'d" },
        },
      },
    ],
  }));
}

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
      mark: { type: 'rect' },
      encoding: {
        x: {
          field: 'input',
          type: 'quantitative',
          bin: { step: block },
          title: 'input position',
          scale: { domain: [0, 100] },
        },
        y: {
          field: 'output',
          type: 'quantitative',
          bin: { step: block },
          title: 'output position',
          scale: { domain: [100, 0] },
        },
        color: {
          field: 'attention',
          type: 'quantitative',
          scale: { type: 'sqrt', scheme: 'viridis' },
          title: 'attention (sqrt scale)',
        },
      },
    },
    resolve: { scale: { color: 'shared' } },
  }));
}
