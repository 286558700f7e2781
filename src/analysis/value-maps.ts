// What the attention layer's values carry, and the map weighted by them. The layer's output at i
// is Σ_j A[i, j] · v_j, so a cell with a large weight on a value vector near 0 moves the output
// less than a small weight on a long one. Weighting each cell by the length of the value it
// reads, A[i, j] · ‖v_j‖, renormalised per row, shows where the output's content comes from
// rather than where the softmax looks (the "value-weighted" view of attention maps).
// Everything goes through public APIs: the layer's input from a sub-model of the trained model,
// A from the layer's own `attention(x)`, and v = x · Wv from the layer's `value` weight, exactly
// as SelfAttention.call computes it (no position encoding on V, heads split by channel slices).
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH } from '../data/task';
import { batchTensors } from '../data/dataset';
import { BuiltModel, attentionLayer } from '../models/build';
import { SelfAttention } from '../models/layers/attention';
import { Learner } from '../train/learner';

/** The model up to its attention layer, with the layer: what the layer reads, A and V. */
export interface AttentionParts {
  layer: SelfAttention;
  /** Inputs [b, 100, in] → the attention layer's input [b, 100, c]. */
  before: tf.LayersModel;
}

/** Cuts a model with a SelfAttention layer at that layer's input. */
export function attentionParts(built: BuiltModel): AttentionParts {
  const layer = attentionLayer(built);
  const before = tf.model({
    inputs: built.model.inputs,
    outputs: layer.input as tf.SymbolicTensor,
  });
  return { layer, before };
}

/** The layer's value weight Wv, [c, out], read through its public weights list. */
function valueWeight(layer: SelfAttention): tf.Tensor2D {
  const w = layer.weights.find((v) => v.originalName.split('/').pop() === 'value');
  if (!w) throw new Error(`SelfAttention '${layer.name}' has no 'value' weight`);
  return w.read() as tf.Tensor2D; // the variable itself: never dispose it
}

/**
 * The value vectors of the layer's input h ([b, 100, c]), split by head as the layer splits
 * them: [b, heads, 100, out/heads]. Output = A · this, heads joined, is the layer's output.
 */
export function valuesOf(layer: SelfAttention, h: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, l, c] = h.shape;
    const w = valueWeight(layer);
    const out = w.shape[1];
    const v = tf.matMul(tf.reshape(h, [b * l, c]), w).reshape([b, l, out]); // [b, L, out]
    const heads = layer.heads;
    return tf.transpose(tf.reshape(v, [b, l, heads, out / heads]), [0, 2, 1, 3]) as tf.Tensor4D;
  });
}

/** ‖v_j‖ per head and input position for inputs x ([b, 100, in]): [b, heads, 100]. */
export function valueNorms(parts: AttentionParts, x: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const h = parts.before.predict(x) as tf.Tensor3D;
    return tf.norm(valuesOf(parts.layer, h), 'euclidean', -1) as tf.Tensor3D;
  });
}

/**
 * A[i, j] · w_j renormalised per row, for one [100 × 100] map and one weight per input position
 * ([100], all ≥ 0). A row whose weighted mass is 0 stays 0.
 */
export function weightColumns(a: ArrayLike<number>, w: ArrayLike<number>): Float32Array {
  const L = SEQ_LENGTH;
  if (a.length !== L * L || w.length !== L)
    throw new Error(
      `weightColumns: a [100 × 100] map and 100 weights, got ${a.length} cells and ${w.length} weights`,
    );
  if (Array.from(w).some((v) => !(v >= 0)))
    throw new Error('weightColumns: every weight must be a number ≥ 0');
  const out = new Float32Array(L * L);
  for (let i = 0; i < L; i++) {
    let s = 0;
    for (let j = 0; j < L; j++) s += a[i * L + j] * w[j];
    if (s > 0) for (let j = 0; j < L; j++) out[i * L + j] = (a[i * L + j] * w[j]) / s;
  }
  return out;
}

/** One test sample's raw maps, value-weighted maps and value norms, one of each per head. */
export interface ValueMaps {
  /** [100 × 100] per head: the softmax's A. */
  raw: Float32Array[];
  /** [100 × 100] per head: A[i, j] · ‖v_j‖, renormalised per row. */
  weighted: Float32Array[];
  /** [100] per head: ‖v_j‖ at each input position. */
  norms: Float32Array[];
}

/** The raw and value-weighted maps of one test sample of a trained attention model. */
export function valueMapsOf(learner: Learner, sample: number): ValueMaps {
  const n = learner.data.test.n;
  if (!Number.isInteger(sample) || sample < 0 || sample >= n)
    throw new RangeError(`sample ${sample} is outside the test split (0..${n - 1})`);
  const parts = attentionParts(learner.built);
  const { x, y } = batchTensors(learner.data, 'test', [sample]);
  const [a, norms] = tf.tidy(() => {
    const h = parts.before.predict(x) as tf.Tensor3D;
    return [parts.layer.attention(h), valueNorms(parts, x)];
  });
  const cells = SEQ_LENGTH * SEQ_LENGTH;
  const all = a.dataSync() as Float32Array; // [1, heads, 100, 100]
  const nAll = norms.dataSync() as Float32Array; // [1, heads, 100]
  tf.dispose([x, y, a, norms]);
  const heads = parts.layer.heads;
  const raw = Array.from({ length: heads }, (_, k) => all.slice(k * cells, (k + 1) * cells));
  const normsOf = Array.from({ length: heads }, (_, k) =>
    nAll.slice(k * SEQ_LENGTH, (k + 1) * SEQ_LENGTH),
  );
  return {
    raw,
    weighted: raw.map((m, k) => weightColumns(m, normsOf[k])),
    norms: normsOf,
  };
}
