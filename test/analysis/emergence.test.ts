// The attention's emergence over a run's snapshots (src/analysis/emergence.ts), on a tiny run:
// 320 samples, 2 epochs, quarter epochs in the first (6 snapshots).
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { attentionMaps, quartiles } from '../../src/analysis/attention-stats';
import { emergenceOf } from '../../src/analysis/emergence';
import { idealScore } from '../../src/analysis/ideal';
import { pairReads, roleMasses } from '../../src/analysis/role-masses';
import { loadDataset } from '../../src/data/dataset';
import { Dataset, shapesOf } from '../../src/data/task';
import { initBackend } from '../../src/runtime/backend';
import { SnapshotSet, replaySnapshots, snapshotsOrTrain } from '../../src/train/snapshots';

let set: SnapshotSet<'attention'>;
let data: Dataset;
const SAMPLES = [0, 3, 5, 7];

before(async () => {
  await initBackend({ quiet: true });
  set = await snapshotsOrTrain({
    kind: 'attention',
    config: { channels: 8, keyChannels: 8 },
    data: { nTrain: 320, nTest: 10 },
    fit: { epochs: 2, batchSize: 32 },
    schedule: { fineEpochs: 1, perEpoch: 4 },
    log: () => {},
  });
  data = loadDataset(set.data, { log: () => {} }).dataset;
});

describe('emergence', () => {
  it("gives each snapshot's loss, score and masses, from that snapshot's weights", () => {
    // Bug caught: every point computed from the last weights (the replay's model is shared), or
    // the recorded validation loss of another snapshot.
    const before = tf.memory().numTensors;
    const { points, maps } = emergenceOf(set, data, { samples: SAMPLES, mapSample: 9 });
    assert.equal(tf.memory().numTensors, before, 'tensors left behind');
    assert.deepEqual(
      points.map((p) => p.epoch),
      [0, 0.25, 0.5, 0.75, 1, 2],
    );
    assert.deepEqual(
      points.map((p) => p.valid),
      set.snapshots.map((s) => s.validLoss),
    );
    const shapes = SAMPLES.map((s) => shapesOf(data.test, s));
    let k = 0;
    for (const { learner } of replaySnapshots(set, data)) {
      const a = attentionMaps(learner, SAMPLES);
      const score = idealScore(a, shapes);
      const shapeRows = roleMasses(a, shapes).find((r) => r.outputs === 'shapes')!;
      const p = points[k];
      assert.ok(Math.abs(p.score - score.all) < 1e-9, `score at snapshot ${k}`);
      assert.ok(Math.abs(p.scoreShapes - score.shapes) < 1e-9);
      assert.ok(Math.abs(p.own - shapeRows.own!) < 1e-9);
      assert.ok(Math.abs(p.partner - shapeRows.partner!) < 1e-9);
      assert.ok(Math.abs(p.otherKind - shapeRows.otherPair!) < 1e-9);
      assert.ok(Math.abs(p.own + p.partner + p.otherKind + p.floor - 1) < 1e-5);
      const leans = pairReads(a, shapes, SAMPLES)
        .filter((r) => r.kind === 'boxes')
        .map((r) => r.lean);
      assert.equal(p.boxLean, quartiles(leans).median, `box lean at snapshot ${k}`);
      const m = attentionMaps(learner, [9])[0];
      assert.ok(
        m.every((v, c) => v === maps[k].map[c]),
        `map at snapshot ${k}`,
      );
      k++;
    }
    assert.equal(k, points.length);
    // The weights do change along the run: the first and last maps differ.
    assert.ok(maps[0].map.some((v, c) => v !== maps[maps.length - 1].map[c]));
  });

  it('refuses a sample outside the test split', () => {
    assert.throws(
      () => emergenceOf(set, data, { samples: [0], mapSample: 10 }),
      /outside the test split/,
    );
  });
});
