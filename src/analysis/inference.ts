// What a trained model says about given samples: its predictions and, for models with an
// attention layer, the attention matrices. Figures draw these arrays; they never run a model.
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH } from '../data/task';
import { batchTensors } from '../data/dataset';
import { BuiltModel, attentionLayer } from '../models/build';
import { AttentionPooling } from '../models/layers/pooling';
import { Learner } from '../train/learner';

/**
 * The attention matrices for inputs x ([batch, 100, in]): runs the layers before the attention,
 * then asks the layer for A. Returns [batch, heads, 100, 100]; row i is output position i.
 */
export function attentionMap(m: BuiltModel, x: tf.Tensor3D): tf.Tensor4D {
  const layer = attentionLayer(m);
  const inner = tf.model({ inputs: m.model.inputs, outputs: layer.input as tf.SymbolicTensor });
  return tf.tidy(() => {
    const a = layer.attention(inner.predict(x) as tf.Tensor3D) as tf.Tensor;
    return (a.rank === 3 ? a.expandDims(1) : a) as tf.Tensor4D; // [b, heads, 100, 100]
  });
}

/** One test sample's attention, per head: `heads` matrices of [100 × 100], row-major (row = output). */
export function attentionOf(learner: Learner, testSample: number): Float32Array[] {
  const { x, y } = batchTensors(learner.data, 'test', [testSample]);
  const a = attentionMap(learner.built, x); // [1, heads, 100, 100]
  const all = a.dataSync() as Float32Array;
  const heads = a.shape[1];
  tf.dispose([x, y, a]);
  const size = SEQ_LENGTH * SEQ_LENGTH;
  return Array.from({ length: heads }, (_, h) => all.slice(h * size, (h + 1) * size));
}

/** Normalised predictions of each learner for the given test samples, [samples × 100] each. */
export function predictSamples(
  learners: Record<string, Learner>,
  samples: readonly number[],
): Record<string, Float32Array> {
  return Object.fromEntries(
    Object.entries(learners).map(([name, l]) => [name, l.predict('test', samples)]),
  );
}

/**
 * The pooling weights β of a `pooled` model for the given test samples: [samples × 100], each
 * row summing to 1 over the positions (which positions the single context vector is read from).
 */
export function poolingWeights(learner: Learner, samples: readonly number[]): Float32Array {
  const layer = learner.built.model.layers.find((l) => l instanceof AttentionPooling) as
    AttentionPooling | undefined;
  if (!layer) throw new Error(`model '${learner.built.kind}' has no AttentionPooling layer`);
  const m = learner.built.model;
  const inner = tf.model({ inputs: m.inputs, outputs: layer.input as tf.SymbolicTensor });
  const { x, y } = batchTensors(learner.data, 'test', samples);
  const beta = tf.tidy(() => layer.attention(inner.predict(x) as tf.Tensor3D)); // [samples, 100]
  const out = beta.dataSync() as Float32Array;
  tf.dispose([x, y, beta]);
  return out;
}
