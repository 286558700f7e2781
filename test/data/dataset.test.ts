// The dataset as the models eat it (src/data/dataset.ts): split indices, raw samples, the
// normalised [batch, 100, channels] tensors, and batches. (The cache's write, read and recovery
// are tested in test/runtime/store.test.ts.)
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { DEFAULT_DATA, Dataset, POSITION_BITS, SEQ_LENGTH, shapesOf } from '../../src/data/task';
import {
  noiseFloor,
  batchTensors,
  batchesOf,
  datasetKey,
  indicesOf,
  loadDataset,
  sample,
} from '../../src/data/dataset';
import { rngFrom } from '../../src/data/random';

let ds: Dataset;
let pe: Dataset;

before(async () => {
  await initBackend({ quiet: true });
  ds = loadDataset({ nTrain: 50, nTest: 7 }, { log: () => {} }).dataset;
  pe = loadDataset({ nTrain: 50, nTest: 7, positionalEncoding: true }, { log: () => {} }).dataset;
});

describe('dataset', () => {
  it('keys a dataset by its whole config', () => {
    const base = { ...DEFAULT_DATA, nTrain: 50, nTest: 7 };
    assert.equal(datasetKey(base), datasetKey({ ...base }));
    for (const change of [
      { seed: 1 },
      { nTest: 8 },
      { noiseLevel: 0.2 },
      { groupByLocations: true },
    ])
      assert.notEqual(datasetKey({ ...base, ...change }), datasetKey(base), JSON.stringify(change));
  });

  it('gives the indices of each split: train and valid into the pool, test into the test split', () => {
    assert.equal(indicesOf(ds, 'train'), ds.trainIdx);
    assert.equal(indicesOf(ds, 'valid'), ds.validIdx);
    assert.deepEqual(Array.from(indicesOf(ds, 'test')), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('hands out a raw sample as a copy, and refuses one outside the split', () => {
    const s = sample(ds, 'test', 6);
    assert.deepEqual(s.x, ds.test.x.slice(6 * SEQ_LENGTH, 7 * SEQ_LENGTH));
    assert.deepEqual(s.y, ds.test.y.slice(6 * SEQ_LENGTH, 7 * SEQ_LENGTH));
    assert.deepEqual(sample(ds, 'pool', 6).x, ds.pool.x.slice(6 * SEQ_LENGTH, 7 * SEQ_LENGTH));
    s.x[0] = 1e6;
    assert.notEqual(ds.test.x[6 * SEQ_LENGTH], 1e6, 'a copy, not a view');
    assert.throws(() => sample(ds, 'test', 7), /sample 7 is outside the test split \(0\.\.6\)/);
    assert.throws(() => sample(ds, 'pool', -1), RangeError);
  });

  it('builds normalised tensors of the given samples, in the given order', () => {
    const idx = [4, 0, 4];
    const { x, y } = batchTensors(ds, 'valid', idx); // valid and train both read the pool
    assert.deepEqual(x.shape, [3, SEQ_LENGTH, 1]);
    assert.deepEqual(y.shape, [3, SEQ_LENGTH, 1]);
    const xs = x.dataSync();
    const ys = y.dataSync();
    idx.forEach((i, k) => {
      for (const t of [0, 37, 99]) {
        const want = (ds.pool.x[i * SEQ_LENGTH + t] - ds.mean) / ds.std;
        assert.ok(Math.abs(xs[k * SEQ_LENGTH + t] - want) < 1e-6, `x of sample ${i} step ${t}`);
        const wantY = (ds.pool.y[i * SEQ_LENGTH + t] - ds.mean) / ds.std;
        assert.ok(Math.abs(ys[k * SEQ_LENGTH + t] - wantY) < 1e-6, `y of sample ${i} step ${t}`);
      }
    });
    const test = batchTensors(ds, 'test', [2]);
    const want = (ds.test.x[2 * SEQ_LENGTH + 5] - ds.mean) / ds.std;
    assert.ok(Math.abs(test.x.dataSync()[5] - want) < 1e-6, 'test reads the test split');
    tf.dispose([x, y, test.x, test.y]);
  });

  it('adds the 7 position bits, unnormalised, after the value with positional encoding', () => {
    const { x, y } = batchTensors(pe, 'test', [1]);
    assert.deepEqual(x.shape, [1, SEQ_LENGTH, 1 + POSITION_BITS]);
    const rows = (x.arraySync() as number[][][])[0];
    assert.ok(Math.abs(rows[37][0] - (pe.test.x[SEQ_LENGTH + 37] - pe.mean) / pe.std) < 1e-6);
    assert.deepEqual(rows[37].slice(1), [1, 0, 1, 0, 0, 1, 0]); // 37 = 0b0100101, bit k at k
    assert.deepEqual(rows[0].slice(1), [0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(y.shape, [1, SEQ_LENGTH, 1]);
    tf.dispose([x, y]);
  });

  it('cuts indices into batches, the last one smaller; shuffled only with a PRNG', () => {
    const idx = Int32Array.from({ length: 10 }, (_, i) => 100 + i);
    const inOrder = batchesOf(idx, 4);
    assert.deepEqual(
      inOrder.map((b) => Array.from(b)),
      [
        [100, 101, 102, 103],
        [104, 105, 106, 107],
        [108, 109],
      ],
    );
    const shuffled = batchesOf(idx, 4, rngFrom('b'));
    assert.deepEqual(
      shuffled.map((b) => b.length),
      [4, 4, 2],
    );
    const flat = shuffled.flatMap((b) => Array.from(b));
    assert.notDeepEqual(flat, Array.from(idx));
    assert.deepEqual(
      [...flat].sort((a, b) => a - b),
      Array.from(idx),
    );
    assert.deepEqual(
      Array.from(idx),
      Array.from({ length: 10 }, (_, i) => 100 + i),
      'the input is left alone',
    );
    assert.throws(() => batchesOf(idx, 0), /batchSize must be an integer >= 1/);
  });

  it("noiseFloor is the target noise's variance in normalised units, as the generator draws it", () => {
    const { dataset: ds } = loadDataset({ nTrain: 400, nTest: 10 }, { log: () => {} });
    // Well away from every shape the clean target is 0, so the target there is noise alone.
    let ss = 0;
    let n = 0;
    for (let i = 0; i < ds.pool.n; i++) {
      const shapes = shapesOf(ds.pool, i);
      for (let t = 0; t < SEQ_LENGTH; t++) {
        if (shapes.some((sh) => Math.abs(t - sh.c) <= sh.w / 2 + 2)) continue;
        ss += ds.pool.y[i * SEQ_LENGTH + t] ** 2;
        n++;
      }
    }
    const empirical = ss / n / ds.std ** 2;
    const floor = noiseFloor(ds);
    assert.ok(n > 5_000, `${n} floor steps`);
    assert.ok(Math.abs(empirical / floor - 1) < 0.05, `empirical ${empirical} against ${floor}`);
    assert.ok(Math.abs(floor - 0.3 ** 2 / 12 / ds.std ** 2) < 1e-15);
    assert.equal(noiseFloor({ config: { noiseLevel: 0 }, std: 6 }), 0);
  });
});
