// The LSTM layers (src/models/layers/lstm.ts): agreement with tfjs-layers' LSTM, and the blog
// LSTM's batch-as-time state handling, on every backend: on 'tensorflow' the layers run the native
// scan (runtime/native/lstm.ts), on 'cpu' the reference loop.
import '../../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend';
import { BlogLstm, SequenceLstm } from '../../../src/models/layers/lstm';
import { describeOnBackends } from '../../backends';

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describeOnBackends('SequenceLstm', () => {
  it('matches tf.layers.lstm given the same weights (gate order i, f, g, o)', () => {
    const x = tf.randomNormal([3, 7, 2], 0, 1, 'float32', 5);
    const ours = new SequenceLstm({ hidden: 4, bidirectional: false, seed: 1 });
    ours.apply(x);
    const ref = tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' });
    ref.apply(x);
    const [w, u, bih, bhh] = ours.getWeights();
    ref.setWeights([w.reshape([2, 16]), u.reshape([4, 16]), tf.add(bih, bhh).reshape([16])]);
    assert.ok(maxDiff(ours.apply(x) as tf.Tensor, ref.apply(x) as tf.Tensor) < 1e-5);
  });

  it('runs the second direction from the end of the sequence', () => {
    const x = tf.randomNormal([2, 6, 1], 0, 1, 'float32', 6);
    const bi = new SequenceLstm({ hidden: 3, bidirectional: true, seed: 2 });
    const y = bi.apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 6, 6]);
    // The backward half at the last step has seen only the last input: equal for inputs that share it.
    const x2 = tf.concat(
      [tf.randomNormal([2, 5, 1], 0, 1, 'float32', 7), x.slice([0, 5, 0], [2, 1, 1])],
      1,
    );
    const last = (t: tf.Tensor) => t.slice([0, 5, 3], [2, 1, 3]);
    assert.ok(maxDiff(last(y), last(bi.apply(x2) as tf.Tensor)) < 1e-6);
    assert.ok(
      maxDiff(
        y.slice([0, 5, 0], [2, 1, 3]),
        (bi.apply(x2) as tf.Tensor).slice([0, 5, 0], [2, 1, 3]),
      ) > 1e-4,
    );
  });
});

describe('SequenceLstm contract', () => {
  before(async () => {
    await initBackend({ quiet: true });
  });
  it('survives getConfig → fromConfig and reports its output shape', () => {
    const layer = new SequenceLstm({ hidden: 5, bidirectional: true, seed: 3, name: 'seq' });
    const copy = SequenceLstm.fromConfig(SequenceLstm, layer.getConfig()) as SequenceLstm;
    assert.deepEqual(copy.getConfig(), layer.getConfig());
    assert.deepEqual(copy.computeOutputShape([null, 100, 8]), [null, 100, 10]);
  });

  it('refuses bad settings and inputs of the wrong rank or channels', () => {
    assert.throws(
      () => new SequenceLstm({ hidden: 0, bidirectional: false }),
      /hidden must be an integer >= 1, got 0/,
    );
    assert.throws(
      () => new SequenceLstm({ hidden: 2, bidirectional: undefined as unknown as boolean }),
      /bidirectional must be true or false, got undefined/,
    );
    const layer = new SequenceLstm({ hidden: 2, bidirectional: false });
    assert.throws(() => layer.apply(tf.zeros([4, 3])), /expected ndim=3, found ndim=2/);
    layer.apply(tf.zeros([1, 4, 3]));
    assert.throws(
      () => layer.apply(tf.zeros([1, 4, 2])),
      /expected axis 2 of input shape to have value 3/,
    );
  });
});

