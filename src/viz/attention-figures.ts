// Attention figures: the blog's heatmap, heatmaps side by side, the pairing view with its
// sample slider, and how close the trained weights come to the pair mean. Pure: arrays in.
import * as charts from './charts';
import { Dataset, SEQ_LENGTH, Shape, shapesOf } from '../data/task';
import { sample } from '../data/dataset';
import { Row, concatFrames, matrixFrame, recordsFrame, withColumn } from './frames';
import { blockRows, spanRows } from './shape-marks';
import { codedMatrixRows } from './coded-matrix';
import { ShapeMassRow, quartiles } from '../analysis/attention-stats';
import { Figure, fig, normalise, HEATMAP_SAMPLE } from './figures-core';

export function heatmapFigure(
  matrix: ArrayLike<number>,
  opts: { sample?: number; title?: string } = {},
): Figure {
  const title = opts.title ?? `Attention for test sample ${opts.sample ?? HEATMAP_SAMPLE}`;
  return fig(matrixFrame(matrix, SEQ_LENGTH), (rows) =>
    charts.attentionHeatmap(rows, {
      title,
      subtitle: 'row: output position; colour: how much it draws on each input position',
    }),
  );
}

/**
 * Several attention matrices side by side, in the order given, on one shared sqrt colour scale
 * (so equal colours are equal weights and a diffuse map looks diffuse).
 */
export function heatmapsFigure(
  matrices: Record<string, ArrayLike<number>>,
  opts: { title: string; size?: number },
): Figure {
  const names = Object.keys(matrices);
  // Rows carry the panel's number, not its name: 10,000 rows per map stay short.
  const frame = concatFrames(
    names.map((label, k) => withColumn(matrixFrame(matrices[label], SEQ_LENGTH), 'panel', k)),
  );
  const max = Math.max(...names.map((n) => Math.max(...Array.from(matrices[n]))));
  return fig(frame, (rows) =>
    charts.attentionHeatmap(rows, {
      title: opts.title,
      subtitle: `one colour scale for all maps (sqrt); the largest weight is ${max.toFixed(2)}`,
      size: opts.size ?? 300,
      column: 'panel',
      order: names.map((_, k) => k),
      labels: names,
      scale: { type: 'sqrt' },
    }),
  );
}

/**
 * The attention map read as pairings (see charts.attentionPairing): for each test sample, its
 * input, target and prediction above the map on the map's input axis, the input again beside
 * it, the four shapes' spans marked on both, and the same-kind blocks outlined. `matrices[k]`
 * and row k of `predictions` ([samples × 100]) belong to `samples[k]`. With several samples a
 * slider steps through them in the browser, no kernel needed; the picture shows `initial`
 * (default: the first). The maps travel as coded rows (see coded-matrix.ts), so 12 of them
 * cost about 130 KB; the tooltip's weights are good to about ±0.01.
 */
export function attentionPairingFigure(
  ds: Dataset,
  matrices: readonly ArrayLike<number>[],
  opts: {
    samples: readonly number[];
    predictions?: Float32Array;
    model?: string;
    title?: string;
    initial?: number;
  },
): Figure {
  const { samples } = opts;
  if (matrices.length !== samples.length)
    throw new Error(
      `attentionPairingFigure: ${matrices.length} maps for ${samples.length} samples`,
    );
  const coded = samples.flatMap((_, index) =>
    codedMatrixRows(matrices[index], SEQ_LENGTH, { index }),
  );
  const predName = `${opts.model ?? 'model'} prediction`;
  const series = ['input', 'target', ...(opts.predictions ? [predName] : [])];
  // One row per (sample, position) with a column per series: the chart folds them.
  const lines = samples.flatMap((s, index) => {
    const { x, y } = sample(ds, 'test', s);
    const [nx, ny] = [normalise(ds)(x), normalise(ds)(y)];
    const p = opts.predictions?.subarray(index * SEQ_LENGTH, (index + 1) * SEQ_LENGTH);
    return Array.from({ length: SEQ_LENGTH }, (_, t) => ({
      index,
      t,
      input: nx[t],
      target: ny[t],
      ...(p ? { [predName]: p[t] } : {}),
    }));
  });
  const tag = (rows: Row[], index: number) => rows.map((r) => ({ index, ...r }));
  const shapes = (s: number): Shape[] => shapesOf(ds.test, s);
  const spans = samples.flatMap((s, index) => tag(spanRows(shapes(s)), index));
  const blocks = samples.flatMap((s, index) => tag(blockRows(shapes(s)), index));
  const initial = opts.initial ?? 0;
  const several = samples.length > 1;
  const title =
    opts.title ??
    (several
      ? `Who reads whom: attention of ${samples.length} test samples (move the slider)`
      : `Who reads whom: attention for test sample ${samples[0]}`);
  return {
    frame: recordsFrame(coded, ['index', 'output', 'codes']),
    spec: charts.attentionPairing(
      {
        coded,
        lines,
        series,
        spans,
        blocks,
        samples: samples.map((sample, index) => ({ index, sample })),
      },
      {
        title,
        subtitle: [
          ...(several
            ? [`slider "sample #" 0–${samples.length - 1}: test samples ${samples.join(', ')}`]
            : []),
          'colour: attention weight, sqrt scale from 0 to 1; each row (an output position) sums to 1',
          "white outlines: a shape's outputs reading its own (solid) or its partner's (dashed) inputs",
        ],
        initial,
      },
    ),
  };
}

/**
 * How close the trained weights come to the pair mean, over many test samples (rows from
 * analysis/attention-stats `shapeMassOf`, one per sample and shape): the mass each shape's
 * outputs put on their own pair (the pair mean needs 1) and the partner's share of that mass
 * (the pair mean needs 0.5), as quartiles per shape kind.
 */
export function pairMassFigure(
  rows: readonly ShapeMassRow[],
  opts: { title?: string } = {},
): Figure {
  const measures = [
    { name: 'attention mass on the own pair', ideal: 1, field: 'onPair' as const },
    { name: "partner's share of that mass", ideal: 0.5, field: 'partnerShare' as const },
  ];
  const stats = measures.flatMap((m) =>
    (['triangle', 'box'] as const).map((kind) => {
      const v = rows.filter((r) => r.kind === kind).map((r) => r[m.field]);
      return { kind, measure: m.name, min: Math.min(...v), ...quartiles(v), max: Math.max(...v) };
    }),
  );
  const n = new Set(rows.map((r) => r.sample)).size;
  const title = opts.title ?? 'How close the weights come to the pair mean';
  return fig(recordsFrame(stats, ['kind', 'measure', 'min', 'q1', 'median', 'q3', 'max']), (rs) =>
    charts.pairMassChart(rs, {
      title,
      subtitle: `each shape's output positions in ${n.toLocaleString('en')} test samples; box: middle half, line: min to max, number: median`,
      measures,
    }),
  );
}

/** What a scoreboard needs of a run: a RunRecord or a summary.json entry both have it. */
