// Patching the attention matrix of a model (src/analysis/patching.ts) on tiny untrained attention
// models: the model's own map must give back the model, to the last digits, in every layout.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Patch, patchedPredictions, patchingTable } from '../../src/analysis/patching';
import { standardPatches, uniformPatch, unpatched } from '../../src/analysis/patches';
import { loadDataset } from '../../src/data/dataset';
import { Dataset } from '../../src/data/task';
import { buildModel } from '../../src/models/build';
import { AttentionConfig } from '../../src/models/configs';
import { initBackend } from '../../src/runtime/backend';
import { Learner } from '../../src/train/learner';

let data: Dataset;
const ALL = [0, 1, 2, 3, 4, 5];

before(async () => {
  await initBackend({ quiet: true });
  // 6 test samples at batch 4: two batches, the second one short.
  data = loadDataset({ nTrain: 20, nTest: 6 }, { log: () => {} }).dataset;
});

const learnerOf = (config: Partial<AttentionConfig>) =>
  new Learner(buildModel('attention', { channels: 8, keyChannels: 8, seed: 1, ...config }), data, {
    batchSize: 4,
  });

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('attention patching', () => {
  const layouts: [string, Partial<AttentionConfig>][] = [
    ['one head', {}],
    ['two heads', { heads: 2 }],
    ['residual', { residual: true }],
    ['scaled, windowed', { scaled: true, window: 10 }],
  ];
  for (const [name, config] of layouts) {
    it(`the model's own map gives back its predictions and its test loss (${name})`, () => {
      // Bug caught: dropping the residual add, joining heads in the wrong order, or skipping
      // the ReLU after the attention.
      const learner = learnerOf(config);
      const before = tf.memory().numTensors;
      const p = patchedPredictions(learner, unpatched(), ALL);
      const [row] = patchingTable(learner, [unpatched()]);
      assert.equal(tf.memory().numTensors, before, 'tensors left behind');
      const want = learner.predict('test', ALL);
      assert.ok(maxDiff(p, want) < 1e-5, `predictions differ by ${maxDiff(p, want)}`);
      const loss = learner.evaluate('test');
      assert.ok(Math.abs(row.mse - loss) < 1e-6, `${row.mse} against ${loss}`);
      assert.equal(row.moved, 0);
      learner.built.model.dispose();
    });
  }

  it('another map changes the predictions, and the rows of a sample follow its own map', () => {
    const learner = learnerOf({});
    const own = patchedPredictions(learner, unpatched(), ALL);
    const flat = patchedPredictions(learner, uniformPatch(), ALL);
    assert.ok(maxDiff(own, flat) > 1e-3, String(maxDiff(own, flat)));
    // One sample alone gives what it gives in a batch of several.
    assert.ok(
      maxDiff(patchedPredictions(learner, uniformPatch(), [4]), flat.subarray(400, 500)) < 1e-5,
    );
    const [u, o] = patchingTable(learner, [uniformPatch(), unpatched()], { samples: [1, 4] });
    assert.equal(u.patch, 'uniform');
    assert.ok(u.moved > 0 && u.moved <= 1);
    assert.ok(Math.abs(u.mse - o.mse) > 1e-6);
    learner.built.model.dispose();
  });

  it('runs every standard patch on every head without leaving tensors behind', () => {
    const learner = learnerOf({ heads: 2 });
    patchingTable(learner, [unpatched()]); // builds what is built once
    const before = tf.memory().numTensors;
    const rows = patchingTable(learner, standardPatches(3));
    assert.equal(tf.memory().numTensors, before, 'tensors left behind');
    assert.equal(new Set(rows.map((r) => r.patch)).size, rows.length);
    for (const r of rows) assert.ok(Number.isFinite(r.mse) && r.mse > 0, `${r.patch}: ${r.mse}`);
    learner.built.model.dispose();
  });

  it('refuses a bad replacement, a bad sample and no patches, leaving nothing behind', () => {
    const learner = learnerOf({});
    patchingTable(learner, [unpatched()]);
    const before = tf.memory().numTensors;
    const wrongShape: Patch = {
      name: 'small',
      replace: (b) => tf.fill([b.samples.length, 10, 10], 0.1),
    };
    assert.throws(
      () => patchingTable(learner, [wrongShape]),
      /patch 'small': expected \[4, 1, 100, 100\]/,
    );
    const unnormalised: Patch = {
      name: 'half',
      replace: (b) => tf.fill([b.samples.length, 100, 100], 0.005),
    };
    assert.throws(
      () => patchingTable(learner, [unnormalised]),
      /patch 'half': a row sums to 1 ± 0\.5/,
    );
    assert.equal(tf.memory().numTensors, before, 'tensors left behind after a refusal');
    assert.throws(
      () => patchingTable(learner, [unpatched()], { samples: [6] }),
      /outside the test split/,
    );
    assert.throws(() => patchingTable(learner, []), /no patches/);
    assert.throws(() => patchingTable(learnerOf({}), [unpatched()], { samples: [] }), /no samples/);
    assert.throws(
      () => patchingTable(new Learner(buildModel('cnn', { channels: 4 }), data), [unpatched()]),
      /has no SelfAttention layer/,
    );
    learner.built.model.dispose();
  });
});
