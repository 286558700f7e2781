// Saved runs, checkpoints and resume (src/train/runs.ts, checkpoint.ts) on the tiny smoke data.
import '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, initBackend, requireTrainingBackend } from '../../src/runtime/backend';
import { checkpointFile, lockRun, RunLockedError } from '../../src/train/checkpoint';
import { hasSavedRun, planRun, trainOrLoad } from '../../src/train/runs';

const small = { channels: 8 };
const opts = {
  kind: 'cnn' as const,
  config: small,
  data: { nTrain: 320, nTest: 40 },
  fit: { epochs: 1 },
};
const quiet = { log: () => {} };

before(async () => {
  await initBackend({ quiet: true });
});

describe('saved runs', () => {
  it('reuses a saved run with identical predictions, and retrains on request', async () => {
    const first = await trainOrLoad(planRun(opts), quiet);
    const second = await trainOrLoad(planRun(opts), quiet);
    assert.equal(first.source, 'trained');
    assert.equal(second.source, 'saved');
    assert.deepEqual(second.record, first.record);
    assert.deepEqual(second.learner.predict('test'), first.learner.predict('test'));
    const again = await trainOrLoad(planRun(opts), { ...quiet, retrain: true });
    assert.equal(again.source, 'trained');
  });

  it('tells whether a saved run exists without loading data or weights', async () => {
    await trainOrLoad(planRun(opts), quiet);
    assert.equal(hasSavedRun(planRun(opts)), true);
    assert.equal(hasSavedRun(planRun({ ...opts, fit: { epochs: 2 } })), false);
    assert.equal(hasSavedRun(planRun({ ...opts, config: { ...small, seed: 7 } })), false);
  });

  it('moves a corrupt save aside and retrains', async () => {
    const plan = planRun(opts);
    await trainOrLoad(plan, quiet);
    fs.writeFileSync(plan.file, fs.readFileSync(plan.file).subarray(0, 100));
    const msgs: string[] = [];
    const again = await trainOrLoad(plan, { log: (m) => msgs.push(m) });
    assert.equal(again.source, 'trained');
    assert.match(msgs.join(), /unusable: corrupt/);
  });

  it("keys saves by model config, so a tweak never reuses another config's weights", async () => {
    const a = planRun(opts);
    const b = planRun({ ...opts, config: { ...small, kernelSize: 3 } });
    assert.notEqual(a.key, b.key);
    assert.notEqual(a.file, b.file);
    assert.equal((await trainOrLoad(b, quiet)).source, 'trained');
  });

  it('keeps the keys of runs saved before a config field existed, while a new value gets its own', () => {
    const before = planRun({ kind: 'attention', config: {}, data: opts.data, fit: opts.fit });
    const heads = planRun({
      kind: 'attention',
      config: { heads: 2 },
      data: opts.data,
      fit: opts.fit,
    });
    assert.notEqual(before.key, heads.key);
    assert.equal(
      planRun({
        kind: 'attention',
        config: { heads: 1, window: 0 },
        data: opts.data,
        fit: opts.fit,
      }).key,
      before.key,
    );
  });

  it('refuses a bad config before any work, naming the field', () => {
    assert.throws(
      () => planRun({ ...opts, config: { kernelSize: 4 } }),
      /cnn\.kernelSize must be odd/,
    );
    assert.throws(
      () => planRun({ ...opts, fit: { epochs: 0 } }),
      /fit\.epochs must be an integer >= 1, got 0/,
    );
    assert.throws(
      () => planRun({ ...opts, data: { nTrain: 2.5 } }),
      /data\.nTrain must be an integer/,
    );
    assert.throws(() => planRun({ ...opts, kind: 'transformer' as 'cnn' }), /model must be one of/);
  });
});

describe('checkpoints', () => {
  it('resumes an interrupted run from its last finished epoch and ends where an unbroken run ends', async () => {
    const plan = planRun({ ...opts, fit: { epochs: 3, seed: 5 } });
    const unbroken = await trainOrLoad(plan, quiet);
    fs.rmSync(plan.file);
    // Interrupt the second attempt after its second epoch, the way a kill would: the checkpoint
    // of epoch 2 is on disk, the run is not.
    const stop = new Error('killed');
    const ckpt = checkpointFile(`${plan.kind}-${plan.key}`);
    await assert.rejects(
      trainOrLoad(plan, {
        ...quiet,
        onProgress: (e) => {
          if (e.epoch === 2 && e.batch === 1) throw stop;
        },
      }),
      /killed/,
    );
    assert.ok(fs.existsSync(ckpt), 'a checkpoint is on disk');
    assert.ok(!fs.existsSync(plan.file), 'no saved run yet');
    const resumed = await trainOrLoad(plan, quiet);
    assert.equal(resumed.record.resumedFromEpoch, 2);
    assert.equal(resumed.record.history.filter((p) => p.split === 'valid').length, 3);
    assert.deepEqual(
      resumed.record.history.map((p) => [p.epoch, p.step, p.split]),
      unbroken.record.history.map((p) => [p.epoch, p.step, p.split]),
    );
    assert.ok(
      Math.abs(resumed.record.validLoss - unbroken.record.validLoss) <
        1e-4 * unbroken.record.validLoss + 1e-6,
    );
    assert.ok(!fs.existsSync(ckpt), 'the checkpoint is folded into the saved run');
  });

  it('refuses a second process on the same run, and takes over the lock of a dead one', () => {
    const file = checkpointFile('lock-test');
    const release = lockRun(file, 'lock test');
    fs.writeFileSync(`${file}.lock`, '1'); // pid 1 is alive and is not us
    assert.throws(
      () => lockRun(file, 'lock test'),
      (e: Error) => e instanceof RunLockedError && /pid 1/.test(e.message),
    );
    fs.writeFileSync(`${file}.lock`, '999999999'); // no such process: a killed owner
    const again = lockRun(file, 'lock test');
    again();
    release();
    assert.ok(!fs.existsSync(`${file}.lock`));
  });
});

describe('one backend from start to end', () => {
  const blog = {
    kind: 'lstm-blog' as const,
    config: { hidden: 16 },
    data: { nTrain: 640, nTest: 128 },
    fit: { epochs: 1 },
  };

  it('trains the blog LSTM on the chosen backend, without switching, and leaks nothing', async () => {
    const chosen = tf.getBackend();
    const before = tf.memory().numTensors;
    const run = await trainOrLoad(planRun(blog), { ...quiet, retrain: true });
    assert.equal(run.record.backend, activeBackend());
    assert.equal(tf.getBackend(), chosen);
    assert.ok(Math.abs(run.learner.evaluate('test') - run.record.testLoss) < 1e-5);
    run.built.model.dispose();
    run.learner.optimizer.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('refuses to train without native TensorFlow unless the stock backend was asked for', () => {
    assert.throws(() => requireTrainingBackend('cpu', {}), /npm run setup:native/);
    assert.doesNotThrow(() => requireTrainingBackend('cpu', { EA_BACKEND: 'cpu' }));
    assert.doesNotThrow(() => requireTrainingBackend('tfjs-node', {}));
    assert.doesNotThrow(() => requireTrainingBackend('tfjs-node-gpu', {}));
  });
});
