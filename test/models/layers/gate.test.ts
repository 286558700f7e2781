// The per-position sigmoid gate (src/models/layers/gate.ts): y = x ⊙ σ(x·W + b).
import '../../setup';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeOnBackends } from '../../backends';
import { PositionGate } from '../../../src/models/layers/gate';
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

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The gate written plainly: a broadcast batched matMul and σ(z) = 1 / (1 + e^−z). */
function plainGate(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const z = tf.add(
    tf.matMul(x as tf.Tensor3D, tf.tile(tf.expandDims(w, 0), [x.shape[0], 1, 1])),
    b,
  );
  return tf.mul(x, tf.div(1, tf.add(1, tf.exp(tf.neg(z)))));
}

function built(x: tf.Tensor, seed?: number): PositionGate {
  const layer = new PositionGate({ seed });
  tf.dispose(layer.apply(x) as tf.Tensor);
  return layer;
}

describeOnBackends('PositionGate', () => {
  it('gives exact values on a tiny input', () => {
    const x = tf.tensor3d([
      [
        [1, 2],
        [0, -1],
      ],
    ]);
    const layer = built(x);
    layer.setWeights([
      tf.tensor2d([
        [1, 0],
        [0, -1],
      ]),
      tf.tensor1d([0, 1]),
    ]);
    // Row 0: z = (1, −2) + (0, 1) = (1, −1). Row 1: z = (0, 1) + (0, 1) = (0, 2).
    assertValues(layer.apply(x) as tf.Tensor, [
      [
        [sigmoid(1), 2 * sigmoid(-1)],
        [0, -sigmoid(2)],
      ],
    ]);
    assertValues(layer.gate(x), [
      [
        [sigmoid(1), sigmoid(-1)],
        [sigmoid(0), sigmoid(2)],
      ],
    ]);
  });

  it('has a [C, C] kernel and a [C] bias, and matches the plain version: values and gradients', () => {
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 1);
    const layer = built(x, 2);
    assert.deepEqual(
      layer.getWeights().map((w) => w.shape),
      [[3, 3], [3]],
    );
    const weights = layer.getWeights();
    assertClose(layer.apply(x) as tf.Tensor, plainGate(x, ...(weights as [tf.Tensor, tf.Tensor])));
    assertSameGrads(layerGrads(layer, x, 3), plainGrads(plainGate, x, weights, 3), [
      'x',
      'kernel',
      'bias',
    ]);
  });

  it('never mixes positions: changing one step changes only its own output', () => {
    const x = tf.randomNormal([1, 6, 3], 0, 1, 'float32', 4);
    const layer = built(x, 5);
    const x2 = tf.concat([tf.slice(x, [0, 0, 0], [1, 5, 3]), tf.ones([1, 1, 3])], 1);
    const y = layer.apply(x) as tf.Tensor;
    const y2 = layer.apply(x2) as tf.Tensor;
    assert.equal(maxDiff(tf.slice(y, [0, 0, 0], [1, 5, 3]), tf.slice(y2, [0, 0, 0], [1, 5, 3])), 0);
    assert.ok(
      maxDiff(tf.slice(y, [0, 5, 0], [1, 1, 3]), tf.slice(y2, [0, 5, 0], [1, 1, 3])) > 1e-3,
    );
  });

  it('survives getConfig → fromConfig and a model save/load', async () => {
    const layer = new PositionGate({ seed: 6, name: 'gate' });
    const config = layer.getConfig();
    assert.equal(config.seed, 6);
    assert.equal(config.name, 'gate');
    const copy = PositionGate.fromConfig(PositionGate, config) as PositionGate;
    assert.deepEqual(copy.getConfig(), config);
    assert.deepEqual(copy.computeOutputShape([null, 100, 64]), [null, 100, 64]);
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 7);
    const { before, after, loaded } = await savedAndLoaded(layer, x);
    assert.ok(loaded.layers.some((l) => l instanceof PositionGate));
    assert.equal(maxDiff(before, after), 0);
  });

  it('states its input rank and channels', () => {
    const layer = new PositionGate();
    assert.throws(() => layer.gate(tf.zeros([1, 2, 3])), /not built yet/);
    assert.throws(() => layer.apply(tf.zeros([2, 3])), /expected ndim=3, found ndim=2/);
    layer.apply(tf.zeros([1, 2, 3]));
    assert.throws(
      () => layer.apply(tf.zeros([1, 2, 4])),
      /expected axis 2 of input shape to have value 3/,
    );
    assert.throws(() => layer.gate(tf.zeros([1, 2, 4])), /expects \[batch, length, 3\] inputs/);
  });

  it('leaves no tensors behind', () => {
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 8);
    const layer = new PositionGate({ seed: 9 });
    assertNoLeak(() => {
      tf.dispose([layer.apply(x) as tf.Tensor, layer.gate(x)]);
      tf.dispose(layerGrads(layer, x, 1));
    });
  });
});
