// Additive attention pooling (src/models/layers/pooling.ts): β = softmax_t(tanh(x·W + b)),
// context = Σ β_t·x_t, concatenated to every position.
import '../../setup';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeOnBackends } from '../../backends';
import { AttentionPooling } from '../../../src/models/layers/pooling';
import {
  assertClose,
  assertNoLeak,
  assertSameGrads,
  assertValues,
  layerGrads,
  maxDiff,
  plainGrads,
  savedAndLoaded,
} from './check';

/** The pooling written plainly: β = e^c / Σ e^c, the context as a weighted sum. */
function plainPooling(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [, l] = x.shape;
  const xw = tf.sum(tf.mul(x, tf.reshape(w, [1, 1, -1])), 2); // [b, L]
  const e = tf.exp(tf.tanh(tf.add(xw, b)));
  const beta = tf.div(e, tf.sum(e, 1, true)); // [b, L]
  const context = tf.sum(tf.mul(x, tf.expandDims(beta, 2)), 1, true); // [b, 1, C]
  return tf.concat([x, tf.tile(context, [1, l, 1])], 2);
}

function built(x: tf.Tensor, seed?: number): AttentionPooling {
  const layer = new AttentionPooling({ seed });
  tf.dispose(layer.apply(x) as tf.Tensor);
  return layer;
}

describeOnBackends('AttentionPooling', () => {
  it('gives exact values on a tiny input', () => {
    const x = tf.tensor3d([
      [
        [1, 0],
        [0, 2],
      ],
    ]); // [1, L = 2, C = 2]
    const layer = built(x);
    layer.setWeights([tf.tensor2d([[1], [0]]), tf.tensor1d([0, 0.5])]);
    // c = tanh((1, 0) + (0, 0.5)); β = softmax(c); context = β0·(1, 0) + β1·(0, 2).
    const [e0, e1] = [Math.exp(Math.tanh(1)), Math.exp(Math.tanh(0.5))];
    const [b0, b1] = [e0 / (e0 + e1), e1 / (e0 + e1)];
    assertValues(layer.attention(x), [[b0, b1]]);
    assertValues(layer.apply(x) as tf.Tensor, [
      [
        [1, 0, b0, 2 * b1],
        [0, 2, b0, 2 * b1],
      ],
    ]);
  });

  it('has a (C, 1) kernel and one bias per position, and matches the plain version: values and gradients', () => {
    const x = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 1);
    const layer = built(x, 2);
    const [w, b] = layer.getWeights();
    assert.deepEqual([w.shape, b.shape], [[4, 1], [6]]);
    assert.equal(tf.max(tf.abs(b)).dataSync()[0], 0, 'the bias starts at zero');
    // A nonzero bias, so its gradient path is exercised with distinct values per position.
    layer.setWeights([w, tf.randomNormal([6], 0, 1, 'float32', 3)]);
    const weights = layer.getWeights();
    const y = layer.apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [3, 6, 8]);
    assertClose(y, plainPooling(x, weights[0], weights[1]));
    assertClose(tf.sum(layer.attention(x), 1), tf.ones([3]));
    assertSameGrads(layerGrads(layer, x, 4), plainGrads(plainPooling, x, weights, 4), [
      'x',
      'kernel',
      'bias',
    ]);
  });

  it('survives getConfig → fromConfig and a model save/load', async () => {
    const layer = new AttentionPooling({ seed: 5, name: 'pool' });
    const config = layer.getConfig();
    assert.equal(config.seed, 5);
    const copy = AttentionPooling.fromConfig(AttentionPooling, config) as AttentionPooling;
    assert.deepEqual(copy.getConfig(), config);
    assert.deepEqual(copy.computeOutputShape([null, 100, 64]), [null, 100, 128]);
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 6);
    const { before, after, loaded } = await savedAndLoaded(layer, x);
    assert.ok(loaded.layers.some((l) => l instanceof AttentionPooling));
    assert.equal(maxDiff(before, after), 0);
  });

  it('states its input rank, length and channels', () => {
    const layer = new AttentionPooling();
    assert.throws(() => layer.attention(tf.zeros([1, 4, 3])), /not built yet/);
    assert.throws(() => layer.apply(tf.zeros([4, 3])), /expected ndim=3, found ndim=2/);
    layer.apply(tf.zeros([1, 4, 3]));
    assert.throws(
      () => layer.apply(tf.zeros([1, 5, 3])),
      /expected axis 1 of input shape to have value 4/,
    );
    assert.throws(() => layer.attention(tf.zeros([1, 4, 2])), /expects \[batch, 4, 3\] inputs/);
    const open = tf.input({ shape: [null, 3] });
    assert.throws(() => new AttentionPooling().apply(open), /known length and channels/);
  });

  it('leaves no tensors behind', () => {
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 7);
    const layer = new AttentionPooling({ seed: 8 });
    assertNoLeak(() => {
      tf.dispose([layer.apply(x) as tf.Tensor, layer.attention(x)]);
      tf.dispose(layerGrads(layer, x, 1));
    });
  });
});
