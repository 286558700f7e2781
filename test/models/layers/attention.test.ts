// The SelfAttention layer (src/layers/attention.ts): tfjs-layers contract and the maths.
import '../../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend';
import { SelfAttention } from '../../../src/models/layers/attention';

before(async () => {
  await initBackend({ quiet: true });
});

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void {
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
  assert.ok(diff < tol, `max difference ${diff} >= ${tol}`);
}

describe('SelfAttention layer', () => {
  let x: tf.Tensor3D;
  before(() => {
    x = tf.randomNormal([2, 10, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
  });

  it('has softmax rows summing to 1, shape [batch, L, L]', () => {
    const layer = new SelfAttention({ keyChannels: 6, seed: 1 });
    layer.apply(x);
    const a = layer.attention(x);
    assert.deepEqual(a.shape, [2, 10, 10]);
    close(tf.sum(a, -1), tf.onesLike(tf.sum(a, -1)));
    assert.ok(tf.min(a).dataSync()[0] >= 0);
  });

  it('computes y = softmax(q·kᵀ)·v with unbiased kernel-size-1 projections, agreeing with attention()', () => {
    const layer = new SelfAttention({ keyChannels: 6, outChannels: 3, seed: 2 });
    const y = layer.apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 10, 3]);
    const [wq, wk, wv] = layer.getWeights();
    assert.deepEqual(
      [wq.shape, wk.shape, wv.shape],
      [
        [4, 6],
        [4, 6],
        [4, 3],
      ],
    );
    assert.equal(layer.countParams(), 4 * 6 * 2 + 4 * 3);
    // Per-position linear maps written as a broadcast batched matMul (wasm has no einsum).
    const perPosition = (w: tf.Tensor) =>
      tf.matMul(x, tf.tile(tf.expandDims(w, 0), [x.shape[0], 1, 1]));
    const manual = tf.tidy(() => {
      const q = perPosition(wq);
      const k = perPosition(wk);
      const v = perPosition(wv);
      return tf.matMul(tf.softmax(tf.matMul(q, k, false, true)), v);
    });
    close(y, manual);
    close(y, tf.matMul(layer.attention(x), perPosition(wv)));
  });

  it('scales by 1/√key only when asked', () => {
    const plain = new SelfAttention({ keyChannels: 9, seed: 3 });
    const scaled = new SelfAttention({ keyChannels: 9, seed: 3, scaled: true });
    plain.apply(x);
    scaled.apply(x);
    scaled.setWeights(plain.getWeights());
    const logits = tf.tidy(() => tf.log(plain.attention(x)));
    // softmax(z/3) ∝ exp(z/3): rescaling plain's log-probabilities and renormalising gives scaled's.
    close(scaled.attention(x), tf.softmax(tf.div(logits, 3)), 1e-4);
  });

  it('survives getConfig → fromConfig and reports its output shape', () => {
    const layer = new SelfAttention({
      keyChannels: 5,
      outChannels: 7,
      scaled: true,
      seed: 4,
      name: 'attn',
    });
    const config = layer.getConfig();
    assert.equal(config.name, 'attn');
    assert.equal(config.keyChannels, 5);
    assert.equal(config.outChannels, 7);
    assert.equal(config.scaled, true);
    const again = tf.serialization.SerializationMap.getMap().classNameMap.SelfAttention;
    assert.ok(again, 'the class is registered for deserialisation');
    const copy = SelfAttention.fromConfig(SelfAttention, config) as SelfAttention;
    assert.deepEqual(copy.getConfig(), config);
    assert.deepEqual(copy.computeOutputShape([null, 100, 64]), [null, 100, 7]);
  });

  it('refuses bad key channels and wrongly shaped inputs', () => {
    assert.throws(
      () => new SelfAttention({ keyChannels: 0 }),
      /keyChannels must be a positive integer, got 0/,
    );
    assert.throws(
      () => new SelfAttention({ keyChannels: 2.5 }),
      /keyChannels must be a positive integer/,
    );
    const layer = new SelfAttention({ keyChannels: 3 });
    assert.throws(() => layer.attention(x), /not built yet/);
    layer.apply(x);
    assert.throws(
      () => layer.attention(tf.zeros([2, 10, 5])),
      /expects \[batch, length, 4\] inputs, got shape \[2,10,5\]/,
    );
  });
});
