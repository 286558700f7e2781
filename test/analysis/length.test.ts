// Length generalisation (src/analysis/length.ts) on tiny saved runs: the rebuild at 100 gives
// the run's own test loss, the rebuild at 200 holds the trained weights, and a model with a
// weight tied to 100 positions is reported as not applicable instead of given a number.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Dataset } from '../../src/data/task';
import { batchTensors, noiseFloor } from '../../src/data/dataset';
import { lengthTestSet } from '../../src/data/length';
import { buildModel } from '../../src/models/build';
import { ModelConfigs, ModelKind } from '../../src/models/configs';
import { initBackend } from '../../src/runtime/backend';
import { TrainedRun, planRun, trainOrLoad } from '../../src/train/runs';
import { copyLoss, lengthGeneralisation, lossOn, rebuildAtLength } from '../../src/analysis/length';

const data = { nTrain: 320, nTest: 40 };
const quiet = { log: () => {} };

/** A tiny run of `kind`, trained once, then loaded back from its saved file. */
async function savedRun<K extends ModelKind>(
  kind: K,
  config: Partial<ModelConfigs[K]>,
): Promise<TrainedRun<K>> {
  const plan = planRun({ kind, config, data, fit: { epochs: 1, batchSize: 32 } });
  await trainOrLoad(plan, quiet);
  const run = await trainOrLoad(plan, quiet);
  assert.equal(run.source, 'saved');
  return run;
}

let cnn: TrainedRun<'cnn'>;
let ds: Dataset;

before(async () => {
  await initBackend({ quiet: true });
  cnn = await savedRun('cnn', { channels: 8 });
  ds = cnn.loaded.dataset;
});

describe('length generalisation', () => {
  it("reproduces each saved run's test loss when rebuilt at its own length", async () => {
    // Bugs caught: weights not copied or copied out of order; a normalisation unlike training's.
    const runs = [
      cnn,
      await savedRun('attention', { channels: 8, keyChannels: 8, positionEncoding: 'sinusoidal' }),
      await savedRun('lstm-seq', { hidden: 8 }),
    ];
    for (const run of runs) {
      const rows = await lengthGeneralisation(run.built, run.loaded.dataset, { n: 30 });
      assert.deepEqual(
        rows.map((r) => [r.length, r.source, r.applicable]),
        [
          [50, 'generated', true],
          [100, 'test split', true],
          [200, 'generated', true],
        ],
      );
      const at100 = rows[1].loss!;
      assert.ok(Math.abs(at100 - run.record.testLoss) < 1e-6 * run.record.testLoss, run.built.kind);
      for (const r of rows) {
        assert.ok(Number.isFinite(r.loss) && r.loss! > 0);
        assert.equal(r.floor, noiseFloor(run.loaded.dataset));
        assert.ok(Math.abs(r.ofCopy! - r.loss! / r.copy) < 1e-12);
      }
    }
  });

  it('rebuilt at 200 steps, a CNN gives the same outputs as at 100 where it cannot see the cut', async () => {
    // Bug caught: the rebuilt model keeping its fresh initial weights instead of the trained ones.
    const r = await rebuildAtLength(cnn.built, 200);
    assert.ok(r.ok);
    const { x, y } = batchTensors(ds, 'test', [0, 1]);
    const long = tf.concat([x, tf.reverse(x, 1)], 1); // [2, 200, 1]
    const want = cnn.built.model.predict(x) as tf.Tensor;
    const got = r.built.model.predict(long) as tf.Tensor;
    // Five convs of kernel 5 see 10 steps to each side: steps 0..89 never see step 100 on.
    const diff = tf.tidy(() =>
      tf.max(tf.abs(tf.sub(got.slice([0, 0, 0], [2, 90, 1]), want.slice([0, 0, 0], [2, 90, 1])))),
    );
    assert.ok(diff.dataSync()[0] < 1e-5, String(diff.dataSync()[0]));
    const far = tf.tidy(() =>
      tf.max(
        tf.abs(tf.sub(got.slice([0, 100, 0], [2, 90, 1]), want.slice([0, 10, 0], [2, 90, 1]))),
      ),
    );
    assert.ok(far.dataSync()[0] > 1e-3, 'the second half is a mirror, not a copy');
    tf.dispose([x, y, long, want, got, diff, far]);
    r.built.model.dispose();
  });

  it("says 'not applicable', with the reason, for a weight tied to 100 positions", async () => {
    // Bug caught: a pooled model run at 200 steps with its bias cut or padded, given a number.
    const pooled = buildModel('pooled', { channels: 8 });
    const before = tf.memory().numTensors;
    const rows = await lengthGeneralisation(pooled, ds, { n: 10 });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(
      rows.map((r) => r.applicable),
      [false, true, false],
    );
    for (const r of [rows[0], rows[2]]) {
      assert.equal(r.loss, null);
      assert.equal(r.ofCopy, null);
      assert.match(r.reason, /pooling\/bias is \[100\] at length 100 .*tied to the trained length/);
    }
    const blog = await rebuildAtLength(buildModel('lstm-blog', { hidden: 4 }), 50);
    assert.ok(!blog.ok);
    assert.match(blog.reason, /cannot be built at length 50/);
    pooled.model.dispose();
  });

  it('leaves no tensor behind, and refuses a split of another length', async () => {
    const built = buildModel('attention', { channels: 8, keyChannels: 8 });
    const before = tf.memory().numTensors;
    await lengthGeneralisation(built, ds, { n: 10 });
    assert.equal(tf.memory().numTensors, before);
    assert.throws(
      () => lossOn(built, ds, lengthTestSet(ds, 50, 2)),
      /takes 100 steps but the split has 50/,
    );
    await assert.rejects(lengthGeneralisation(built, ds, { lengths: [20] }), /length/);
    built.model.dispose();
  });

  it('measures the copy-the-input error in training units', () => {
    // Two samples of 2 steps (the length check is not copyLoss's business): errors 1, 0, 2, 1.
    const split = {
      n: 2,
      length: 2,
      x: Float32Array.of(1, 2, 3, 4),
      y: Float32Array.of(2, 2, 5, 3),
      shapes: new Float64Array(24),
    };
    assert.equal(copyLoss({ std: 2 }, split), (1 + 0 + 4 + 1) / 4 / 4);
  });
});