describeOnBackends('BlogLstm', () => {
  let x: tf.Tensor;
  before(() => {
    x = tf.randomNormal([4, 100, 1], 0, 1, 'float32', 8);
  });

  it('treats the batch as time: sample k only sees samples before it', () => {
    const layer = new BlogLstm({ length: 100, hidden: 8, seed: 3 });
    const y1 = layer.apply(x) as tf.Tensor;
    layer.resetStates();
    // Change the last sample only: earlier outputs must not move.
    const x2 = tf.concat([
      x.slice([0, 0, 0], [3, 100, 1]),
      tf.onesLike(x.slice([3, 0, 0], [1, 100, 1])),
    ]);
    const y2 = layer.apply(x2) as tf.Tensor;
    assert.ok(maxDiff(y1.slice([0, 0, 0], [3, 100, 1]), y2.slice([0, 0, 0], [3, 100, 1])) < 1e-6);
    assert.ok(maxDiff(y1.slice([3, 0, 0], [1, 100, 1]), y2.slice([3, 0, 0], [1, 100, 1])) > 1e-4);
  });

  it('carries its state from batch to batch, and resets it when asked', () => {
    const layer = new BlogLstm({ length: 100, hidden: 8, seed: 4 });
    assert.equal(layer.carriedState, undefined);
    const first = layer.apply(x) as tf.Tensor;
    const state = layer.carriedState!;
    assert.deepEqual(state.h.shape, [1, 1, 8]);
    const second = layer.apply(x) as tf.Tensor; // same input, but it starts from the carried state
    assert.ok(maxDiff(first, second) > 1e-5, 'the carried state changes the output');
    layer.resetStates();
    assert.equal(layer.carriedState, undefined);
    assert.ok(
      maxDiff(first, layer.apply(x) as tf.Tensor) < 1e-6,
      'after a reset it starts from zeros again',
    );
  });

  it('frees its carried state when it is disposed', () => {
    const layer = new BlogLstm({ length: 100, hidden: 8, seed: 4 });
    layer.apply(x); // builds the weights
    const before = tf.memory().numTensors;
    tf.dispose(layer.apply(x) as tf.Tensor);
    const state = layer.carriedState!;
    layer.dispose();
    assert.ok(state.h.isDisposed && state.c.isDisposed);
    assert.equal(layer.carriedState, undefined);
    assert.ok(tf.memory().numTensors < before, 'the weights and the state are gone');
  });

  it('detaches the carried state: gradients do not flow into the previous batch', () => {
    const layer = new BlogLstm({ length: 100, hidden: 8, seed: 5 });
    layer.apply(x);
    const grads = tf.grads((inp: tf.Tensor) => tf.sum(layer.apply(inp) as tf.Tensor));
    // The state is a constant for this call: the gradient is defined and finite.
    const [g] = grads([x]);
    assert.ok(Number.isFinite(tf.sum(g).dataSync()[0]));
    assert.equal(layer.carriedState!.h.isDisposed, false);
  });

  it('trains on a batch of one sample (a sequence of one time step)', () => {
    const layer = new BlogLstm({ length: 100, hidden: 4, seed: 6 });
    const one = x.slice([0, 0, 0], [1, 100, 1]);
    layer.apply(one);
    const grads = tf.variableGrads(
      () => tf.sum(layer.apply(one) as tf.Tensor) as tf.Scalar,
      layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
    );
    assert.equal(Object.keys(grads.grads).length, 6);
    assert.ok(Object.values(grads.grads).every((g) => Number.isFinite(tf.sum(g).dataSync()[0])));
  });

  it("has PyTorch's 130,660 parameters with both bias vectors", () => {
    const layer = new BlogLstm({ length: 100, hidden: 128 });
    layer.apply(tf.zeros([1, 100, 1]));
    assert.equal(layer.countParams(), 4 * 128 * (100 + 128) + 2 * 4 * 128 + 128 * 100 + 100);
    assert.equal(layer.countParams(), 130_660);
  });

  it('survives getConfig → fromConfig', () => {
    const layer = new BlogLstm({ length: 100, hidden: 16, seed: 9, name: 'blog' });
    const copy = BlogLstm.fromConfig(BlogLstm, layer.getConfig()) as BlogLstm;
    assert.deepEqual(copy.getConfig(), layer.getConfig());
    assert.throws(() => new BlogLstm({ length: 100, hidden: 0 }), /hidden must be an integer >= 1/);
  });

  it('states its input: [batch, length, 1]', () => {
    const layer = new BlogLstm({ length: 10, hidden: 2 });
    assert.throws(() => layer.apply(tf.zeros([2, 10])), /expected ndim=3, found ndim=2/);
    assert.throws(
      () => layer.apply(tf.zeros([2, 9, 1])),
      /expected axis 1 of input shape to have value 10/,
    );
    assert.throws(
      () => layer.apply(tf.zeros([2, 10, 2])),
      /expected axis 2 of input shape to have value 1/,
    );
  });
});
