// Checkpoints (src/train/checkpoint.ts): a learner's whole state after an epoch, saved and
// restored into a fresh learner, without leaking tensors; unusable files are moved aside.
import { TMP } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { Dataset } from '../../src/data/task';
import { loadDataset } from '../../src/data/dataset';
import { buildModel } from '../../src/models/build';
import { Learner } from '../../src/train/learner';
import { checkpointFile, restoreCheckpoint, saveCheckpoint } from '../../src/train/checkpoint';

let data: Dataset;
const config = { channels: 4, seed: 2 };
const fit = { batchSize: 64 };

before(async () => {
  await initBackend({ quiet: true });
  data = loadDataset({ nTrain: 160, nTest: 8 }, { log: () => {} }).dataset;
});

const fresh = () => new Learner(buildModel('cnn', config), data, fit);
const values = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
let n = 0;
const newFile = () => path.join(TMP!, 'checkpoints', `test-${n++}.ckpt`);

describe('checkpoints', () => {
  it('live under data/checkpoints/', () => {
    assert.equal(checkpointFile('cnn-abc'), path.join(TMP!, 'checkpoints', 'cnn-abc.ckpt'));
  });

  it("restores the weights, Adam's moments and step, the history and the epoch count", async () => {
    const file = newFile();
    const a = fresh();
    await a.fit(2);
    await saveCheckpoint(file, 'key', a);
    const b = fresh();
    const messages: string[] = [];
    assert.equal(await restoreCheckpoint(file, 'key', b, (m) => messages.push(m)), 2);
    assert.deepEqual(messages, []);
    assert.deepEqual(values(b.built.model.getWeights()), values(a.built.model.getWeights()));
    const moments = async (l: Learner) => {
      const w = await l.optimizer.getWeights();
      const out = { names: w.map((x) => x.name), values: values(w.map((x) => x.tensor)) };
      w[0].tensor.dispose(); // the iteration count is a fresh scalar
      return out;
    };
    const [ma, mb] = [await moments(a), await moments(b)];
    assert.equal(ma.values.length, 1 + 2 * a.built.model.trainableWeights.length);
    assert.deepEqual(mb, ma);
    assert.deepEqual(
      [b.epochsDone, b.step, b.history, b.epochSeconds],
      [a.epochsDone, a.step, a.history, a.epochSeconds],
    );
    assert.equal(b.step, 2 * Math.ceil(128 / 64));
  });

  it('saving leaks no tensor; restoring adds only the moments Adam keeps', async () => {
    const file = newFile();
    const a = fresh();
    await a.fit(1);
    await saveCheckpoint(file, 'key', a); // the first save may create lasting state
    let before = tf.memory().numTensors;
    await saveCheckpoint(file, 'key', a);
    assert.equal(tf.memory().numTensors, before, 'saving leaked');

    const b = fresh();
    before = tf.memory().numTensors;
    await restoreCheckpoint(file, 'key', b, assert.fail);
    const moments = 2 * b.built.model.trainableWeights.length; // Adam's m and v per weight
    assert.equal(tf.memory().numTensors - before, moments, 'restoring leaked');
  });

  it('starts over from epoch 0 when there is no checkpoint, quietly', async () => {
    const messages: string[] = [];
    assert.equal(await restoreCheckpoint(newFile(), 'key', fresh(), (m) => messages.push(m)), 0);
    assert.deepEqual(messages, []);
  });

  it('moves an unusable checkpoint aside, says so, and starts over', async () => {
    const dir = path.join(TMP!, 'checkpoints');
    for (const [what, spoil] of [
      ['corrupt', (file: string) => fs.writeFileSync(file, 'not a checkpoint')],
      ['another run', () => {}],
    ] as const) {
      const file = newFile();
      const a = fresh();
      await a.fit(1);
      await saveCheckpoint(file, 'key', a);
      spoil(file);
      const messages: string[] = [];
      const b = fresh();
      const key = what === 'another run' ? 'other key' : 'key';
      assert.equal(await restoreCheckpoint(file, key, b, (m) => messages.push(m)), 0, what);
      assert.equal(b.epochsDone, 0);
      assert.equal(messages.length, 1, what);
      assert.match(messages[0], /is unusable: .*moved it to .*\.bad-.*starting over/);
      assert.ok(!fs.existsSync(file), `${what}: the checkpoint was moved`);
      const moved = fs.readdirSync(dir).filter((f) => f.startsWith(`${path.basename(file)}.bad-`));
      assert.equal(moved.length, 1, `${what}: kept aside, not deleted`);
    }
  });

  it('refuses a checkpoint of a model with other weights', async () => {
    const file = newFile();
    const a = fresh();
    await a.fit(1);
    await saveCheckpoint(file, 'key', a);
    const deeper = new Learner(buildModel('cnn', { ...config, depth: 3 }), data, fit);
    const before = tf.memory().numTensors;
    await assert.rejects(
      restoreCheckpoint(file, 'key', deeper, assert.fail),
      /holds 10 weights, the model has 6/,
    );
    assert.equal(tf.memory().numTensors, before, 'the decoded weights were freed');
  });
});
