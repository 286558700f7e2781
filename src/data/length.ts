// The toy task at another sequence length, for testing whether a model trained on 100 steps
// generalises to 50 or 200 (notebook 09). Same rules as task.ts, with L in place of 100: two
// triangles and two boxes, heights U(1, 25), widths U(5, 11), centres U(5.5, L − 5.5) (so the
// centre of every shape keeps at least half the widest width from either end, as at 100), the
// same collision and height rules, the same U(−noise/2, noise/2) on input and target. The draws
// come in task.ts's order, so at L = 100 this reproduces generateDataset's samples draw for draw
// (the test checks it); task.ts itself is untouched, so cached datasets and saved runs keep
// their keys. Values are raw; `lengthTensors` normalises them with the *training* set's mean
// and std, as the trained model expects.
import * as tf from '@tensorflow/tfjs';
import { checkInt } from '../runtime/validate';
import { Rng, rngFrom } from './random';
import {
  DataConfig,
  Dataset,
  POSITION_BITS,
  Shape,
  Split,
  cleanSequence,
  collides,
  drawShapes,
  heightsValid,
  inputChannels,
  targetShapes,
} from './task';

/**
 * The shortest length allowed. The share of draws that pass the collision and height rules
 * falls fast with L (measured over 1,000 samples): 0.37 at 200, 0.16 at 100, 0.008 at 50 and
 * 0.0003 at 40 (9 s per 1,000 samples); much shorter and rejection sampling hardly ever ends.
 */
export const MIN_LENGTH = 40;

/** Give up after this many rejected draws per requested sample (about 3,300 at L = 40). */
const MAX_REJECTS_PER_SAMPLE = 10_000;

/** A split of length-L samples: `x` and `y` are [n, L] row-major; `shapes` [n, 4] × (c, h, w). */
export interface LengthSplit extends Split {
  length: number;
}

export function checkLength(length: unknown): number {
  return checkInt('length', length, MIN_LENGTH);
}

/** task.ts's `collides` over L steps: two shapes non-zero at the same or adjacent steps. */
export const collidesAt = (shapes: readonly Shape[], length: number): boolean =>
  collides(shapes, length);

/** task.ts's `cleanSequence` over L steps: the element-wise max of the four profiles. */
export const cleanSequenceAt = (shapes: readonly Shape[], length: number): Float64Array =>
  cleanSequence(shapes, length);

const drawShapesAt = (rng: Rng, length: number): Shape[] => drawShapes(rng, length);

/** `n` samples of length L drawn from `rng` with task.ts's rules; throws rather than loop forever. */
export function generateSplitAt(
  n: number,
  rng: Rng,
  cfg: Pick<DataConfig, 'noiseLevel' | 'groupByLocations'>,
  length: number,
): { split: LengthSplit; rejected: number } {
  checkInt('n', n, 1);
  checkLength(length);
  const split: LengthSplit = {
    n,
    length,
    x: new Float32Array(n * length),
    y: new Float32Array(n * length),
    shapes: new Float64Array(n * 12),
  };
  const noise = () => rng() * cfg.noiseLevel - cfg.noiseLevel / 2;
  let rejected = 0;
  for (let k = 0; k < n;) {
    const shapes = drawShapesAt(rng, length);
    if (!heightsValid(shapes, cfg.groupByLocations) || collidesAt(shapes, length)) {
      if (++rejected > MAX_REJECTS_PER_SAMPLE * n)
        throw new Error(`length ${length}: gave up after ${rejected} draws that did not fit`);
      continue;
    }
    const xs = cleanSequenceAt(shapes, length);
    const ys = cleanSequenceAt(targetShapes(shapes, cfg.groupByLocations), length);
    for (let t = 0; t < length; t++) split.x[k * length + t] = xs[t] + noise();
    for (let t = 0; t < length; t++) split.y[k * length + t] = ys[t] + noise(); // fresh noise
    shapes.forEach((s, i) => split.shapes.set([s.c, s.h, s.w], k * 12 + i * 3));
    k++;
  }
  return { split, rejected };
}

/**
 * A test set of length L for a trained model's dataset: its noise and pairing rules, its test
 * size unless `n` is given, drawn from its own stream (`${seed}/length/${L}`), so it shares no
 * draws with the training data and a given length always gets the same samples.
 */
export function lengthTestSet(
  ds: Pick<Dataset, 'config'>,
  length: number,
  n: number = ds.config.nTest,
): LengthSplit {
  checkLength(length);
  return generateSplitAt(n, rngFrom(`${ds.config.seed}/length/${length}`), ds.config, length).split;
}

/**
 * Normalised tensors for samples `idx` of a length-L split, with the training mean and std:
 * x [batch, L, 1] (or [batch, L, 8] with the binary position channels (t >> k) & 1, which
 * repeat from step 128 on: 7 bits count to 127), y [batch, L, 1].
 */
export function lengthTensors(
  ds: Pick<Dataset, 'config' | 'mean' | 'std'>,
  split: LengthSplit,
  idx: ArrayLike<number>,
): { x: tf.Tensor3D; y: tf.Tensor3D } {
  const L = split.length;
  const b = idx.length;
  const ch = inputChannels(ds.config);
  const xs = new Float32Array(b * L * ch);
  const ys = new Float32Array(b * L);
  for (let k = 0; k < b; k++) {
    const i = idx[k];
    if (!Number.isInteger(i) || i < 0 || i >= split.n)
      throw new RangeError(`sample ${i} is outside the length-${L} split (0..${split.n - 1})`);
    for (let t = 0; t < L; t++) {
      const dst = (k * L + t) * ch;
      xs[dst] = (split.x[i * L + t] - ds.mean) / ds.std;
      if (ch > 1) for (let j = 0; j < POSITION_BITS; j++) xs[dst + 1 + j] = (t >> j) & 1;
      ys[k * L + t] = (split.y[i * L + t] - ds.mean) / ds.std;
    }
  }
  return { x: tf.tensor3d(xs, [b, L, ch]), y: tf.tensor3d(ys, [b, L, 1]) };
}
