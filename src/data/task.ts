// The toy seq2seq task of François Fleuret's attentiontoy1d.py (public domain, May 2020), as
// used by the "Exploring attention" walk-through: each 100-step sequence holds 2 triangles and
// 2 boxes; the target replaces each pair's height with the pair's mean height.
// Ported draw for draw in structure (not in random stream: a seeded JS PRNG replaces torch's),
// including the original's quirk of checking the triangle heights twice and the boxes never.
import { checkBool, checkInt, checkNumber, ConfigError } from '../runtime/validate';
import { Rng, permutation, rngFrom, uniform } from './random';

export const SEQ_LENGTH = 100;
export const HEIGHT_MIN = 1;
export const HEIGHT_MAX = 25;
export const WIDTH_MIN = 5;
export const WIDTH_MAX = 11;
/** Number of binary position channels of the `positionalEncoding` variant: (t >> k) & 1, k < 7. */
export const POSITION_BITS = 7;
/** Bumped whenever generation changes, so stale caches are never reused. */
export const GENERATOR_VERSION = 1;

export interface DataConfig {
  /** Training samples; the train/valid split is taken from these. */
  nTrain: number;
  /** Test samples, drawn after the training ones from the same stream. */
  nTest: number;
  /** PRNG seed. */
  seed: number;
  /** Width of the uniform noise, centred on 0. */
  noiseLevel: number;
  /** Fleuret's variant: average the two leftmost and the two rightmost shapes, whatever their kind. */
  groupByLocations: boolean;
  /** Fleuret's variant: 7 binary position channels appended to the input (see `positionChannels`). */
  positionalEncoding: boolean;
  /** Share of the training samples held out for validation. */
  validFraction: number;
}

export const DEFAULT_DATA: Readonly<DataConfig> = {
  nTrain: 25_000, // the walk-through's training set
  nTest: 1_000, // the walk-through's test set
  seed: 42, // the walk-through seeds torch with 42
  noiseLevel: 0.3, // Fleuret's default: U(-0.15, 0.15) on every step
  groupByLocations: false, // the walk-through's task pairs shapes by kind
  positionalEncoding: false, // the walk-through feeds the bare sequence
  validFraction: 0.2, // fastai's default hold-out, as the blog uses
};

/** One shape: centre, height, width. */
export interface Shape {
  c: number;
  h: number;
  w: number;
}

/** Samples of one split. `x` and `y` are [n, 100] row-major; `shapes` is [n, 4] (tri, tri, box, box). */
export interface Split {
  n: number;
  x: Float32Array;
  y: Float32Array;
  shapes: Float64Array; // n × 4 × 3 (c, h, w)
}

export interface Dataset {
  config: DataConfig;
  /**
   * The samples drawn for training (25,000 at full size). The fitted ones (`trainIdx`) and the
   * validation hold-out (`validIdx`) are both taken from this pool.
   */
  pool: Split;
  test: Split;
  /** Mean and (unbiased) std over the training inputs and targets together (≈ 3.33 and 5.99). */
  mean: number;
  std: number;
  /** Draws rejected for collisions or too-close heights, train and test together. */
  rejected: number;
  /** Indices into `pool` for fitting and for validation (a seeded random 80/20 split). */
  trainIdx: Int32Array;
  validIdx: Int32Array;
}

/** Checks every field; throws a ConfigError naming the first bad one. */
export function validateDataConfig(c: DataConfig): DataConfig {
  checkInt('data.nTrain', c.nTrain, 2);
  checkInt('data.nTest', c.nTest, 1);
  checkInt('data.seed', c.seed, 0);
  checkNumber('data.noiseLevel', c.noiseLevel, { min: 0 });
  checkNumber('data.validFraction', c.validFraction, {
    min: 0,
    max: 1,
    minOpen: true,
    maxOpen: true,
  });
  checkBool('data.groupByLocations', c.groupByLocations);
  checkBool('data.positionalEncoding', c.positionalEncoding);
  const cut = Math.floor(c.nTrain * c.validFraction);
  if (cut < 1 || c.nTrain - cut < 1) {
    throw new ConfigError(
      'data.nTrain',
      `data.nTrain ${c.nTrain} is too small to split ${c.validFraction} off for validation`,
    );
  }
  return c;
}

