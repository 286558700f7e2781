// Additive attention masks (src/models/layers/masks.ts): any rule becomes a [L, L] mask of 0
// and MASKED, which zeroes the forbidden weights of a softmax.
import '../../setup';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeOnBackends } from '../../backends';
import { MASKED, additiveMask, causal, withinWindow } from '../../../src/models/layers/masks';
import { assertValues } from './check';

const M = MASKED;

describeOnBackends('additiveMask', () => {
  it('turns a window rule into 0 inside the band and MASKED outside', () => {
    assertValues(additiveMask(4, withinWindow(1)), [
      [0, 0, M, M],
      [0, 0, 0, M],
      [M, 0, 0, 0],
      [M, M, 0, 0],
    ]);
  });

  it('takes any rule: causal', () => {
    assertValues(additiveMask(3, causal), [
      [0, M, M],
      [0, 0, M],
      [0, 0, 0],
    ]);
  });

  it('gives exactly zero softmax weight, and zero gradient, to masked pairs', () => {
    const logits = tf.randomNormal([2, 4, 4], 0, 3, 'float32', 1);
    const mask = additiveMask(4, withinWindow(1));
    const a = tf.softmax(tf.add(logits, mask));
    const outside = tf.cast(tf.equal(mask, M), 'float32');
    assert.equal(tf.sum(outside).dataSync()[0], 4 * 4 - (4 + 2 * 3), 'the band leaves 6 pairs out');
    assert.equal(tf.max(tf.mul(a, outside)).dataSync()[0], 0);
    assertValues(tf.sum(a, -1), [
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    const g = tf.grad((z: tf.Tensor) =>
      tf.sum(tf.mul(tf.softmax(tf.add(z, mask)), tf.randomNormal([2, 4, 4], 0, 1, 'float32', 2))),
    )(logits);
    assert.equal(tf.max(tf.abs(tf.mul(g, outside))).dataSync()[0], 0);
    assert.ok(tf.max(tf.abs(g)).dataSync()[0] > 1e-3);
  });

  it('refuses a rule that leaves a position nothing to attend to', () => {
    assert.throws(() => additiveMask(3, (i) => i !== 1), /position 1 attend to nothing/);
    assert.throws(() => additiveMask(0, causal), /length must be an integer >= 1/);
  });
});
