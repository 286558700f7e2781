// TensorFlow's start-up settings and the native ReLU gradient (src/runtime/tf-env.ts).
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, initBackend } from '../../src/runtime/backend';
import {
  NATIVE_RELU_GRAD,
  prepareTensorFlow,
  routeReluGrad,
  tfEnvSettings,
} from '../../src/runtime/tf-env';

before(async () => {
  await initBackend({ quiet: true });
});

describe('tf-env', () => {
  it('uses the defaults where the user set nothing, and the user value where set', () => {
    assert.deepEqual(tfEnvSettings({}, 2), [
      { name: 'TF_NUM_INTRAOP_THREADS', value: '2', source: 'default' },
      { name: 'TF_NUM_INTEROP_THREADS', value: '2', source: 'default' },
    ]);
    const mixed = tfEnvSettings({ TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '' }, 4);
    assert.deepEqual(mixed, [
      { name: 'TF_NUM_INTRAOP_THREADS', value: '1', source: 'user' },
      { name: 'TF_NUM_INTEROP_THREADS', value: '4', source: 'default' },
    ]);
  });

  it('writes only the missing variables', () => {
    const env: NodeJS.ProcessEnv = { TF_NUM_INTRAOP_THREADS: '3' };
    prepareTensorFlow(env);
    assert.equal(env.TF_NUM_INTRAOP_THREADS, '3');
    assert.ok(Number(env.TF_NUM_INTEROP_THREADS) >= 1);
  });

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
