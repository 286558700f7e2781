// The training loop (src/train/learner.ts) on the tiny smoke data.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { Dataset } from '../../src/data/task';
import { loadDataset } from '../../src/data/dataset';
import { DivergedError, Learner, overfitBatch } from '../../src/train/learner';
import { buildModel, resetState } from '../../src/models/build';

let data: Dataset;
const small = { channels: 8 };

before(async () => {
  await initBackend({ quiet: true });
  data = loadDataset({ nTrain: 320, nTest: 40 }, { log: () => {} }).dataset;
});

describe('Learner', () => {
  it('lowers the loss when training on one batch', () => {
    const points = overfitBatch(buildModel('cnn', small), data, {
      steps: 30,
      every: 10,
      fit: { lr: 1e-2 },
    });
    assert.deepEqual(
      points.map((p) => p.step),
      [0, 10, 20],
    );
    assert.ok(points[2].loss < points[0].loss * 0.9, `loss ${points[0].loss} → ${points[2].loss}`);
  });

  it('records the training loss per batch and the validation loss per epoch', async () => {
    const learner = new Learner(buildModel('cnn', small), data, { batchSize: 128 });
    await learner.fit(2);
    const r = { history: learner.history, epochSeconds: learner.epochSeconds };
    const train = r.history.filter((p) => p.split === 'train');
    const valid = r.history.filter((p) => p.split === 'valid');
    assert.equal(train.length, 2 * Math.ceil(256 / 128));
    assert.deepEqual(
      valid.map((p) => [p.epoch, p.step]),
      [
        [0, 2],
        [1, 4],
      ],
    );
    assert.equal(r.epochSeconds.length, 2);
    assert.equal(learner.epochsDone, 2);
    assert.ok(
      Math.abs(learner.evaluate('valid') - valid[1].loss) < 1e-6,
      'evaluation is deterministic',
    );
  });

  for (const kind of ['cnn', 'attention', 'lstm-blog'] as const) {
    it(`leaks no tensors across an epoch (${kind})`, async () => {
      const config =
        kind === 'lstm-blog'
          ? { hidden: 8 }
          : kind === 'attention'
            ? { channels: 8, keyChannels: 4 }
            : small;
      const learner = new Learner(buildModel(kind, config), data);
      await learner.fit(1); // creates Adam's slots once
      const before = tf.memory().numTensors;
      await learner.fit(2);
      learner.predict('test');
      assert.equal(tf.memory().numTensors, before);
    });
  }

  it('predicts [n, 100] for a split', () => {
    const learner = new Learner(buildModel('cnn', small), data);
    assert.equal(learner.predict('test').length, 40 * 100);
    assert.equal(learner.predict('test', [3, 5]).length, 200);
  });

  it('resets the blog LSTM state at each epoch and before validation', async () => {
    const built = buildModel('lstm-blog', { hidden: 8 });
    const learner = new Learner(built, data);
    await learner.fit(1);
    const a = learner.evaluate('valid');
    built.model.predict(tf.ones([5, 100, 1])); // leaves a different carried state behind
    assert.equal(learner.evaluate('valid'), a, 'evaluate starts from a reset state');
    resetState(built);
  });

  it('stops with DivergedError when the loss is not finite', async () => {
    const learner = new Learner(buildModel('cnn', small), data, { lr: 1e30 });
    await assert.rejects(learner.fit(3), DivergedError);
  });

  it('with carryState false, resets the blog LSTM before every batch: batch order no longer matters to a batch', async () => {
    // Two learners from the same weights; one carries the state, the other resets it. After the
    // first batch their losses must differ only when the state is carried.
    const losses = async (carryState: boolean) => {
      const learner = new Learner(buildModel('lstm-blog', { hidden: 8, carryState }), data, {
        lr: 1e-9,
      });
      await learner.fit(1);
      return learner.history.filter((p) => p.split === 'train').map((p) => p.loss);
    };
    const carried = await losses(true);
    const reset = await losses(false);
    assert.equal(carried[0], reset[0], 'the first batch starts from a zero state either way');
    assert.notEqual(
      carried[1],
      reset[1],
      'the second batch sees the carried state only when carryState is true',
    );
  });

  it('refuses data whose channels the model does not take', () => {
    const pe = loadDataset(
      { nTrain: 20, nTest: 5, positionalEncoding: true },
      { log: () => {} },
    ).dataset;
    assert.throws(
      () => new Learner(buildModel('cnn', small), pe),
      /takes 1 input channel\(s\) but the data has 8.*inChannels: 8/,
    );
    assert.doesNotThrow(() => new Learner(buildModel('cnn', { ...small, inChannels: 8 }), pe));
  });
});
