// The training loop (src/learner.ts) and saved runs (src/results.ts) on the tiny smoke data.
import '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { Dataset } from '../../src/data/task';
import { loadDataset } from '../../src/data/dataset';
import { DivergedError, Learner, overfitBatch } from '../../src/train/learner';
import { buildModel, resetState } from '../../src/models/build';
import { hasSavedRun, overfitOrLoad, runFile, runKey, trainOrLoad } from '../../src/train/runs';

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
      train: { lr: 1e-2 },
    });
    assert.deepEqual(
      points.map((p) => p.step),
      [0, 10, 20],
    );
    assert.ok(points[2].loss < points[0].loss * 0.9, `loss ${points[0].loss} → ${points[2].loss}`);
  });

  it('records the training loss per batch and the validation loss per epoch', () => {
    const learner = new Learner(buildModel('cnn', small), data, { batchSize: 128 });
    const r = learner.fit(2);
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
    assert.equal(r.validLoss, valid[1].loss);
    assert.ok(
      Math.abs(learner.evaluate('valid') - r.validLoss) < 1e-6,
      'evaluation is deterministic',
    );
  });

  for (const kind of ['cnn', 'attention', 'lstm-blog'] as const) {
    it(`leaks no tensors across an epoch (${kind})`, () => {
      const config =
        kind === 'lstm-blog'
          ? { hidden: 8 }
          : kind === 'attention'
            ? { channels: 8, keyChannels: 4 }
            : small;
      const learner = new Learner(buildModel(kind, config), data);
      learner.fit(1); // creates Adam's slots once
      const before = tf.memory().numTensors;
      learner.fit(1);
      learner.predict('test');
      assert.equal(tf.memory().numTensors, before);
    });
  }

  it('predicts [n, 100] for a split', () => {
    const learner = new Learner(buildModel('cnn', small), data);
    assert.equal(learner.predict('test').length, 40 * 100);
    assert.equal(learner.predict('test', [3, 5]).length, 200);
  });

  it('resets the blog LSTM state at each epoch and before validation', () => {
    const built = buildModel('lstm-blog', { hidden: 8 });
    const learner = new Learner(built, data);
    learner.fit(1);
    const a = learner.evaluate('valid');
    built.model.predict(tf.ones([5, 100, 1])); // leaves a different carried state behind
    assert.equal(learner.evaluate('valid'), a, 'evaluate starts from a reset state');
    resetState(built);
  });

  it('stops with DivergedError when the loss is not finite', () => {
    const learner = new Learner(buildModel('cnn', small), data, { lr: 1e30 });
    assert.throws(() => learner.fit(3), DivergedError);
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

describe('saved runs', () => {
  const opts = {
    kind: 'cnn' as const,
    config: small,
    data: { nTrain: 320, nTest: 40 },
    train: { epochs: 1 },
    log: () => {},
  };

  it('reuses a saved run with identical predictions, and retrains on request', async () => {
    const first = await trainOrLoad(opts);
    const second = await trainOrLoad(opts);
    assert.equal(first.source, 'trained');
    assert.equal(second.source, 'saved');
    assert.deepEqual(second.record, first.record);
    assert.deepEqual(second.learner.predict('test'), first.learner.predict('test'));
    const again = await trainOrLoad({ ...opts, retrain: true });
    assert.equal(again.source, 'trained');
  });

  it('tells whether a saved run exists without loading data or weights', async () => {
    await trainOrLoad(opts);
    assert.equal(hasSavedRun(opts), true);
    assert.equal(hasSavedRun({ ...opts, train: { epochs: 2 } }), false);
    assert.equal(hasSavedRun({ ...opts, config: { ...small, seed: 7 } }), false);
  });

  it('moves a corrupt save aside and retrains', async () => {
    const run = await trainOrLoad(opts);
    const key = runKey('cnn', run.record.config, run.record.data, run.record.train);
    const file = runFile('cnn', key);
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 100));
    const msgs: string[] = [];
    const again = await trainOrLoad({ ...opts, log: (m) => msgs.push(m) });
    assert.equal(again.source, 'trained');
    assert.match(msgs.join(), /unusable: corrupt/);
  });

  it("keys saves by model config, so a tweak never reuses another config's weights", async () => {
    const a = await trainOrLoad(opts);
    const b = await trainOrLoad({ ...opts, config: { ...small, kernelSize: 3 } });
    assert.equal(b.source, 'trained');
    assert.notEqual(
      runKey('cnn', a.record.config, a.record.data, a.record.train),
      runKey('cnn', b.record.config, b.record.data, b.record.train),
    );
  });

  it('saves the overfit check, so a second call only reads it', () => {
    const o = {
      kind: 'cnn' as const,
      config: small,
      data: { nTrain: 320, nTest: 40 },
      steps: 4,
      every: 2,
    };
    const first = overfitOrLoad(o);
    const second = overfitOrLoad(o);
    assert.equal(first.source, 'trained');
    assert.equal(second.source, 'saved');
    assert.deepEqual(second.points, first.points);
    assert.equal(overfitOrLoad({ ...o, retrain: true }).source, 'trained');
  });
});
