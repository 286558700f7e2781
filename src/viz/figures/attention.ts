// Figures of attention: the blog's heatmap, maps side by side (models or heads), the pairing view
// with its sample slider, how close the trained weights come to the pair mean, and the pooled
// model's weights. Pure: attention matrices computed in src/analysis/ come in, figures go out.
import { HEATMAP_SAMPLE } from '../../data/samples';
import { Dataset, SEQ_LENGTH, shapesOf } from '../../data/task';
import { ShapeMassRow, quartiles } from '../../analysis/attention-stats';
import { codedMatrixRows } from '../coded-matrix';
import { Figure, figure } from '../figure';
import { Row, concatFrames, matrixFrame, recordsFrame, withColumn } from '../frames';
import { pairMassChart } from '../marks/distributions';
import { attentionHeatmap } from '../marks/heatmaps';
import { poolingLines } from '../marks/lines';
import { attentionPairing } from '../marks/pairing';
import { blockRows, spanRows } from '../shape-marks';
import { testSeries } from './task';

/** Figure 8, the walk-through's own view: one [100 × 100] attention matrix as 10,000 rows of (input, output, attention). */
export function heatmapFigure(
  matrix: ArrayLike<number>,
  opts: { sample?: number; title?: string } = {},
): Figure {
  return figure(matrixFrame(matrix, SEQ_LENGTH), (rows) =>
    attentionHeatmap(rows, {
      title: opts.title ?? `Attention for test sample ${opts.sample ?? HEATMAP_SAMPLE}`,
      subtitle: 'row: output position; colour: how much it draws on each input position',
    }),
  );
}

/**
 * Several [100 × 100] attention matrices side by side, in the order given, on one shared sqrt
 * colour scale (so equal colours are equal weights and a diffuse map looks diffuse).
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
  return figure(frame, (rows) =>
    attentionHeatmap(rows, {
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
 * Several [100 × 100] attention maps (one per head) side by side, averaged over `block` × `block`
 * cells (default 2, so 50 × 50) to keep four heads small enough to embed, on one shared sqrt
 * colour scale: rows (head, output, input, attention).
 */
export function headsFigure(
  maps: readonly Float32Array[],
  opts: { title: string; subtitle?: string; block?: number },
): Figure {
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
          attention: sum / block,
        });
      }
    }
  });
  return figure(recordsFrame(rows, ['head', 'output', 'input', 'attention']), (rs) =>
    attentionHeatmap(rs, {
      title: opts.title,
      subtitle: opts.subtitle,
      size: 180,
      column: 'head',
      columns: Math.min(maps.length, 4),
      scale: { type: 'sqrt' },
      block,
    }),
  );
}

/**
 * The attention map read as pairings (see marks/pairing.ts): for each test sample, its input,
 * target and prediction above the map on the map's input axis, the input again beside it, the
 * four shapes' spans marked on both, and the same-kind blocks outlined. `matrices[k]` ([100 ×
 * 100]) and row k of `predictions` ([samples × 100]) belong to `samples[k]`. With several samples
 * a slider steps through them in the browser, no kernel needed; the picture shows `initial`
 * (default: the first). The frame has one row per (index, t): the sample's series at position t
 * and the map's row for output t as coded symbols (see coded-matrix.ts), so 12 maps cost about
 * 130 KB; the tooltip's weights are good to about ±0.01.
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
  const predName = `${opts.model ?? 'model'} prediction`;
  const series = ['input', 'target', ...(opts.predictions ? [predName] : [])];
  const rows = samples.flatMap((s, index) => {
    const p = opts.predictions?.subarray(index * SEQ_LENGTH, (index + 1) * SEQ_LENGTH); // [100]
    const lines = testSeries(ds, s, p ? { [predName]: p } : {});
    const coded = codedMatrixRows(matrices[index], SEQ_LENGTH);
    return coded.map(({ output: t, codes }) => ({
      index,
      sample: s,
      t: Number(t),
      ...Object.fromEntries(series.map((name) => [name, lines[name][Number(t)]])),
      codes,
    }));
  });
  const several = samples.length > 1;
  const title =
    opts.title ??
    (several
      ? `Who reads whom: attention of ${samples.length} test samples (move the slider)`
      : `Who reads whom: attention for test sample ${samples[0]}`);
  const frame = recordsFrame(rows, ['index', 'sample', 't', ...series, 'codes']);
  return figure(frame, (rs) => {
    const tag = (marks: Row[], index: number) => marks.map((r) => ({ index, ...r }));
    const shapes = (s: number) => shapesOf(ds.test, s);
    return attentionPairing(
      {
        coded: rs.map((r) => ({ index: r.index, output: r.t, codes: r.codes })),
        lines: rs.map((r) => ({
          index: r.index,
          t: r.t,
          ...Object.fromEntries(series.map((name) => [name, r[name]])),
        })),
        series,
        spans: samples.flatMap((s, index) => tag(spanRows(shapes(s)), index)),
        blocks: samples.flatMap((s, index) => tag(blockRows(shapes(s)), index)),
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
        initial: opts.initial ?? 0,
      },
    );
  });
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
  const columns = ['kind', 'measure', 'min', 'q1', 'median', 'q3', 'max'];
  return figure(recordsFrame(stats, columns), (rs) =>
    pairMassChart(rs, {
      title: opts.title ?? 'How close the weights come to the pair mean',
      subtitle: `each shape's output positions in ${n.toLocaleString('en')} test samples; box: middle half, line: min to max, number: median`,
      measures,
    }),
  );
}

/**
 * The pooled model's weights β under the inputs they pool: one column per test sample, the
 * normalised input on top and β (summing to 1 over the positions) below it. `betas` is
 * [samples × 100]: row k belongs to `samples[k]`.
 */
export function poolingFigure(
  ds: Dataset,
  betas: Float32Array,
  samples: readonly number[],
  opts: { title: string; subtitle?: string },
): Figure {
  const rows = samples.flatMap((s, k) => {
    const { input } = testSeries(ds, s);
    return Array.from({ length: SEQ_LENGTH }, (_, t) => [
      { sample: s, t, series: 'input', value: input[t] },
      { sample: s, t, series: 'β', value: betas[k * SEQ_LENGTH + t] },
    ]).flat();
  });
  return figure(recordsFrame(rows, ['sample', 't', 'series', 'value']), (rs) =>
    poolingLines(rs, opts),
  );
}
