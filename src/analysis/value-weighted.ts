// The value-weighted view of attention (value-maps.ts: A[i, j] · ‖v_j‖, renormalised per row)
// over many test samples at once, for statistics over the test set: each sample's raw and
// weighted maps (heads averaged, as attentionMaps does), what weighting changes in the score
// (ideal.ts) and in the pair reads (role-masses.ts), and how long the values are at floor steps
// and at the shorter and taller shape of each pair, which says where weighting moves the mass.
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH, shapesOf } from '../data/task';
import { batchTensors } from '../data/dataset';
import { Learner } from '../train/learner';
import { quartiles } from './attention-stats';
import { idealScore, shapeRoles } from './ideal';
import { pairReads } from './role-masses';
import { attentionParts, valueNorms, weightColumns } from './value-maps';

const L = SEQ_LENGTH;
const CELLS = L * L;

/** Each sample's raw and value-weighted map, [100 × 100] each, averaged over the heads. */
export function valueWeightedMaps(
  learner: Learner,
  samples: readonly number[],
  batch = 100,
): { raw: Float32Array[]; weighted: Float32Array[] } {
  const n = learner.data.test.n;
  if (samples.length === 0) throw new Error('valueWeightedMaps: no samples');
  for (const s of samples)
    if (!Number.isInteger(s) || s < 0 || s >= n)
      throw new RangeError(`sample ${s} is outside the test split (0..${n - 1})`);
  const parts = attentionParts(learner.built);
  const heads = parts.layer.heads;
  const raw: Float32Array[] = [];
  const weighted: Float32Array[] = [];
  for (let s = 0; s < samples.length; s += batch) {
    const idx = Int32Array.from(samples.slice(s, s + batch));
    const { x, y } = batchTensors(learner.data, 'test', idx);
    const [a, norms] = tf.tidy(() => {
      const h = parts.before.predict(x) as tf.Tensor3D;
      return [parts.layer.attention(h), valueNorms(parts, x)];
    });
    const all = a.dataSync() as Float32Array; // [b, heads, 100, 100]
    const allNorms = norms.dataSync() as Float32Array; // [b, heads, 100]
    tf.dispose([x, y, a, norms]);
    for (let k = 0; k < idx.length; k++) {
      const r = new Float32Array(CELLS);
      const w = new Float32Array(CELLS);
      for (let h = 0; h < heads; h++) {
        const at = (k * heads + h) * CELLS;
        const map = all.subarray(at, at + CELLS);
        const nAt = (k * heads + h) * L;
        const wm = weightColumns(map, allNorms.subarray(nAt, nAt + L));
        for (let c = 0; c < CELLS; c++) {
          r[c] += map[c] / heads;
          w[c] += wm[c] / heads;
        }
      }
      raw.push(r);
      weighted.push(w);
    }
  }
  return { raw, weighted }; // parts.before shares the model's layers: nothing of its own to free
}

/** What value weighting changes, over the given test samples: one row for each view of the maps. */
export interface WeightingRow {
  view: 'raw' | 'value-weighted';
  /** ideal.ts's score over all rows, over the shapes' rows and over the floor's rows. */
  score: number;
  scoreShapes: number;
  scoreFloor: number;
  /** Median lean of the box pairs and of the triangle pairs (role-masses.ts; ½ even, 1 all on one). */
  boxLean: number;
  triangleLean: number;
  /** Share of box and of triangle pairs whose pooled reads favour the taller shape. */
  boxesOnTaller: number;
  trianglesOnTaller: number;
}

/** The raw and the value-weighted maps of a model over `samples`, side by side. */
export function weightingEffect(learner: Learner, samples: readonly number[]): WeightingRow[] {
  const { raw, weighted } = valueWeightedMaps(learner, samples);
  const shapes = samples.map((s) => shapesOf(learner.data.test, s));
  const opts = { groupByLocations: learner.data.config.groupByLocations };
  return (
    [
      ['raw', raw],
      ['value-weighted', weighted],
    ] as const
  ).map(([view, maps]) => {
    const score = idealScore(maps, shapes, opts);
    const pairs = pairReads(maps, shapes, samples, opts);
    const of = (kind: string) => pairs.filter((p) => p.kind === kind);
    const lean = (kind: string) => quartiles(of(kind).map((p) => p.lean)).median;
    const taller = (kind: string) =>
      of(kind).filter((p) => p.favoured.height === 'taller').length / of(kind).length;
    return {
      view,
      score: score.all,
      scoreShapes: score.shapes,
      scoreFloor: score.floor,
      boxLean: lean('boxes'),
      triangleLean: lean('triangles'),
      boxesOnTaller: taller('boxes'),
      trianglesOnTaller: taller('triangles'),
    };
  });
}

/** The mean length of the value vectors, ‖v‖ (heads averaged), at the positions of one role. */
export interface ValueNormRow {
  /** 'floor', or a kind with its place in its pair by input height: 'box, taller' … */
  positions: string;
  count: number;
  meanNorm: number;
}

const NORM_ROLES = [
  'floor',
  'triangle, shorter',
  'triangle, taller',
  'box, shorter',
  'box, taller',
];

/**
 * Over the given test samples, how long the values are at floor steps and at the steps of the
 * shorter and the taller shape of each pair (ties count as taller). A value-weighted map moves
 * mass towards the roles with the longer values.
 */
export function valueNormsByRole(
  learner: Learner,
  samples: readonly number[],
  batch = 100,
): ValueNormRow[] {
  const n = learner.data.test.n;
  if (samples.length === 0) throw new Error('valueNormsByRole: no samples');
  for (const s of samples)
    if (!Number.isInteger(s) || s < 0 || s >= n)
      throw new RangeError(`sample ${s} is outside the test split (0..${n - 1})`);
  const parts = attentionParts(learner.built);
  const heads = parts.layer.heads;
  const sum = new Float64Array(NORM_ROLES.length);
  const count = new Float64Array(NORM_ROLES.length);
  for (let s = 0; s < samples.length; s += batch) {
    const idx = Int32Array.from(samples.slice(s, s + batch));
    const { x, y } = batchTensors(learner.data, 'test', idx);
    const norms = valueNorms(parts, x);
    const all = norms.dataSync() as Float32Array; // [b, heads, 100]
    tf.dispose([x, y, norms]);
    idx.forEach((sample, k) => {
      const shapes = shapesOf(learner.data.test, sample);
      const role = shapeRoles(shapes);
      for (let t = 0; t < L; t++) {
        const r = role[t];
        const g = r < 0 ? 0 : 1 + (r < 2 ? 0 : 2) + (shapes[r].h >= shapes[r ^ 1].h ? 1 : 0);
        for (let h = 0; h < heads; h++) sum[g] += all[(k * heads + h) * L + t] / heads;
        count[g]++;
      }
    });
  }
  return NORM_ROLES.map((positions, g) => ({
    positions,
    count: count[g],
    meanNorm: count[g] ? sum[g] / count[g] : NaN,
  }));
}
