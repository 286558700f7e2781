// Weight snapshots along a run (src/train/snapshots.ts), at a tiny size: 320 samples (256
// fitted, 8 batches of 32), 2 epochs, quarter epochs in the first.
import '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../../src/data/dataset';
import { buildResolved } from '../../src/models/build';
import { initBackend } from '../../src/runtime/backend';
import { checkpointFile } from '../../src/train/checkpoint';
import { planRun, trainOrLoad } from '../../src/train/runs';
import {
  SnapshotOptions,
  SnapshotSet,
  planSnapshots,
  replaySnapshots,
  snapshotsOrTrain,
} from '../../src/train/snapshots';

const opts: SnapshotOptions<'attention'> = {
  kind: 'attention',
  config: { channels: 8, keyChannels: 8 },
  data: { nTrain: 320, nTest: 40 },
  fit: { epochs: 2, batchSize: 32 },
  schedule: { fineEpochs: 1, perEpoch: 4 },
  log: () => {},
};

/** Every value of `got` within float16 rounding of `want` (2⁻¹¹ relative, or 2⁻²⁴ near 0). */
function closeToFloat16(got: Float32Array[], want: Float32Array[], what: string): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => {
    assert.equal(g.length, want[i].length);
    for (let k = 0; k < g.length; k++)
      assert.ok(
        Math.abs(g[k] - want[i][k]) <= Math.abs(want[i][k]) * 2 ** -11 + 2 ** -24,
        `${what}: weight ${i}[${k}] ${g[k]} vs ${want[i][k]}`,
      );
  });
}

const valuesOf = (model: tf.LayersModel) =>
  model.getWeights().map((w) => w.dataSync() as Float32Array);

let set: SnapshotSet<'attention'>;

before(async () => {
  await initBackend({ quiet: true });
  const before = tf.memory().numTensors;
  set = await snapshotsOrTrain(opts);
  assert.equal(tf.memory().numTensors, before, 'training the snapshots leaked tensors');
});