/** Triangle profile at step t: relu(h - relu(|t - c| - 0.5) · 2h / w). */
export function triangleAt(s: Shape, t: number): number {
  return Math.max(0, s.h - (Math.max(0, Math.abs(t - s.c) - 0.5) * 2 * s.h) / s.w);
}

/** Box profile at step t: sign(relu(h - |(t - c) · 2h / w|)) · h. */
export function boxAt(s: Shape, t: number): number {
  return s.h - Math.abs(((t - s.c) * 2 * s.h) / s.w) > 0 ? s.h : 0;
}

const profileAt = (i: number) => (i < 2 ? triangleAt : boxAt);

/**
 * The original's collision test: max-pool (width 2, stride 1) over each shape's sign, then two
 * shapes non-zero at the same step is a collision. So shapes must be at least one step apart.
 */
export function collides(shapes: readonly Shape[], length = SEQ_LENGTH): boolean {
  let prev = shapes.map((s, i) => Math.sign(profileAt(i)(s, 0)));
  for (let t = 1; t < length; t++) {
    const cur = shapes.map((s, i) => Math.sign(profileAt(i)(s, t)));
    let active = 0;
    for (let i = 0; i < shapes.length; i++) active += Math.max(prev[i], cur[i]);
    if (active > 1) return true;
    prev = cur;
  }
  return false;
}

/** Which shapes are "left": the two with the smallest centres (the original compares to the 3rd smallest). */
function leftMask(shapes: readonly Shape[]): boolean[] {
  const third = shapes.map((s) => s.c).sort((a, b) => a - b)[2];
  return shapes.map((s) => s.c < third);
}

/**
 * The two groups whose heights the target averages, and each group's mean height: the two
 * triangles and the two boxes, or (groupByLocations) the two leftmost and two rightmost shapes.
 */
function groupMeans(shapes: readonly Shape[], groupByLocations: boolean) {
  const inFirst = groupByLocations ? leftMask(shapes) : shapes.map((_, i) => i < 2);
  const mean = (first: boolean) =>
    shapes.reduce((a, s, i) => a + (inFirst[i] === first ? s.h : 0), 0) / 2;
  return { inFirst, first: mean(true), second: mean(false) };
}

/** Validity rule on heights; `collides` is checked separately. */
export function heightsValid(shapes: readonly Shape[], groupByLocations: boolean): boolean {
  if (groupByLocations) {
    const g = groupMeans(shapes, true);
    return Math.abs(g.first - g.second) > 4;
  }
  // Quirk kept from the original: the triangle test appears twice and the boxes are never tested.
  const dt = Math.abs(shapes[0].h - shapes[1].h);
  return dt > 4 && dt > 4;
}

/** The target's shapes: each pair's height replaced by the pair's mean. */
export function targetShapes(shapes: readonly Shape[], groupByLocations: boolean): Shape[] {
  const g = groupMeans(shapes, groupByLocations);
  return shapes.map((s, i) => ({ ...s, h: g.inFirst[i] ? g.first : g.second }));
}

/** Noise-free sequence: the element-wise max over the four shapes. */
export function cleanSequence(shapes: readonly Shape[], length = SEQ_LENGTH): Float64Array {
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    let m = 0;
    for (let i = 0; i < shapes.length; i++) m = Math.max(m, profileAt(i)(shapes[i], t));
    out[t] = m;
  }
  return out;
}

