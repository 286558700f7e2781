// The toy seq2seq task of François Fleuret's attentiontoy1d.py (public domain, May 2020), as
// used by the "Exploring attention" walk-through: each 100-step sequence holds 2 triangles and
// 2 boxes; the target replaces each pair's height with the pair's mean height.
// Ported draw for draw in structure (not in random stream: a seeded JS PRNG replaces torch's),
// including the original's quirk of checking the triangle heights twice and the boxes never.
import seedrandom from 'seedrandom';

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
  /** Training samples (the 80/20 train/valid split is taken from these). Default 25,000. */
  nTrain: number;
  /** Test samples, drawn after the training ones from the same stream. Default 1,000. */
  nTest: number;
  /** PRNG seed; the walk-through uses 42. */
  seed: number;
  /** Width of the uniform noise, centred on 0: [-0.15, 0.15] for 0.3. */
  noiseLevel: number;
  /** Fleuret's variant: average the two leftmost and the two rightmost shapes, whatever their kind. */
  groupByLocations: boolean;
  /** Fleuret's variant: 7 binary position channels appended to the input (see `positionChannels`). */
  positionalEncoding: boolean;
  /** Share of the training samples held out for validation. Default 0.2. */
  validFraction: number;
}

export const DEFAULT_DATA: Readonly<DataConfig> = {
  nTrain: 25_000,
  nTest: 1_000,
  seed: 42,
  noiseLevel: 0.3,
  groupByLocations: false,
  positionalEncoding: false,
  validFraction: 0.2,
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
  train: Split;
  test: Split;
  /** Mean and (unbiased) std over the training inputs and targets together (≈ 3.33 and 5.99). */
  mean: number;
  std: number;
  /** Draws rejected for collisions or too-close heights, train and test together. */
  rejected: number;
  /** Indices into `train` for fitting and for validation (a seeded random 80/20 split). */
  trainIdx: Int32Array;
  validIdx: Int32Array;
}

export function validateDataConfig(c: DataConfig): DataConfig {
  const whole = (k: keyof DataConfig, min: number) => {
    const v = c[k] as number;
    if (!Number.isInteger(v) || v < min) throw new Error(`data config: ${k} must be an integer >= ${min}, got ${v}`);
  };
  whole('nTrain', 2);
  whole('nTest', 1);
  whole('seed', 0);
  if (!(c.noiseLevel >= 0 && Number.isFinite(c.noiseLevel))) throw new Error(`data config: noiseLevel must be a finite number >= 0, got ${c.noiseLevel}`);
  if (!(c.validFraction > 0 && c.validFraction < 1)) throw new Error(`data config: validFraction must be in (0, 1), got ${c.validFraction}`);
  if (Math.floor(c.nTrain * c.validFraction) < 1 || c.nTrain - Math.floor(c.nTrain * c.validFraction) < 1) {
    throw new Error(`data config: nTrain ${c.nTrain} is too small to split ${c.validFraction} off for validation`);
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
export function collides(shapes: readonly Shape[]): boolean {
  let prev = shapes.map((s, i) => Math.sign(profileAt(i)(s, 0)));
  for (let t = 1; t < SEQ_LENGTH; t++) {
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

/** Validity rule on heights; `collides` is checked separately. */
export function heightsValid(shapes: readonly Shape[], groupByLocations: boolean): boolean {
  if (groupByLocations) {
    const left = leftMask(shapes);
    const hl = shapes.reduce((a, s, i) => a + (left[i] ? s.h : 0), 0) / 2;
    const hr = shapes.reduce((a, s, i) => a + (left[i] ? 0 : s.h), 0) / 2;
    return Math.abs(hl - hr) > 4;
  }
  // Quirk kept from the original: the triangle test appears twice and the boxes are never tested.
  const dt = Math.abs(shapes[0].h - shapes[1].h);
  return dt > 4 && dt > 4;
}

/** The target's shapes: each pair's height replaced by the pair's mean. */
export function targetShapes(shapes: readonly Shape[], groupByLocations: boolean): Shape[] {
  if (groupByLocations) {
    const left = leftMask(shapes);
    const hl = shapes.reduce((a, s, i) => a + (left[i] ? s.h : 0), 0) / 2;
    const hr = shapes.reduce((a, s, i) => a + (left[i] ? 0 : s.h), 0) / 2;
    return shapes.map((s, i) => ({ ...s, h: left[i] ? hl : hr }));
  }
  const ht = (shapes[0].h + shapes[1].h) / 2;
  const hb = (shapes[2].h + shapes[3].h) / 2;
  return shapes.map((s, i) => ({ ...s, h: i < 2 ? ht : hb }));
}

/** Noise-free sequence: the element-wise max over the four shapes. */
export function cleanSequence(shapes: readonly Shape[]): Float64Array {
  const out = new Float64Array(SEQ_LENGTH);
  for (let t = 0; t < SEQ_LENGTH; t++) {
    let m = 0;
    for (let i = 0; i < shapes.length; i++) m = Math.max(m, profileAt(i)(shapes[i], t));
    out[t] = m;
  }
  return out;
}

type Rng = () => number;
const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();

function drawShapes(rng: Rng): Shape[] {
  // Same order as the original: triangles' centres, heights, widths, then the boxes'.
  const pair = (): Shape[] => {
    const c = [0, 1].map(() => uniform(rng, WIDTH_MAX / 2, SEQ_LENGTH - WIDTH_MAX / 2));
    const h = [0, 1].map(() => uniform(rng, HEIGHT_MIN, HEIGHT_MAX));
    const w = [0, 1].map(() => uniform(rng, WIDTH_MIN, WIDTH_MAX));
    return [0, 1].map((i) => ({ c: c[i], h: h[i], w: w[i] }));
  };
  return [...pair(), ...pair()];
}

function generateSplit(n: number, rng: Rng, cfg: DataConfig): { split: Split; rejected: number } {
  const split: Split = { n, x: new Float32Array(n * SEQ_LENGTH), y: new Float32Array(n * SEQ_LENGTH), shapes: new Float64Array(n * 12) };
  const noise = () => rng() * cfg.noiseLevel - cfg.noiseLevel / 2;
  let rejected = 0;
  for (let k = 0; k < n; ) {
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

/** Fisher–Yates with the given PRNG. */
function permutation(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
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

/** Builds the whole dataset from scratch (no cache; see `loadDataset` in dataset-cache.ts). */
export function generateDataset(config: DataConfig): Dataset {
  validateDataConfig(config);
  const rng = seedrandom.alea(String(config.seed));
  const tr = generateSplit(config.nTrain, rng, config);
  const te = generateSplit(config.nTest, rng, config);
  const { mean, std } = meanStd(tr.split.x, tr.split.y);
  // A separate stream for the split, so changing nTest never reshuffles train/valid.
  const perm = permutation(config.nTrain, seedrandom.alea(`${config.seed}/split`));
  const cut = Math.floor(config.validFraction * config.nTrain);
  return {
    config: { ...config },
    train: tr.split,
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
  for (let t = 0; t < SEQ_LENGTH; t++) for (let k = 0; k < POSITION_BITS; k++) out[t * POSITION_BITS + k] = (t >> k) & 1;
  return out;
}

/** Input channels a model needs for this data config: 1, or 1 + 7 with positional encoding. */
export function inputChannels(config: Pick<DataConfig, 'positionalEncoding'>): number {
  return config.positionalEncoding ? 1 + POSITION_BITS : 1;
}
