// The training loop (src/train/learner.ts) on the tiny smoke data: losses, leaks, state resets,
// and the batch order (new every epoch, and the same after a resume from a checkpoint).
import { TMP } from '../setup';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { Dataset, SEQ_LENGTH } from '../../src/data/task';
import { batchTensors, batchesOf, loadDataset } from '../../src/data/dataset';
import { rngFrom } from '../../src/data/random';
import { DivergedError, Learner, mse, overfitBatch } from '../../src/train/learner';
import { restoreCheckpoint, saveCheckpoint } from '../../src/train/checkpoint';
import { BuiltModel, buildModel, resetState } from '../../src/models/build';

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

  it('predicts [n, 100] for a split, sample by sample in the order asked', () => {
    const learner = new Learner(buildModel('cnn', small), data, { batchSize: 16 });
    const all = learner.predict('test'); // three batches: 16, 16 and 8
    assert.equal(all.length, 40 * 100);
    const some = learner.predict('test', [35, 3]);
    assert.equal(some.length, 200);
    const row = (a: Float32Array, k: number) => Array.from(a.subarray(k * 100, (k + 1) * 100));
    assert.deepEqual(row(some, 0), row(all, 35));
    assert.deepEqual(row(some, 1), row(all, 3));
    assert.notDeepEqual(row(all, 35), row(all, 3));
  });

  it('evaluates the MSE over a whole split, weighting a short last batch by its size', () => {
    // 64 validation samples in batches of 48 and 16: an unweighted mean of the two batch losses
    // would differ from the MSE over all 64 samples.
    const learner = new Learner(buildModel('cnn', small), data, { batchSize: 48 });
    const p = learner.predict('valid');
    let se = 0;
    data.validIdx.forEach((i, k) => {
      for (let t = 0; t < 100; t++) {
        const target = (data.pool.y[i * 100 + t] - data.mean) / data.std;
        se += (p[k * 100 + t] - target) ** 2;
      }
    });
    const want = se / (data.validIdx.length * 100);
    const got = learner.evaluate('valid');
    assert.equal(data.validIdx.length, 64);
    assert.ok(Math.abs(got - want) < 1e-5 * want, `${got} vs ${want}`);
  });

  it('resets the blog LSTM state before validation: evaluation does not depend on what ran before', async () => {
    const built = buildModel('lstm-blog', { hidden: 8 });
    const learner = new Learner(built, data);
    await learner.fit(1);
    const a = learner.evaluate('valid');
    // Two predictions of the same batch differ: the state carried over from the first moves the second.
    const ones = tf.ones([5, 100, 1]);
    const [p1, p2] = [0, 1].map(() => built.model.predict(ones) as tf.Tensor);
    assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(p1, p2))).dataSync()[0]) > 1e-6);
    tf.dispose([ones, p1, p2]);
    assert.equal(learner.evaluate('valid'), a, 'evaluate starts from a reset state');
    resetState(built);
  });

  it("resets the blog LSTM state at the start of each epoch: the epoch's first batch starts from zero", async () => {
    // With a learning rate of 1e-30 the weights never move, so the first training loss of epoch 1
    // must equal the loss of that batch from a reset state, whatever validation left behind.
    const built = buildModel('lstm-blog', { hidden: 8 });
    const fit = { lr: 1e-30, seed: 6 };
    const learner = new Learner(built, data, fit);
    await learner.fit(2);
    const first = learner.history.find((p) => p.epoch === 1 && p.split === 'train')!;
    const [batch] = batchesOf(data.trainIdx, 128, rngFrom(`${fit.seed}/epoch/1`));
    const { x, y } = batchTensors(data, 'train', batch);
    resetState(built);
    const fresh = tf.tidy(() => mse(built.model.predict(x) as tf.Tensor, y).dataSync()[0]);
    resetState(built);
    const carried = tf.tidy(() => {
      built.model.predict(x);
      return mse(built.model.predict(x) as tf.Tensor, y).dataSync()[0];
    });
    resetState(built);
    tf.dispose([x, y]);
    assert.ok(Math.abs(carried - fresh) > 1e-6, 'the state would matter');
    assert.ok(Math.abs(first.loss - fresh) < 1e-6 * fresh, `${first.loss} vs ${fresh}`);
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

/**
 * The data with every training input replaced by its own sample number (x = i / 1000 at every
 * step, mean 0 and std 1, so the normalised input is exactly that), which lets a test read off
 * which samples each training batch held.
 */
function numbered(ds: Dataset): Dataset {
  const x = new Float32Array(ds.pool.x.length);
  for (let i = 0; i < ds.pool.n; i++) x.fill(i / 1000, i * SEQ_LENGTH, (i + 1) * SEQ_LENGTH);
  return { ...ds, pool: { ...ds.pool, x }, mean: 0, std: 1 };
}

/**
 * Wraps the model so that every training forward pass records the sample numbers of its batch,
 * in batch order (see `numbered`). Evaluation and prediction passes are not recorded.
 */
function recordBatches(built: BuiltModel): number[][] {
  const seen: number[][] = [];
  const model = built.model;
  const apply = model.apply.bind(model);
  model.apply = ((inputs, kwargs) => {
    if (kwargs?.training) {
      const v = (inputs as tf.Tensor).dataSync();
      seen.push(
        Array.from({ length: v.length / SEQ_LENGTH }, (_, k) =>
          Math.round(v[k * SEQ_LENGTH] * 1000),
        ),
      );
    }
    return apply(inputs, kwargs);
  }) as typeof model.apply;
  return seen;
}

/** The recorded batches cut into epochs of `perEpoch` batches, each epoch as one flat order. */
const epochsOf = (batches: number[][], perEpoch: number): number[][] =>
  Array.from({ length: batches.length / perEpoch }, (_, e) =>
    batches.slice(e * perEpoch, (e + 1) * perEpoch).flat(),
  );

describe('batch order', () => {
  const fit = { batchSize: 32, seed: 3 };
  const perEpoch = 8; // 256 training samples in batches of 32

  it('shuffles every epoch in a new order, the one seeded by (seed, epoch), covering each sample once', async () => {
    const ds = numbered(data);
    const built = buildModel('cnn', small);
    const seen = recordBatches(built);
    await new Learner(built, ds, fit).fit(3);
    assert.equal(seen.length, 3 * perEpoch, 'one recorded pass per training batch');
    const orders = epochsOf(seen, perEpoch);
    const train = [...ds.trainIdx].sort((a, b) => a - b);
    for (const order of orders) {
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        train,
        'each training sample once',
      );
    }
    assert.notDeepEqual(orders[1], orders[0], "epoch 1 repeats epoch 0's order");
    assert.notDeepEqual(orders[2], orders[1], "epoch 2 repeats epoch 1's order");
    // The order is a function of (seed, epoch) alone, as learner.ts documents: this is what lets a
    // resumed run shuffle as an unbroken one, and what the committed runs were trained with.
    orders.forEach((order, e) => {
      const want = batchesOf(ds.trainIdx, fit.batchSize, rngFrom(`${fit.seed}/epoch/${e}`));
      assert.deepEqual(
        order,
        want.flatMap((b) => [...b]),
        `epoch ${e}`,
      );
    });
    // Another seed, another order.
    const other = buildModel('cnn', small);
    const otherSeen = recordBatches(other);
    await new Learner(other, ds, { ...fit, seed: 4 }).fit(1);
    assert.notDeepEqual(otherSeen.flat(), orders[0]);
  });

  it('a run resumed from a checkpoint trains on the same batch orders as an unbroken run', async () => {
    const ds = numbered(data);
    const unbroken = buildModel('cnn', { ...small, seed: 5 });
    const unbrokenSeen = recordBatches(unbroken);
    const a = new Learner(unbroken, ds, fit);
    await a.fit(3);

    // The same run, stopped after epoch 1 and resumed in a fresh learner from its checkpoint.
    const file = path.join(TMP!, 'checkpoints', 'batch-order.ckpt');
    const first = buildModel('cnn', { ...small, seed: 5 });
    const firstSeen = recordBatches(first);
    const b = new Learner(first, ds, fit);
    await b.fit(1);
    await saveCheckpoint(file, 'k', b);
    const second = buildModel('cnn', { ...small, seed: 5 });
    const secondSeen = recordBatches(second);
    const c = new Learner(second, ds, fit);
    assert.equal(await restoreCheckpoint(file, 'k', c, assert.fail), 1);
    await c.fit(3);

    assert.equal(firstSeen.length, perEpoch);
    assert.equal(secondSeen.length, 2 * perEpoch, 'the resumed run trains epochs 1 and 2 only');
    assert.deepEqual(
      epochsOf([...firstSeen, ...secondSeen], perEpoch),
      epochsOf(unbrokenSeen, perEpoch),
    );
    // Same orders from the same weights and moments: the same losses, step by step.
    assert.deepEqual(
      c.history.map((p) => [p.step, p.epoch, p.split]),
      a.history.map((p) => [p.step, p.epoch, p.split]),
    );
    c.history.forEach((p, k) => {
      const want = a.history[k].loss;
      assert.ok(
        Math.abs(p.loss - want) <= 1e-5 * Math.abs(want),
        `point ${k}: ${p.loss} vs ${want}`,
      );
    });
  });
});
