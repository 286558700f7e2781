// The attention layer taken apart step by step (notebook 04): its shapes, and why a kernel-size-1
// conv is a linear map. Each function returns plain rows a notebook shows as a table.
import * as tf from '@tensorflow/tfjs';

const shapeOf = (t: tf.Tensor) => `[${t.shape.join(', ')}]`;

/**
 * Walks one [batch, 100, 64] activation through the attention layer with random weights and
 * records each step's shape. Channels-last, so the blog's QᵀK (channels × length layout) is
 * q·kᵀ here: [100, 100], one score per pair of positions; the other product would be
 * [key, key], a channel-by-channel matrix that says nothing about positions.
 */
export interface ShapeStep {
  step: string;
  expression: string;
  shape: string;
  note: string;
}

export function attentionShapes(batch = 1, length = 100, channels = 64, key = 96): ShapeStep[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, length, channels], 0, 1, 'float32', 0) as tf.Tensor3D;
    const wq = tf.randomNormal([channels, key], 0, 0.1, 'float32', 1) as tf.Tensor2D;
    const wk = tf.randomNormal([channels, key], 0, 0.1, 'float32', 2) as tf.Tensor2D;
    const wv = tf.randomNormal([channels, channels], 0, 0.1, 'float32', 3) as tf.Tensor2D;
    const proj = (w: tf.Tensor2D) =>
      tf
        .matMul(x.reshape([batch * length, channels]), w)
        .reshape([batch, length, w.shape[1]]) as tf.Tensor3D;
    const q = proj(wq);
    const k = proj(wk);
    const v = proj(wv);
    const scores = tf.matMul(q, k, false, true);
    const wrongWay = tf.matMul(q, k, true, false);
    const a = tf.softmax(scores);
    const rowSums = tf.sum(a, -1);
    const y = tf.matMul(a, v);
    const rows = [
      { step: 'input x', expression: 'x', shape: shapeOf(x), note: 'batch, positions, channels' },
      {
        step: 'queries',
        expression: 'q = x·Wq',
        shape: shapeOf(q),
        note: `a kernel-size-1 conv: ${channels} → ${key} channels at every position`,
      },
      { step: 'keys', expression: 'k = x·Wk', shape: shapeOf(k), note: `${channels} → ${key}` },
      {
        step: 'values',
        expression: 'v = x·Wv',
        shape: shapeOf(v),
        note: `${channels} → ${channels}`,
      },
      {
        step: 'scores',
        expression: 'q·kᵀ',
        shape: shapeOf(scores),
        note: 'one score per (output, input) pair of positions: what we want',
      },
      {
        step: '(the other product)',
        expression: 'qᵀ·k',
        shape: shapeOf(wrongWay),
        note: 'channel × channel: no positions left, not attention',
      },
      {
        step: 'attention',
        expression: 'A = softmax(q·kᵀ)',
        shape: shapeOf(a),
        note: `rows sum to 1: min ${tf.min(rowSums).dataSync()[0].toFixed(6)}, max ${tf.max(rowSums).dataSync()[0].toFixed(6)}`,
      },
      {
        step: 'output',
        expression: 'y = A·v',
        shape: shapeOf(y),
        note: 'each output position is a weighted mean of the values',
      },
    ];
    return rows;
  });
}

/** A kernel-size-1 conv and a per-position linear map give the same numbers: the largest difference. */
export function convEqualsLinear(
  batch = 2,
  length = 100,
  cin = 64,
  cout = 96,
): { maxAbsDiff: number; convShape: string; linearShape: string } {
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, length, cin], 0, 1, 'float32', 4) as tf.Tensor3D;
    const w = tf.randomNormal([cin, cout], 0, 0.1, 'float32', 5) as tf.Tensor2D;
    const conv = tf.conv1d(x, w.reshape([1, cin, cout]) as tf.Tensor3D, 1, 'same');
    const linear = tf.matMul(x.reshape([batch * length, cin]), w).reshape([batch, length, cout]);
    return {
      maxAbsDiff: tf.max(tf.abs(tf.sub(conv, linear))).dataSync()[0],
      convShape: shapeOf(conv),
      linearShape: shapeOf(linear),
    };
  });
}
