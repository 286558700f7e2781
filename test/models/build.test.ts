// Model construction by name (src/models/build.ts): shapes, parameter counts, and that a bad
// config stops the build (the config checks themselves: test/models/configs.test.ts).
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { buildModel } from '../../src/models/build';
import { DEFAULT_ATTENTION, WALKTHROUGH_KINDS } from '../../src/models/configs';
import { summary } from '../../src/models/summary';

before(async () => {
  await initBackend({ quiet: true });
});

describe('models', () => {
  const expected = { cnn: 62_337, attention: 58_177, 'lstm-blog': 130_660, 'lstm-seq': 134_401 };

  it('covers every walk-through kind below', () => {
    assert.deepEqual([...WALKTHROUGH_KINDS].sort(), Object.keys(expected).sort());
  });

  for (const kind of WALKTHROUGH_KINDS as (keyof typeof expected)[]) {
    it(`${kind}: maps [batch, 100, 1] to [batch, 100, 1] with ${expected[kind].toLocaleString('en')} parameters`, () => {
      const m = buildModel(kind);
      assert.equal(m.model.countParams(), expected[kind]);
      const y = tf.tidy(() => m.model.predict(tf.zeros([3, 100, 1])) as tf.Tensor);
      assert.deepEqual(y.shape, [3, 100, 1]);
      y.dispose();
      m.model.dispose();
    });
  }

  it("notebook 08's variants map [batch, 100, 1] to [batch, 100, 1] and differ from the attention model only in the middle", () => {
    const params = (kind: 'gated' | 'pooled' | 'lstm-attention', config = {}) => {
      const m = buildModel(kind, config);
      const y = tf.tidy(() => m.model.predict(tf.zeros([2, 100, 1])) as tf.Tensor);
      assert.deepEqual(y.shape, [2, 100, 1]);
      y.dispose();
      const n = m.model.countParams();
      m.model.dispose();
      return n;
    };
    const outline = 58_177 - (6_144 * 2 + 4_096); // the attention model without its attention layer
    assert.equal(params('gated'), outline + 64 * 64 + 64); // the gate's W [64, 64] and b [64]
    // Pooling: W [64, 1], one bias per position [100]; conv3 then reads 128 channels, not 64.
    assert.equal(params('pooled'), outline + 64 + 100 + 5 * 64 * 64);
    const lstmSeq = 134_401 - (2 * 128 + 1); // lstm-seq without its Linear(256 → 1) head
    const attention = 64 * 96 * 2 + 64 * 64;
    assert.equal(
      params('lstm-attention', { placement: 'after' }),
      lstmSeq + (256 * 64 + 64) + attention + 65,
    );
    const lstm64 = lstmSeq - 2 * 4 * 128 * (1 - 64); // the LSTM now reads 64 channels, not 1
    assert.equal(params('lstm-attention', { placement: 'before' }), 128 + lstm64 + attention + 257);
  });

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

  it('rejects bad configs with clear errors that name the field', () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => buildModel('attention', { keyChannels: 0 }),
        /attention\.keyChannels must be an integer >= 1, got 0/,
      ],
      [
        () => buildModel('attention', { keyChannels: -8 }),
        /attention\.keyChannels must be an integer >= 1, got -8/,
      ],
      [
        () => buildModel('attention', { keyChannels: 9.5 }),
        /attention\.keyChannels must be an integer >= 1, got 9\.5/,
      ],
      [
        () => buildModel('cnn', { kernelSize: 4 }),
        /cnn\.kernelSize must be odd .*'same' padding.*got 4/,
      ],
      [() => buildModel('cnn', { depth: 1 }), /cnn\.depth must be an integer >= 2, got 1/],
      [
        () => buildModel('transformer' as 'cnn'),
        /model must be one of cnn, attention, .*got 'transformer'/,
      ],
    ];
    for (const [f, msg] of cases) assert.throws(f, msg);
  });

  it('rejects inputs of the wrong shape', () => {
    const m = buildModel('attention');
    assert.throws(
      () => m.model.predict(tf.zeros([2, 100, 3])),
      /expected sequence to have shape \[null,100,1\] but got array with shape \[2,100,3\]/,
    );
    assert.throws(
      () => m.model.predict(tf.zeros([2, 50, 1])),
      /expected sequence to have shape \[null,100,1\] but got array with shape \[2,50,1\]/,
    );
    const blog = buildModel('lstm-blog');
    assert.throws(
      () => blog.model.predict(tf.zeros([2, 100])),
      /expected sequence to have 3 dimension\(s\), but got array with shape \[2,100\]/,
    );
  });
});
