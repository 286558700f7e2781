// The attention layer taken apart step by step (notebook 04), and the blog LSTM's batch axis
// laid bare (notebook 06). Each function returns plain rows a notebook shows as a table.
import * as tf from '@tensorflow/tfjs';
import { Dataset } from '../data/task';
import { batchTensors } from '../data/dataset';
import { Frame, recordsFrame } from '../viz/frames';
import { BuiltModel, resetState } from '../models/build';

const shapeOf = (t: tf.Tensor) => `[${t.shape.join(', ')}]`;

/**
 * Walks one [batch, 100, 64] activation through the attention layer with random weights and
 * records each step's shape. Channels-last, so the blog's QᵀK (channels × length layout) is
 * q·kᵀ here: [100, 100], one score per pair of positions; the other product would be
 * [key, key], a channel-by-channel matrix that says nothing about positions.
 */
export function attentionShapes(batch = 1, length = 100, channels = 64, key = 96): Frame {
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
    return recordsFrame(rows, ['step', 'expression', 'shape', 'note']);
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

/**
 * How much each sample's prediction moves when only the first sample of its batch changes.
 * For a model that treats samples independently only position 0 moves; the blog's LSTM reads
 * the batch as time, so every later sample moves too. Rows: (model, position, change).
 */
export function batchLeak(
  models: Record<string, BuiltModel>,
  data: Dataset,
  batchSize = 128,
): Frame {
  const idx = Int32Array.from({ length: Math.min(batchSize, data.test.n) }, (_, i) => i);
  const rows: { model: string; position: number; change: number }[] = [];
  for (const [name, m] of Object.entries(models)) {
    const { x, y } = batchTensors(data, 'test', idx);
    const change = tf.tidy(() => {
      resetState(m);
      const a = m.model.predict(x) as tf.Tensor;
      resetState(m);
      // Replace sample 0 by its negation; leave the rest of the batch alone.
      const mask = tf.concat([tf.fill([1, 100, 1], -1), tf.ones([idx.length - 1, 100, 1])]);
      const b = m.model.predict(tf.mul(x, mask)) as tf.Tensor;
      resetState(m);
      return tf.max(tf.abs(tf.sub(a, b)), [1, 2]).dataSync();
    });
    tf.dispose([x, y]);
    change.forEach((c, position) => rows.push({ model: name, position, change: c }));
  }
  return recordsFrame(rows, ['model', 'position', 'change']);
}