describe('weight snapshots', () => {
  it('snapshots the start, each quarter of the first epoch and every epoch end', async () => {
    assert.equal(set.source, 'trained');
    assert.deepEqual(
      set.snapshots.map((s) => [s.position, s.step]),
      [
        [0, 0],
        [0.25, 2],
        [0.5, 4],
        [0.75, 6],
        [1, 8],
        [2, 16],
      ],
    );
    assert.deepEqual(planSnapshots(opts).positions, [0, 0.25, 0.5, 0.75, 1, 2]);
    // Bug caught: the first snapshot taken after a step instead of before any.
    const fresh = buildResolved('attention', set.config);
    closeToFloat16(set.snapshots[0].weights, valuesOf(fresh.model), 'initial');
    fresh.model.dispose();
  });

  it('ends with the weights and losses of the same run trained without snapshots', async () => {
    // Bugs caught: mid-epoch validation disturbing training; the last snapshot taken early.
    const run = await trainOrLoad(planRun(opts), { log: () => {} });
    closeToFloat16(set.snapshots[5].weights, valuesOf(run.built.model), 'final');
    const valid = run.record.history.filter((p) => p.split === 'valid').map((p) => p.loss);
    assert.deepEqual(set.epochValid, valid);
    assert.equal(set.snapshots[4].validLoss, valid[0]);
    assert.equal(set.snapshots[5].validLoss, valid[1]);
    assert.equal(set.testLoss, run.record.testLoss);
    assert.equal(set.trainLoss.length, 16);
    assert.ok(Math.abs(set.validLossFloat16 - valid[1]) < 1e-3 * valid[1]);
  });

  it("replays each snapshot into a learner that gives back the snapshot's validation loss", () => {
    // Bug caught: weights applied in the wrong order, or every step showing the same snapshot.
    const data = loadDataset(opts.data, { log: () => {} }).dataset;
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    for (const { snapshot, learner } of replaySnapshots(set, data)) {
      const valid = learner.evaluate('valid');
      assert.ok(
        Math.abs(valid - snapshot.validLoss) < 1e-3 * snapshot.validLoss,
        `${snapshot.position}`,
      );
      seen.push(valid);
    }
    assert.equal(new Set(seen).size, 6);
    assert.equal(tf.memory().numTensors, before);
  });

  it('loads a finished file instead of training, and trains again only when asked', async () => {
    let batches = 0;
    const mtime = fs.statSync(set.file).mtimeMs;
    const again = await snapshotsOrTrain({ ...opts, onProgress: () => batches++ });
    assert.equal(again.source, 'saved');
    assert.equal(batches, 0);
    assert.equal(fs.statSync(set.file).mtimeMs, mtime);
    assert.deepEqual(again.snapshots, set.snapshots);
    const retrained = await snapshotsOrTrain({
      ...opts,
      retrain: true,
      onProgress: () => batches++,
    });
    assert.equal(retrained.source, 'trained');
    assert.ok(batches > 0);
    assert.deepEqual(retrained.snapshots, set.snapshots);
  });

  it('resumes an interrupted run after its last epoch, with the same snapshots as an unbroken one', async () => {
    // The try-it folder holds a second copy of the same run, so the first stays as the reference.
    const tryIt = { ...opts, tryIt: true };
    const stop = (e: { epoch: number; batch: number }) => {
      if (e.epoch === 1 && e.batch === 3) throw new Error('interrupted');
    };
    await assert.rejects(snapshotsOrTrain({ ...tryIt, onProgress: stop }), /interrupted/);
    const ckpt = checkpointFile(`snapshots-attention-${planSnapshots(tryIt).key}`);
    assert.ok(fs.existsSync(ckpt));
    const msgs: string[] = [];
    const resumed = await snapshotsOrTrain({ ...tryIt, log: (m) => msgs.push(m) });
    assert.equal(resumed.resumedFromEpoch, 1);
    assert.match(msgs.join('\n'), /snapshots resume after epoch 1/);
    assert.deepEqual(resumed.snapshots, set.snapshots);
    assert.ok(!fs.existsSync(ckpt) && !fs.existsSync(`${ckpt}.snapshots`));

    // With the checkpoint's snapshots lost, it starts over rather than save a file with holes.
    await assert.rejects(snapshotsOrTrain({ ...tryIt, retrain: true, onProgress: stop }));
    fs.rmSync(`${ckpt}.snapshots`);
    msgs.length = 0;
    const over = await snapshotsOrTrain({ ...tryIt, retrain: true, log: (m) => msgs.push(m) });
    assert.match(msgs.join('\n'), /checkpoint's snapshots are missing; starting over/);
    assert.equal(over.resumedFromEpoch, 0);
    assert.deepEqual(over.snapshots, set.snapshots);
  });

  it('refuses a bad schedule or an oversized file before any work, naming the field', () => {
    const bad: [Partial<SnapshotOptions<'attention'>>, RegExp][] = [
      [{ schedule: { fineEpochs: 1, perEpoch: 9 } }, /schedule.perEpoch is 9, over the 8 batches/],
      [{ schedule: { fineEpochs: 3, perEpoch: 4 } }, /schedule.fineEpochs is 3, over 2 epochs/],
      [{ schedule: { fineEpochs: 1, perEpoch: 0 } }, /schedule.perEpoch/],
      [{ maxBytes: 1000 }, /maxBytes is 1000 bytes, under \d+ for 6 snapshots/],
    ];
    for (const [o, message] of bad) assert.throws(() => planSnapshots({ ...opts, ...o }), message);
    assert.throws(
      () =>
        planSnapshots({
          kind: 'lstm-blog',
          config: { hidden: 4 },
          data: opts.data,
          fit: opts.fit,
          schedule: opts.schedule,
        }),
      /resets the blog LSTM's state/,
    );
    // 6 snapshots × (the tiny model's weights) × 2 bytes.
    const tiny = buildResolved('attention', set.config);
    assert.equal(planSnapshots(opts).bytes, 6 * tiny.model.countParams() * 2);
    tiny.model.dispose();
  });
});
