// Figures of notebook 9 on how the attention emerges during training: one sample's attention map
// at each saved snapshot behind a slider that needs no kernel, and the validation loss above the
// "ideal attention" score and the per-role masses, epoch by epoch. Pure: the snapshots and the
// per-snapshot numbers come from src/analysis/; only the drawing happens here.
import { SEQ_LENGTH, Shape } from '../../data/task';
import { Figure, figure } from '../figure';
import { Row, recordsFrame } from '../frames';
import { floorRule } from '../marks/lines';
import { epochSlider } from '../marks/slider';
import { Spec, header, roundRows } from '../spec-parts';
import { spanRows } from '../shape-marks';

/** One saved state of one sample's attention. */
export interface AttentionSnapshot {
  /** When it was taken, in epochs (fractions allowed: 0.25 is a quarter of the first epoch). */
  epoch: number;
  /** [100 × 100] row-major: row = output (query) position, column = input (key) position. */
  map: ArrayLike<number>;
}

/**
 * One sample's attention map at each snapshot (in increasing epoch order), one picture with a
 * slider "snapshot" (0…n−1) that redraws it in the browser with no kernel; the title names the
 * epoch drawn, and the static picture (PNG) shows `initial` (default: the last). Each cell is a
 * `block` × `block` block (default 4, so 25 × 25 cells): the mean over its outputs of the mass
 * they put on its inputs, so a row of cells still sums to 1 (a uniform map gives 4 / 100). One
 * sqrt colour scale from 0 to the largest cell of any snapshot. `shapes`: the sample's shapes,
 * drawn as labelled strips along both axes. The frame has one row per (snap, output, input)
 * block: (snap, epoch, output, input, attention), output and input the block's first
 * positions. The spec carries each cell as one symbol (coded-matrix.ts: ±0.008 at 0.25, finer
 * below), about 0.85 KB per snapshot at block 4 (20 snapshots: 19 KB) and 2.9 KB at block 2.
 */
export function epochSliderFigure(
  snapshots: readonly AttentionSnapshot[],
  opts: {
    title: string;
    subtitle?: string | string[];
    block?: number;
    shapes?: readonly Shape[];
    initial?: number;
    size?: number;
  },
): Figure {
  const L = SEQ_LENGTH;
  const block = opts.block ?? 4;
  if (snapshots.length === 0) throw new Error('epochSliderFigure: no snapshots');
  if (!Number.isInteger(block) || block < 1 || L % block !== 0)
    throw new Error(`epochSliderFigure: block must be a whole number dividing ${L}, got ${block}`);
  snapshots.forEach((s, k) => {
    if (!Number.isFinite(s.epoch) || (k > 0 && s.epoch <= snapshots[k - 1].epoch))
      throw new Error(
        `epochSliderFigure: epochs must be finite and increasing, snapshot ${k} has ${s.epoch}`,
      );
    if (s.map.length !== L * L)
      throw new Error(`epochSliderFigure: snapshot ${k} has ${s.map.length} values, not ${L * L}`);
  });
  const n = L / block;
  const rows: Row[] = [];
  snapshots.forEach(({ epoch, map }, snap) => {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let a = 0; a < block; a++)
          for (let b = 0; b < block; b++) sum += map[(i * block + a) * L + j * block + b];
        // A cell is attention mass: in [0, 1] when the map's rows are weights summing to 1.
        if (!(sum / block >= -1e-6 && sum / block <= 1 + 1e-6))
          throw new Error(
            `epochSliderFigure: snapshot ${snap} is no attention map (a block's mass is ${sum / block}; rows must be weights summing to 1)`,
          );
        rows.push({ snap, epoch, output: i * block, input: j * block, attention: sum / block });
      }
  });
  const epochs = snapshots.map((s) => Number(s.epoch.toPrecision(4)));
  const subtitle = opts.subtitle ?? [
    snapshots.length > 1
      ? `slider "snapshot" 0–${snapshots.length - 1}: epochs ${epochs.join(', ')}`
      : `epoch ${epochs[0]}`,
    `each cell ${block} × ${block} positions: the mass its outputs put on its inputs (mean over the outputs); sqrt colour scale shared by all snapshots`,
  ];
  const frame = recordsFrame(rows, ['snap', 'epoch', 'output', 'input', 'attention']);
  return figure(frame, (rs) =>
    epochSlider(rs, {
      title: opts.title,
      subtitle,
      block,
      size: opts.size,
      initial: opts.initial,
      spans: opts.shapes ? spanRows(opts.shapes) : undefined,
    }),
  );
}

/**
 * One snapshot's numbers for `emergenceFigure` (another helper computes them from the model and
 * the validation set at that snapshot).
 */
