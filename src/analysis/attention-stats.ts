// What the trained attention does across many test samples: the mass each shape's outputs put
// on each shape's inputs, and how that compares with the pair mean the task asks for (the
// cell-by-cell reads are in attention-cells.ts). Runs the model up to its attention layer
// (analysis/inference.ts); figures draw the rows returned here.
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH, Shape, shapesOf } from '../data/task';
import { batchTensors } from '../data/dataset';
import { Learner } from '../train/learner';
import { attentionMap } from './inference';
import { ShapeKind, attentionByShape, kindOf, pairMass } from './attention-by-shape';

const CELLS = SEQ_LENGTH * SEQ_LENGTH;

/**
 * The attention matrix of each test sample, [100 × 100] row-major (row = output position),
 * averaged over the heads; computed `batch` samples at a time.
 */
export function attentionMaps(
  learner: Learner,
  samples: readonly number[],
  batch = 100,
): Float32Array[] {
  const out: Float32Array[] = [];
  for (let s = 0; s < samples.length; s += batch) {
    const idx = Int32Array.from(samples.slice(s, s + batch));
    const { x, y } = batchTensors(learner.data, 'test', idx);
    const a = attentionMap(learner.built, x); // [b, heads, 100, 100]
    const mean = tf.tidy(() => a.mean(1));
    const all = mean.dataSync() as Float32Array;
    tf.dispose([x, y, a, mean]);
    for (let k = 0; k < idx.length; k++) out.push(all.slice(k * CELLS, (k + 1) * CELLS));
  }
  return out;
}

export interface ShapeMassRow {
  sample: number;
  /** Whose output positions: 'triangle 1', …, 'box 2'. */
  from: string;
  kind: ShapeKind;
  /** Mean attention mass of those outputs on the two shapes of their own pair (the pair mean needs 1). */
  onPair: number;
  /** The partner's part of that mass (the pair mean needs 0.5). */
  partnerShare: number;
  /** Mass on the other kind's two shapes, and on the floor between shapes. */
  onOtherPair: number;
  elsewhere: number;
}

/** Per sample and shape, where its outputs' attention goes (see attentionByShape and pairMass). */
export function shapeMass(
  matrices: readonly ArrayLike<number>[],
  shapes: readonly (readonly Shape[])[],
  samples: readonly number[],
): ShapeMassRow[] {
  return matrices.flatMap((a, k) => {
    const rows = attentionByShape(a, shapes[k]);
    const pairs = pairMass(rows);
    return rows.map((r, i) => ({
      sample: samples[k],
      from: r.from,
      kind: kindOf(i),
      onPair: pairs[i].onPair,
      partnerShare: pairs[i].partnerShare,
      onOtherPair: 1 - r.elsewhere - pairs[i].onPair,
      elsewhere: r.elsewhere,
    }));
  });
}

/** shapeMass for test samples of a trained attention model. */
export function shapeMassOf(learner: Learner, samples: readonly number[]): ShapeMassRow[] {
  const maps = attentionMaps(learner, samples);
  return shapeMass(
    maps,
    samples.map((s) => shapesOf(learner.data.test, s)),
    samples,
  );
}

/** Median and quartiles of `values`. */
export function quartiles(values: readonly number[]): { q1: number; median: number; q3: number } {
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    const i = p * (v.length - 1);
    const lo = Math.floor(i);
    return v[lo] + (v[Math.min(lo + 1, v.length - 1)] - v[lo]) * (i - lo);
  };
  return { q1: at(0.25), median: at(0.5), q3: at(0.75) };
}

/** The median of each measure of shapeMass, per shape kind: the table beside the figure. */
export function shapeMassSummary(rows: readonly ShapeMassRow[]): {
  kind: ShapeKind;
  samples: number;
  onPair: number;
  partnerShare: number;
  onOtherPair: number;
  elsewhere: number;
}[] {
  return (['triangle', 'box'] as const).map((kind) => {
    const r = rows.filter((x) => x.kind === kind);
    const med = (f: (x: ShapeMassRow) => number) => quartiles(r.map(f)).median;
    return {
      kind,
      samples: new Set(r.map((x) => x.sample)).size,
      onPair: med((x) => x.onPair),
      partnerShare: med((x) => x.partnerShare),
      onOtherPair: med((x) => x.onOtherPair),
      elsewhere: med((x) => x.elsewhere),
    };
  });
}
