// Long-format ("tidy") danfojs DataFrames for every figure: one row per observation, as
// vega-lite wants. danfojs has no `melt`, so these helpers build the long columns directly.
// danfojs is the user's choice of dataframe library; it is only ever used here and in notebooks.
import * as dfd from 'danfojs-node';
import { LossPoint } from '../train/history';

export type Row = Record<string, string | number>;
/** A danfojs DataFrame; re-exported so notebooks need no danfojs import of their own. */
export type Frame = dfd.DataFrame;

function frame(columns: Record<string, (string | number)[]>): Frame {
  return new dfd.DataFrame(columns);
}

/** Rows of a frame, as plain objects for a vega-lite `data.values`. */
export function toRows(df: Frame): Row[] {
  if (df.shape[0] === 0) return [];
  return dfd.toJSON(df, { format: 'column' }) as Row[];
}

/** Stacks frames with the same columns. */
export function concatFrames(frames: Frame[]): Frame {
  if (frames.length === 1) return frames[0];
  return dfd.concat({ dfList: frames, axis: 0 }) as Frame;
}

/** Adds a constant column (for example `model: 'cnn'` or `sample: 84`) to every row. */
export function withColumn(df: Frame, name: string, value: string | number): Frame {
  const out = df.copy();
  out.addColumn(name, new Array(df.shape[0]).fill(value), { inplace: true });
  return out;
}

/**
 * Sequences to (t, series, value): one row per step and named series.
 * `sequenceFrame({input: x, target: y})` gives 200 rows for two 100-step sequences.
 */
export function sequenceFrame(series: Record<string, ArrayLike<number>>): Frame {
  const t: number[] = [];
  const name: string[] = [];
  const value: number[] = [];
  for (const [k, v] of Object.entries(series)) {
    for (let i = 0; i < v.length; i++) {
      t.push(i);
      name.push(k);
      value.push(v[i]);
    }
  }
  return frame({ t, series: name, value });
}

/** A loss history to (step, epoch, series, value), optionally tagged with a model name. */
export function historyFrame(history: readonly LossPoint[], model?: string): Frame {
  const cols: Record<string, (string | number)[]> = {
    step: history.map((p) => p.step),
    epoch: history.map((p) => p.epoch),
    series: history.map((p) => p.split),
    value: history.map((p) => p.loss),
  };
  if (model !== undefined) cols.model = history.map(() => model);
  return frame(cols);
}

/**
 * A square matrix to (input, output, attention): row i of `m` is output position i, and entry
 * [i][j] is how much output i attends to input j. A 100×100 attention map gives 10,000 rows.
 */
export function matrixFrame(m: ArrayLike<number>, size: number, valueName = 'attention'): Frame {
  if (m.length !== size * size)
    throw new Error(
      `matrixFrame: expected ${size}×${size} = ${size * size} values, got ${m.length}`,
    );
  const input: number[] = [];
  const output: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      input.push(j);
      output.push(i);
      value.push(m[i * size + j]);
    }
  }
  return frame({ input, output, [valueName]: value });
}

/** Records (for example per-model results) to a frame with the given columns, in that order. */
export function recordsFrame(records: readonly Row[], columns: readonly string[]): Frame {
  return frame(Object.fromEntries(columns.map((c) => [c, records.map((r) => r[c])])));
}
