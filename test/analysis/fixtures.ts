// Hand-made inputs the analysis tests share: four shapes at known places, an attention map that
// splits each shape's weight between itself and its partner in a chosen ratio, and a dataset
// built from given shapes (noise-free, so every expected number can be written down).
import {
  DEFAULT_DATA,
  Dataset,
  SEQ_LENGTH,
  Shape,
  Split,
  cleanSequence,
  targetShapes,
} from '../../src/data/task';
import { shapeSpan } from '../../src/analysis/attention-by-shape';

export const SHAPES: Shape[] = [
  { c: 10, h: 20, w: 5 }, // T1: steps 8…12
  { c: 30, h: 6, w: 5 }, // T2: 28…32
  { c: 50, h: 4, w: 5 }, // B1: 48…52 (a box stops at |t − c| < w/2)
  { c: 70, h: 12, w: 5 }, // B2: 68…72
];

export const range = (a: number, b: number): number[] =>
  Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** A floor step no shape of SHAPES (or of any reordering of them) covers. */
export const FLOOR_STEP = 95;

/**
 * A [100 × 100] map where every output step of shape i puts `floor[i]` of its weight on the floor
 * (at FLOOR_STEP), and of the rest `partner` evenly on its partner's steps and the remainder
 * evenly on its own; steps outside the shapes spread 0.01 uniformly. With partner ≠ 0.5 a mix-up
 * of "self" and "partner" shows, with floor shares that differ per shape a mix-up of shapes.
 */
export function pairMap(
  shapes: readonly Shape[] = SHAPES,
  partner = 0.5,
  floor: readonly number[] = [0, 0, 0, 0],
): Float32Array {
  const a = new Float32Array(SEQ_LENGTH * SEQ_LENGTH).fill(0.01);
  const spans = shapes.map(shapeSpan);
  spans.forEach((outs, i) => {
    const mine = spans[i];
    const theirs = spans[i ^ 1];
    const onPair = 1 - floor[i];
    for (const o of outs) {
      a.fill(0, o * SEQ_LENGTH, (o + 1) * SEQ_LENGTH);
      for (const j of mine) a[o * SEQ_LENGTH + j] += (onPair * (1 - partner)) / mine.length;
      for (const j of theirs) a[o * SEQ_LENGTH + j] += (onPair * partner) / theirs.length;
      a[o * SEQ_LENGTH + FLOOR_STEP] += floor[i];
    }
  });
  return a;
}

/** A split whose samples have the given shapes: inputs drawn noise-free, targets the pair means. */
export function splitOf(samples: readonly (readonly Shape[])[]): Split {
  const n = samples.length;
  const split: Split = {
    n,
    x: new Float32Array(n * SEQ_LENGTH),
    y: new Float32Array(n * SEQ_LENGTH),
    shapes: new Float64Array(n * 12),
  };
  samples.forEach((shapes, k) => {
    split.x.set(cleanSequence(shapes), k * SEQ_LENGTH);
    split.y.set(cleanSequence(targetShapes(shapes, false)), k * SEQ_LENGTH);
    shapes.forEach((s, i) => split.shapes.set([s.c, s.h, s.w], k * 12 + i * 3));
  });
  return split;
}

/** A dataset whose pool and test splits hold the given samples, normalised by `mean` and `std`. */
export function datasetOf(
  samples: readonly (readonly Shape[])[],
  norm: { mean: number; std: number } = { mean: 0, std: 1 },
): Dataset {
  const n = samples.length;
  return {
    config: { ...DEFAULT_DATA, nTrain: n, nTest: n },
    pool: splitOf(samples),
    test: splitOf(samples),
    mean: norm.mean,
    std: norm.std,
    rejected: 0,
    trainIdx: Int32Array.from({ length: n }, (_, i) => i),
    validIdx: new Int32Array(0),
  };
}
