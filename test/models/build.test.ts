// Model construction by name (src/models/build.ts): shapes, parameter counts, and that a bad
// config stops the build (the config checks themselves: test/models/configs.test.ts); and notebook
// 08's controls (pooled concat/pooling, the attention model's position cells) on both backends.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { loadDataset, batchTensors } from '../../src/data/dataset';
import { BuiltModel, attentionLayer, buildModel } from '../../src/models/build';
import { DEFAULT_ATTENTION, ModelConfigs, WALKTHROUGH_KINDS } from '../../src/models/configs';
import { PositionChannels } from '../../src/models/layers/position-channels';
import { summary } from '../../src/models/summary';
import { describeOnBackends } from '../backends';
import { maxDiff } from './layers/check';

describe('models', () => {
  before(async () => {
    await initBackend({ quiet: true });
  });

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

/** A fixed input: sample b at step t is sin(0.1·(100·b + t) + b), [2, 100, 1]. */
const fixedInput = () =>
  tf.tidy(() =>
    tf.sin(
      tf.add(tf.mul(tf.reshape(tf.range(0, 200), [2, 100, 1]), 0.1), tf.reshape([0, 1], [2, 1, 1])),
    ),
  );

/** The model's output on x, and that predicting left no tensor behind. */
function predicted(m: BuiltModel, x: tf.Tensor): tf.Tensor {
  tf.dispose(m.model.predict(x) as tf.Tensor); // a first call may create lasting state
  const before = tf.memory().numTensors;
  const y = m.model.predict(x) as tf.Tensor;
  assert.equal(tf.memory().numTensors, before + 1, `${m.kind}: predict leaked tensors`);
  return y;
}

/** The model saved to memory and loaded back (getConfig, the class registry, fromConfig). */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

type Pooled = Partial<ModelConfigs['pooled']>;
type Attention = Partial<ModelConfigs['attention']>;
const outline = 58_177 - (6_144 * 2 + 4_096); // the attention model without its attention layer

describeOnBackends("notebook 08's controls", () => {
  it('keep the defaults byte for byte: parameters and outputs on a fixed input as before the controls existed', () => {
    // Recorded from the models before `concat`, `pooling`, `positionAt` and 'binary' were added
    // (outputs [0, 0], [0, 50], [1, 99] and the sum; the backends agree to ~5e-9).
    const pinned: [string, Pooled | Attention, number, number[]][] = [
      ['pooled', {}, 62_437, [0.00516467029, -0.0426462181, -0.0230084173, -9.52737236]],
      ['attention', {}, 58_177, [0.00851758476, 0.00606300402, 0.00223588478, 0.950794518]],
      [
        'attention',
        { positionEncoding: 'sinusoidal' },
        58_177,
        [0.00964492001, 0.00760271354, 0.00413660798, 0.862540364],
      ],
    ];
    const x = fixedInput();
    for (const [kind, config, params, [y0, y50, y199, sum]] of pinned) {
      const m = buildModel(kind as 'pooled', config as Pooled);
      assert.equal(m.model.countParams(), params, kind);
      const y = predicted(m, x);
      const d = y.dataSync();
      const got = [d[0], d[50], d[199]];
      [y0, y50, y199].forEach((want, i) =>
        assert.ok(
          Math.abs(got[i] - want) < 1e-7,
          `${kind} ${JSON.stringify(config)}: ${got[i]} ≠ ${want}`,
        ),
      );
      assert.ok(Math.abs(tf.sum(y).dataSync()[0] - sum) < 1e-5, `${kind} sum`);
      // Nothing new in the graph: the same layers as before.
      assert.ok(!m.model.layers.some((l) => l instanceof PositionChannels));
      tf.dispose(y);
      m.model.dispose();
    }
  });

  it('pooled: concat false gives conv3 64 input channels instead of 128; uniform drops the 164 score weights', () => {
    const shapes = (config: Pooled) => {
      const m = buildModel('pooled', config);
      const conv3 = m.model.getLayer('conv3').getWeights()[0].shape;
      const pooling = m.model.getLayer('pooling').countParams();
      const n = m.model.countParams();
      m.model.dispose();
      return { conv3, pooling, n };
    };
    const conv3Saved = 5 * 64 * 64; // conv3 reading [x ; s] reads 64 more channels
    assert.deepEqual(shapes({}), { conv3: [5, 128, 64], pooling: 164, n: 62_437 });
    assert.equal(62_437, outline + 64 + 100 + conv3Saved);
    assert.deepEqual(shapes({ concat: false }), { conv3: [5, 64, 64], pooling: 164, n: 41_957 });
    assert.deepEqual(shapes({ pooling: 'uniform' }), {
      conv3: [5, 128, 64],
      pooling: 0,
      n: 62_273,
    });
    assert.deepEqual(shapes({ pooling: 'uniform', concat: false }), {
      conv3: [5, 64, 64],
      pooling: 0,
      n: outline, // 41,793: the sandwich alone
    });
  });

  it('pooled: each control changes the output; uniform is learned pooling with its score weights at zero', () => {
    const x = fixedInput();
    const run = (config: Pooled, zeroScores = false) => {
      const m = buildModel('pooled', config);
      if (zeroScores) m.model.getLayer('pooling').setWeights([tf.zeros([64, 1]), tf.zeros([100])]);
      const y = predicted(m, x);
      m.model.dispose();
      return y;
    };
    const learned = run({});
    const uniform = run({ pooling: 'uniform' });
    assert.ok(maxDiff(learned, uniform) > 1e-4, 'learned and uniform pooling compute the same');
    assert.ok(maxDiff(learned, run({ concat: false })) > 1e-4, 'concat false changes nothing');
    // Every other weight is drawn from the same seeds, so only β differs: zero scores give 1/100.
    assert.ok(maxDiff(run({}, true), uniform) < 1e-6, 'uniform is not β = 1/100');
  });

  it("attention: the four position cells and none; 'qk' adds no parameters, 'input' adds conv1's 2,240", () => {
    const cells: [Attention, number, boolean][] = [
      [{}, 58_177, false],
      [{ positionEncoding: 'sinusoidal' }, 58_177, false],
      [{ positionEncoding: 'binary' }, 58_177, false],
      [{ positionEncoding: 'sinusoidal', positionAt: 'input' }, 58_177 + 7 * 5 * 64, true],
      [{ positionEncoding: 'binary', positionAt: 'input' }, 60_417, true],
    ];
    const x = fixedInput();
    const outputs: tf.Tensor[] = [];
    for (const [config, params, atInput] of cells) {
      const m = buildModel('attention', config);
      const what = JSON.stringify(config);
      assert.equal(m.model.countParams(), params, what);
      const positions = m.model.layers.filter((l) => l instanceof PositionChannels);
      assert.equal(positions.length, atInput ? 1 : 0, what);
      assert.deepEqual(m.model.getLayer('conv1').getWeights()[0].shape, [5, atInput ? 8 : 1, 64]);
      // The table enters in one place only: at 'input' the attention layer has none.
      const inLayer = atInput ? 'none' : (config.positionEncoding ?? 'none');
      assert.equal(attentionLayer(m).positionEncoding, inLayer, what);
      outputs.push(predicted(m, x));
      m.model.dispose();
    }
    for (let i = 0; i < outputs.length; i++)
      for (let j = i + 1; j < outputs.length; j++)
        assert.ok(maxDiff(outputs[i], outputs[j]) > 1e-5, `cells ${i} and ${j} compute the same`);
  });

  it("attention: binary at 'input' is the data option's experiment: same weights, same input, same output", () => {
    const opts = { nTrain: 40, nTest: 5 };
    const idx = [1, 2, 5, 8];
    const bare = batchTensors(loadDataset(opts, { log: () => {} }).dataset, 'train', idx).x;
    const withBits = loadDataset({ ...opts, positionalEncoding: true }, { log: () => {} }).dataset;
    const x8 = batchTensors(withBits, 'train', idx).x; // what notebook 07's binary-channel runs see
    const inside = buildModel('attention', { positionEncoding: 'binary', positionAt: 'input' });
    const data = buildModel('attention', { inChannels: 8 });
    const [w1, w2] = [inside.model.getWeights(), data.model.getWeights()];
    assert.equal(w1.length, w2.length);
    w1.forEach((w, i) => assert.equal(maxDiff(w, w2[i]), 0, `weight ${i} is drawn differently`));
    const features = inside.model.getLayer('positions').apply(bare) as tf.Tensor;
    assert.equal(maxDiff(features, x8), 0, "conv1's input differs from the data option's");
    assert.equal(maxDiff(predicted(inside, bare), predicted(data, x8)), 0);
    inside.model.dispose();
    data.model.dispose();
  });

  it('the new variants survive a model save/load with identical outputs', async () => {
    const x = fixedInput();
    const variants: [string, Pooled | Attention][] = [
      ['pooled', { concat: false, pooling: 'uniform' }],
      ['pooled', { concat: false }],
      ['attention', { positionEncoding: 'binary' }],
      ['attention', { positionEncoding: 'sinusoidal', positionAt: 'input' }],
    ];
    for (const [kind, config] of variants) {
      const m = buildModel(kind as 'pooled', config as Pooled);
      const loaded = await roundTrip(m.model);
      assert.equal(maxDiff(m.model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor), 0);
      m.model.dispose();
      loaded.dispose();
    }
  });
});