export function drawShapes(rng: Rng, length = SEQ_LENGTH): Shape[] {
  // Same order as the original: triangles' centres, heights, widths, then the boxes'.
  const pair = (): Shape[] => {
    const c = [0, 1].map(() => uniform(rng, WIDTH_MAX / 2, length - WIDTH_MAX / 2));
    const h = [0, 1].map(() => uniform(rng, HEIGHT_MIN, HEIGHT_MAX));
    const w = [0, 1].map(() => uniform(rng, WIDTH_MIN, WIDTH_MAX));
    return [0, 1].map((i) => ({ c: c[i], h: h[i], w: w[i] }));
  };
  return [...pair(), ...pair()];
}

function generateSplit(n: number, rng: Rng, cfg: DataConfig): { split: Split; rejected: number } {
  const split: Split = {
    n,
    x: new Float32Array(n * SEQ_LENGTH),
    y: new Float32Array(n * SEQ_LENGTH),
    shapes: new Float64Array(n * 12),
  };
  const noise = () => rng() * cfg.noiseLevel - cfg.noiseLevel / 2;
  let rejected = 0;
  for (let k = 0; k < n;) {
    const shapes = drawShapes(rng);
    if (!heightsValid(shapes, cfg.groupByLocations) || collides(shapes)) {
      rejected++;
      continue;
    }
    const xs = cleanSequence(shapes);
    const ys = cleanSequence(targetShapes(shapes, cfg.groupByLocations));
    for (let t = 0; t < SEQ_LENGTH; t++) split.x[k * SEQ_LENGTH + t] = xs[t] + noise();
    // The target gets its own, fresh noise.
    for (let t = 0; t < SEQ_LENGTH; t++) split.y[k * SEQ_LENGTH + t] = ys[t] + noise();
    shapes.forEach((s, i) => split.shapes.set([s.c, s.h, s.w], k * 12 + i * 3));
    k++;
  }
  return { split, rejected };
}

/** Shapes of sample i of a split, as (tri, tri, box, box). */
export function shapesOf(split: Split, i: number): Shape[] {
  return [0, 1, 2, 3].map((j) => {
    const o = i * 12 + j * 3;
    return { c: split.shapes[o], h: split.shapes[o + 1], w: split.shapes[o + 2] };
  });
}

/** Mean and unbiased std of the concatenation of the given arrays (in float64). */
export function meanStd(...arrays: Float32Array[]): { mean: number; std: number } {
  let n = 0;
  let sum = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) sum += a[i];
    n += a.length;
  }
  const mean = sum / n;
  let ss = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) ss += (a[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/** Builds the whole dataset from scratch (no cache; `loadDataset` in dataset.ts caches it). */
export function generateDataset(config: DataConfig): Dataset {
  validateDataConfig(config);
  const rng = rngFrom(String(config.seed));
  const tr = generateSplit(config.nTrain, rng, config);
  const te = generateSplit(config.nTest, rng, config);
  const { mean, std } = meanStd(tr.split.x, tr.split.y);
  // A separate stream for the split, so changing nTest never reshuffles train/valid.
  const perm = permutation(config.nTrain, rngFrom(`${config.seed}/split`));
  const cut = Math.floor(config.validFraction * config.nTrain);
  return {
    config: { ...config },
    pool: tr.split,
    test: te.split,
    mean,
    std,
    rejected: tr.rejected + te.rejected,
    validIdx: perm.slice(0, cut),
    trainIdx: perm.slice(cut),
  };
}

/** The 7 binary position channels: channel k at step t is (t >> k) & 1. Shape [100, 7], row-major. */
export function positionChannels(): Float32Array {
  const out = new Float32Array(SEQ_LENGTH * POSITION_BITS);
  for (let t = 0; t < SEQ_LENGTH; t++)
    for (let k = 0; k < POSITION_BITS; k++) out[t * POSITION_BITS + k] = (t >> k) & 1;
  return out;
}

/** Input channels a model needs for this data config: 1, or 1 + 7 with positional encoding. */
export function inputChannels(config: Pick<DataConfig, 'positionalEncoding'>): number {
  return config.positionalEncoding ? 1 + POSITION_BITS : 1;
}
