// Additive attention pooling (src/models/layers/pooling.ts): β = softmax_t(tanh(x·W + b)),
// context = Σ β_t·x_t, concatenated to every position; and its controls, the context alone
// (concat: false) and β = 1/L (pooling: 'uniform').
import '../../setup';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeOnBackends } from '../../backends';
import {
  AttentionPooling,
  AttentionPoolingArgs,
  POOLING_DEFAULTS,
} from '../../../src/models/layers/pooling';
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
function plainPooling(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, concat = true): tf.Tensor {
  const [, l] = x.shape;
  const xw = tf.sum(tf.mul(x, tf.reshape(w, [1, 1, -1])), 2); // [b, L]
  const e = tf.exp(tf.tanh(tf.add(xw, b)));
  const beta = tf.div(e, tf.sum(e, 1, true)); // [b, L]
  const context = tf.sum(tf.mul(x, tf.expandDims(beta, 2)), 1, true); // [b, 1, C]
  const everywhere = tf.tile(context, [1, l, 1]);
  return concat ? tf.concat([x, everywhere], 2) : everywhere;
}

/** Uniform pooling written plainly: the mean over positions, handed to every position. */
function plainMean(x: tf.Tensor, concat: boolean): tf.Tensor {
  const everywhere = tf.tile(tf.mean(x, 1, true), [1, x.shape[1]!, 1]);
  return concat ? tf.concat([x, everywhere], 2) : everywhere;
}

function built(x: tf.Tensor, seed?: number, args: AttentionPoolingArgs = {}): AttentionPooling {
  const layer = new AttentionPooling({ seed, ...args });
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
    assertSameGrads(
      layerGrads(layer, x, 4),
      plainGrads((xx, w, b) => plainPooling(xx, w, b), x, weights, 4),
      ['x', 'kernel', 'bias'],
    );
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
    for (const args of [{}, { concat: false }, { pooling: 'uniform' as const }]) {
      const layer = new AttentionPooling({ seed: 8, ...args });
      assertNoLeak(() => {
        tf.dispose([layer.apply(x) as tf.Tensor, layer.attention(x)]);
        tf.dispose(layerGrads(layer, x, 1));
      });
    }
  });
});

describeOnBackends('AttentionPooling controls: concat false, uniform pooling', () => {
  it("defaults to seed 003's layer: concat true, learned β", () => {
    assert.deepEqual(POOLING_DEFAULTS, { concat: true, pooling: 'learned' });
    const config = new AttentionPooling().getConfig();
    assert.deepEqual([config.concat, config.pooling], [true, 'learned']);
  });

  it('with concat false hands every position the context alone: [b, L, C], the concat output minus x', () => {
    const x = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 21);
    const both = built(x, 2);
    const alone = built(x, 2, { concat: false });
    const weights = [both.getWeights()[0], tf.randomNormal([6], 0, 1, 'float32', 22)];
    both.setWeights(weights);
    alone.setWeights(weights);
    const y = alone.apply(x) as tf.Tensor;
    assert.deepEqual(y.shape, [3, 6, 4]);
    assert.equal(maxDiff(y, tf.slice(both.apply(x) as tf.Tensor, [0, 0, 4], [3, 6, 4])), 0);
    assert.equal(maxDiff(alone.attention(x), both.attention(x)), 0, 'the same β');
    assertClose(y, plainPooling(x, weights[0], weights[1], false));
    assertSameGrads(
      layerGrads(alone, x, 23),
      plainGrads((xx, w, b) => plainPooling(xx, w, b, false), x, weights, 23),
      ['x', 'kernel', 'bias'],
    );
    assert.deepEqual(alone.computeOutputShape([null, 100, 64]), [null, 100, 64]);
  });

  it('with uniform pooling has no weights, β = 1/L, and hands every position the plain mean', () => {
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 24);
    for (const concat of [true, false]) {
      const layer = built(x, 2, { pooling: 'uniform', concat });
      assert.equal(layer.countParams(), 0);
      assert.equal(layer.getWeights().length, 0);
      assertClose(layer.attention(x), tf.fill([2, 5], 1 / 5));
      const y = layer.apply(x) as tf.Tensor;
      assert.deepEqual(y.shape, [2, 5, concat ? 6 : 3]);
      assertClose(y, plainMean(x, concat));
      assertSameGrads(
        layerGrads(layer, x, 25),
        plainGrads((xx) => plainMean(xx, concat), x, [], 25),
        ['x'],
      );
    }
  });

  it('uniform is learned pooling with its score weights held at zero, and learned weights change the output', () => {
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 26);
    const uniform = built(x, 2, { pooling: 'uniform' });
    const learned = built(x, 2);
    const fromScores = learned.apply(x) as tf.Tensor;
    assert.ok(maxDiff(fromScores, uniform.apply(x) as tf.Tensor) > 1e-3, 'learned β is not 1/L');
    learned.setWeights([tf.zeros([3, 1]), tf.zeros([5])]); // c = tanh(0) everywhere: β = 1/L
    assertClose(learned.apply(x) as tf.Tensor, uniform.apply(x) as tf.Tensor, 1e-6);
  });

  it('uniform pooling takes any length; learned pooling is built for one', () => {
    const layer = new AttentionPooling({ pooling: 'uniform' });
    const open = tf.input({ shape: [null, 3] });
    assert.deepEqual((layer.apply(open) as tf.SymbolicTensor).shape, [null, null, 6]);
    const y = layer.apply(tf.ones([1, 7, 3])) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 7, 6]);
    assert.throws(
      () => layer.apply(tf.zeros([1, 7, 2])),
      /expected axis 2 of input shape to have value 3/,
    );
  });

  it('survives getConfig → fromConfig and a model save/load with each control', async () => {
    const cases: AttentionPoolingArgs[] = [
      { concat: false, seed: 3 },
      { pooling: 'uniform', seed: 3 },
      { pooling: 'uniform', concat: false },
    ];
    for (const args of cases) {
      const layer = new AttentionPooling({ ...args, name: 'pool' });
      const config = layer.getConfig();
      for (const [k, v] of Object.entries(args)) assert.deepEqual(config[k], v, k);
      const copy = AttentionPooling.fromConfig(AttentionPooling, config) as AttentionPooling;
      assert.deepEqual(copy.getConfig(), config);
      const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 27);
      const { before, after, loaded } = await savedAndLoaded(layer, x);
      const back = loaded.layers.find((l) => l instanceof AttentionPooling) as AttentionPooling;
      assert.deepEqual([back.concat, back.pooling], [layer.concat, layer.pooling]);
      assert.equal(maxDiff(before, after), 0);
    }
  });

  it('reads a config saved before the controls existed as the defaults', () => {
    const old = { name: 'pooling', trainable: true, dtype: 'float32', seed: 2 };
    const layer = AttentionPooling.fromConfig(AttentionPooling, old) as AttentionPooling;
    assert.deepEqual([layer.concat, layer.pooling], [true, 'learned']);
  });

  it('refuses bad settings with the field named', () => {
    assert.throws(
      () => new AttentionPooling({ concat: 'no' as unknown as boolean }),
      /concat must be true or false, got no/,
    );
    assert.throws(
      () => new AttentionPooling({ pooling: 'max' as 'uniform' }),
      /pooling must be one of learned, uniform, got 'max'/,
    );
  });
});
