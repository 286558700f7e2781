// The attention layer's values and the value-weighted maps (src/analysis/value-maps.ts), on tiny
// untrained attention models: A · v from the parts must be the layer's own output.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { attentionOf } from '../../src/analysis/inference';
import {
  attentionParts,
  valueMapsOf,
  valuesOf,
  weightColumns,
} from '../../src/analysis/value-maps';
import { batchTensors, loadDataset } from '../../src/data/dataset';
import { Dataset, SEQ_LENGTH } from '../../src/data/task';
import { buildModel } from '../../src/models/build';
import { initBackend } from '../../src/runtime/backend';
import { Learner } from '../../src/train/learner';

const L = SEQ_LENGTH;
let data: Dataset;

before(async () => {
  await initBackend({ quiet: true });
  data = loadDataset({ nTrain: 20, nTest: 6 }, { log: () => {} }).dataset;
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('value maps', () => {
  for (const heads of [1, 2]) {
    it(`A · v, heads joined, is the layer's own output (${heads} head${heads > 1 ? 's' : ''})`, () => {
      // Bug caught: splitting the heads' channels differently from SelfAttention, or reading
      // the key weight instead of the value weight.
      const built = buildModel('attention', { channels: 4, keyChannels: 4, heads, seed: 3 });
      const { layer } = attentionParts(built);
      const h = tf.randomNormal([2, L, 4], 0, 1, 'float32', 7) as tf.Tensor3D;
      const before = tf.memory().numTensors;
      const [mine, theirs] = tf.tidy(() => {
        const v = valuesOf(layer, h); // [2, heads, 100, 4 / heads]
        assert.deepEqual(v.shape, [2, heads, L, 4 / heads]);
        const y = tf.matMul(layer.attention(h), v);
        return [
          tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [2, L, 4]).dataSync(),
          (layer.apply(h) as tf.Tensor).dataSync(),
        ];
      });
      assert.equal(tf.memory().numTensors, before);
      assert.ok(maxDiff(mine, theirs) < 1e-6, String(maxDiff(mine, theirs)));
      h.dispose();
      built.model.dispose();
    });
  }

  it('weights each column by w and renormalises each row', () => {
    const a = new Float32Array(L * L);
    a[0] = 0.5;
    a[1] = 0.5;
    a[L + 2] = 1;
    const w = new Float32Array(L).fill(1);
    w[1] = 3;
    w[2] = 0; // row 1 reads only a zero-length value: it stays 0
    const out = weightColumns(a, w);
    assert.deepEqual([out[0], out[1]], [0.25, 0.75]);
    assert.equal(
      out.subarray(L, 2 * L).reduce((s, v) => s + v, 0),
      0,
    );
    assert.throws(() => weightColumns(a, new Float32Array(3)), /10000 cells and 3 weights/);
    w[5] = -1;
    assert.throws(() => weightColumns(a, w), /≥ 0/);
  });

  it("a test sample's raw map is the model's, its norms ‖x·Wv‖, its weighted map both combined", () => {
    const built = buildModel('attention', { channels: 4, keyChannels: 4, seed: 5 });
    const learner = new Learner(built, data);
    const before = tf.memory().numTensors;
    const vm = valueMapsOf(learner, 3);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(vm.raw, attentionOf(learner, 3));
    // The norms by hand: the layer's input from the sub-model, times Wv, row by row.
    const parts = attentionParts(built);
    const { x, y } = batchTensors(data, 'test', [3]);
    const h = parts.before.predict(x) as tf.Tensor;
    const hv = h.dataSync();
    const wv = parts.layer.getWeights()[2].dataSync(); // query, key, value: [4, 4]
    tf.dispose([x, y, h]);
    const norms = Array.from({ length: L }, (_, j) => {
      let s = 0;
      for (let o = 0; o < 4; o++) {
        let v = 0;
        for (let c = 0; c < 4; c++) v += hv[j * 4 + c] * wv[c * 4 + o];
        s += v * v;
      }
      return Math.sqrt(s);
    });
    assert.ok(maxDiff(vm.norms[0], norms) < 1e-5);
    assert.deepEqual(vm.weighted[0], weightColumns(vm.raw[0], vm.norms[0]));
    assert.notDeepEqual(vm.weighted[0], vm.raw[0]);
    assert.throws(() => valueMapsOf(learner, 6), /outside the test split \(0\.\.5\)/);
  });
});
