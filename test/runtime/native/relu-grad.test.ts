// The ReLU gradient through TensorFlow's ReluGrad on the native backend (src/runtime/native/relu-grad.ts).
import '../../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, initBackend } from '../../../src/runtime/backend';
import { NATIVE_RELU_GRAD, routeReluGrad } from '../../../src/runtime/native/relu-grad';

before(async () => {
  await initBackend({ quiet: true });
});

describe('native/relu-grad', () => {
  it('gives the ReLU gradient of tfjs, through ReluGrad on the native backend', async () => {
    routeReluGrad();
    const x = tf.tensor2d([
      [-2, -0.5, 0, 0.5],
      [3, -1, 1e-30, -1e-30],
    ]);
    const w = tf.tensor2d([
      [1, 2, 3, 4],
      [-5, 6, -7, 8],
    ]);
    const f = (z: tf.Tensor) => tf.sum(tf.mul(tf.relu(z), w));
    // d/dx Σ w·relu(x) = w where x > 0, else 0 (0 at x = 0, as tfjs's step(0) = 0).
    const want = [0, 0, 0, 4, -5, 0, -7, 0];
    const profile = await tf.profile(() => tf.grad(f)(x));
    const got = tf.grad(f)(x);
    assert.deepEqual(
      Array.from(got.dataSync()).map((v) => v + 0), // + 0 folds −0 into 0
      want,
    );
    const used = profile.kernels.some((k) => k.name === NATIVE_RELU_GRAD);
    assert.equal(used, activeBackend() === 'tfjs-node' || activeBackend() === 'tfjs-node-gpu');
    tf.dispose([x, w, got]);
  });
});
