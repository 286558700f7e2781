// Model construction by name (src/models.ts): shapes, parameter counts, config checks.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import {
  DEFAULT_ATTENTION,
  MODEL_KINDS,
  attentionMap,
  buildModel,
  resolveConfig,
  summary,
} from '../../src/models/build';

before(async () => {
  await initBackend({ quiet: true });
});

describe('models', () => {
  const expected = { cnn: 62_337, attention: 58_177, 'lstm-blog': 130_660, 'lstm-seq': 134_401 };

  for (const kind of MODEL_KINDS) {
    it(`${kind}: maps [batch, 100, 1] to [batch, 100, 1] with ${expected[kind].toLocaleString('en')} parameters`, () => {
      const m = buildModel(kind);
      assert.equal(m.model.countParams(), expected[kind]);
      const y = tf.tidy(() => m.model.predict(tf.zeros([3, 100, 1])) as tf.Tensor);
      assert.deepEqual(y.shape, [3, 100, 1]);
      y.dispose();
      m.model.dispose();
    });
  }

  it('the attention model holds Q and K of 6,144 and V of 4,096 parameters', () => {
    const s = summary(buildModel('attention'));
    const attn = s.layers.find((l) => l.type === 'SelfAttention')!;
    assert.equal(attn.params, 6_144 * 2 + 4_096);
    assert.deepEqual(attn.outputShape, [null, 100, 64]);
  });

  it('takes config overrides and records the resolved config', () => {
    const m = buildModel('attention', { ...DEFAULT_ATTENTION, keyChannels: 32, kernelSize: 3 });
    assert.equal(m.config.keyChannels, 32);
    assert.equal(m.config.channels, 64);
    // 2 × 64·32 (Q, K) + 64·64 (V) in the attention layer; kernel 3 in the convs.
    assert.equal(
      m.model.countParams(),
      1 * 64 * 3 + 64 + (64 * 64 * 3 + 64) * 2 + (64 * 32 * 2 + 64 * 64) + (64 * 3 + 1),
    );
  });

  it('gives the attention matrix as [batch, 100, 100]', () => {
    const m = buildModel('attention');
    const a = attentionMap(m, tf.randomNormal([2, 100, 1]) as tf.Tensor3D);
    assert.deepEqual(a.shape, [2, 100, 100]);
    a.dispose();
    assert.throws(
      () => attentionMap(buildModel('cnn'), tf.zeros([1, 100, 1]) as tf.Tensor3D),
      /has no SelfAttention layer/,
    );
  });

  it('rejects bad configs with clear errors', () => {
    assert.throws(
      () => buildModel('attention', { keyChannels: 0 }),
      /keyChannels must be a positive integer, got 0/,
    );
    assert.throws(
      () => buildModel('attention', { keyChannels: -8 }),
      /keyChannels must be a positive integer/,
    );
    assert.throws(
      () => buildModel('cnn', { kernelSize: 4 }),
      /kernelSize must be odd for 'same' padding, got 4.*101 steps/,
    );
    assert.throws(() => buildModel('cnn', { depth: 1 }), /depth must be an integer >= 2/);
    assert.throws(
      () => buildModel('transformer' as 'cnn'),
      /unknown model kind 'transformer'; expected one of: cnn, attention, lstm-blog, lstm-seq/,
    );
    assert.throws(
      () => resolveConfig('cnn', { keyChannels: 8 } as never),
      /unknown config field 'keyChannels'/,
    );
  });

  it('rejects inputs of the wrong shape', () => {
    const m = buildModel('attention');
    assert.throws(
      () => m.model.predict(tf.zeros([2, 100, 3])),
      /expected .*shape|100, 1|Error when checking/i,
    );
    assert.throws(() => m.model.predict(tf.zeros([2, 50, 1])), /Error when checking|shape/i);
    const blog = buildModel('lstm-blog');
    assert.throws(() => blog.model.predict(tf.zeros([2, 100])), /shape|dimension|ndim/i);
  });
});