export interface EmergenceRow {
  /** When, in epochs (fractions allowed). */
  epoch: number;
  /** Validation MSE (normalised units), > 0: drawn on a log axis. */
  valid: number;
  /** How close the attention is to the ideal one, in [0, 1] (1 = the ideal). */
  score: number;
  /**
   * Mean attention mass of the shapes' output rows on their own shape, their partner, the shapes
   * of the other kind (the other pair) and the floor (positions in no shape); together ~1.
   */
  own: number;
  partner: number;
  otherKind: number;
  floor: number;
}

/** The bottom panel's series: which field, its label, its colour (the roles as roleMassFigure's). */
const MEASURES = [
  { key: 'score', label: 'ideal-attention score', color: '#1b1b1b' },
  { key: 'own', label: 'own shape', color: '#f58518' },
  { key: 'partner', label: 'partner', color: '#e45756' },
  { key: 'otherKind', label: 'other pair', color: '#72b7b2' },
  { key: 'floor', label: 'floor', color: '#bab0ac' },
] as const;
const VALID = 'valid MSE';

/**
 * How the attention emerges during training, two panels on one epoch axis: on top the
 * validation MSE on a log axis with the noise floor `floor` as a dashed rule; below, the
 * ideal-attention score and where the shapes' outputs put their attention (own shape, partner,
 * other pair, floor), one line each. The frame is long: (epoch, series, value), series 'valid
 * MSE' for the top panel and the five measures' labels for the bottom one.
 */
export function emergenceFigure(
  rows: readonly EmergenceRow[],
  opts: { title?: string; subtitle?: string | string[]; floor?: number } = {},
): Figure {
  if (rows.length === 0) throw new Error('emergenceFigure: no rows');
  const fields = ['epoch', 'valid', ...MEASURES.map((m) => m.key)] as const;
  rows.forEach((r, k) => {
    for (const f of fields)
      if (typeof r[f] !== 'number' || !Number.isFinite(r[f]))
        throw new Error(`emergenceFigure: row ${k} has no finite number '${f}'`);
    if (r.valid <= 0)
      throw new Error(`emergenceFigure: row ${k} has valid ${r.valid}; a log axis needs > 0`);
  });
  if (opts.floor !== undefined && !(opts.floor > 0))
    throw new Error(`emergenceFigure: floor must be > 0 on a log axis, got ${opts.floor}`);
  const long = rows.flatMap((r) => [
    { epoch: r.epoch, series: VALID, value: r.valid },
    ...MEASURES.map((m) => ({ epoch: r.epoch, series: m.label, value: r[m.key] })),
  ]);
  const subtitle = opts.subtitle ?? [
    'top: validation MSE (log scale)' +
      (opts.floor !== undefined
        ? `; dashed line: the noise floor, ${opts.floor.toPrecision(2)}`
        : ''),
    "bottom: the ideal-attention score, and where the shapes' outputs put their attention",
  ];
  return figure(recordsFrame(long, ['epoch', 'series', 'value']), (rs) =>
    emergenceSpec(rs, {
      title: opts.title ?? 'How the attention emerges during training',
      subtitle,
      floor: opts.floor,
    }),
  );
}

function emergenceSpec(
  rows: readonly Row[],
  opts: { title: string; subtitle: string | string[]; floor?: number },
): Spec {
  const width = 460;
  const x = (title: string | null) => ({
    field: 'epoch',
    type: 'quantitative',
    title,
    scale: { zero: true, nice: false },
  });
  const tooltip = [{ field: 'series' }, { field: 'epoch' }, { field: 'value', format: '.4g' }];
  const top = {
    width,
    height: 160,
    layer: [
      {
        transform: [{ filter: `datum.series === '${VALID}'` }],
        mark: {
          type: 'line',
          point: { size: 18, color: '#f58518' },
          color: '#f58518',
          strokeWidth: 1.5,
        },
        encoding: {
          x: x(null),
          y: {
            field: 'value',
            type: 'quantitative',
            title: 'valid MSE (log scale)',
            scale: { type: 'log' },
          },
          tooltip,
        },
      },
      ...floorRule(opts.floor),
    ],
  };
  const bottom = {
    width,
    height: 200,
    transform: [{ filter: `datum.series !== '${VALID}'` }],
    mark: { type: 'line', point: { size: 14 }, strokeWidth: 1.6 },
    encoding: {
      x: x('epoch'),
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'score, attention mass',
        scale: { domain: [0, 1] },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: MEASURES.map((m) => m.label), range: MEASURES.map((m) => m.color) },
        legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, labelLimit: 220 },
      },
      tooltip,
    },
  };
  return {
    ...header(opts),
    data: { values: roundRows(rows) },
    vconcat: [top, bottom],
    spacing: 10,
    resolve: { scale: { x: 'shared' } },
  } as Spec;
}
