// What a model says about given samples (src/analysis/inference.ts): attention matrices per head,
// predictions per learner, and a pooled model's pooling weights, on tiny models.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  attentionMap,
  attentionOf,
  poolingWeights,
  predictSamples,
} from '../../src/analysis/inference';
import { Dataset, SEQ_LENGTH } from '../../src/data/task';
import { batchTensors, loadDataset } from '../../src/data/dataset';
import { buildModel } from '../../src/models/build';
import { initBackend } from '../../src/runtime/backend';
import { Learner } from '../../src/train/learner';

let data: Dataset;

before(async () => {
  await initBackend({ quiet: true });
  data = loadDataset({ nTrain: 20, nTest: 6 }, { log: () => {} }).dataset;
});

describe('inference', () => {
  it('gives the attention matrices as [batch, heads, 100, 100], rows summing to 1', () => {
    const m = buildModel('attention', { channels: 4, keyChannels: 4, heads: 2 });
    const a = attentionMap(m, tf.randomNormal([2, 100, 1], 0, 1, 'float32', 1) as tf.Tensor3D);
    assert.deepEqual(a.shape, [2, 2, 100, 100]);
    const sums = tf.tidy(() => tf.sum(a, -1));
    const off = tf.tidy(() => tf.max(tf.abs(tf.sub(sums, 1))).dataSync()[0]);
    assert.ok(off < 1e-5, String(off));
    tf.dispose([a, sums]);
    m.model.dispose();
    assert.throws(
      () => attentionMap(buildModel('cnn'), tf.zeros([1, 100, 1]) as tf.Tensor3D),
      /has no SelfAttention layer/,
    );
  });

  it("attentionOf splits one test sample's map by head, each the sample's own", () => {
    const built = buildModel('attention', { channels: 4, keyChannels: 4, heads: 2 });
    const learner = new Learner(built, data);
    const heads = attentionOf(learner, 3);
    assert.equal(heads.length, 2);
    const { x, y } = batchTensors(data, 'test', [3]);
    const want = attentionMap(built, x);
    for (let h = 0; h < 2; h++) {
      const w = tf.tidy(() => tf.slice(want, [0, h, 0, 0], [1, 1, 100, 100]).dataSync());
      assert.equal(heads[h].length, SEQ_LENGTH * SEQ_LENGTH);
      assert.deepEqual(Array.from(heads[h]), Array.from(w), `head ${h}`);
    }
    assert.ok(
      heads[0].some((v, i) => v !== heads[1][i]),
      'the two heads differ',
    );
    tf.dispose([x, y, want]);
    built.model.dispose();
  });

  it('predictSamples gives each learner its own [samples × 100] predictions', () => {
    const a = new Learner(buildModel('cnn', { channels: 4, seed: 1 }), data);
    const b = new Learner(buildModel('cnn', { channels: 4, seed: 2 }), data);
    const p = predictSamples({ a, b }, [5, 0]);
    assert.deepEqual(Object.keys(p), ['a', 'b']);
    assert.equal(p.a.length, 2 * SEQ_LENGTH);
    assert.deepEqual(p.a, a.predict('test', [5, 0]));
    assert.deepEqual(p.b, b.predict('test', [5, 0]));
    assert.notDeepEqual(p.a, p.b);
  });

  it("a pooled model's pooling weights are one distribution over positions per sample", () => {
    const learner = new Learner(buildModel('pooled', { channels: 4 }), data);
    const beta = poolingWeights(learner, [1, 4]);
    assert.equal(beta.length, 2 * SEQ_LENGTH);
    for (let k = 0; k < 2; k++) {
      const row = beta.subarray(k * SEQ_LENGTH, (k + 1) * SEQ_LENGTH);
      assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-5);
      assert.ok(row.every((v) => v > 0));
    }
    assert.ok(
      beta.subarray(0, SEQ_LENGTH).some((v, t) => Math.abs(v - beta[SEQ_LENGTH + t]) > 1e-7),
      'two samples, two distributions',
    );
    assert.throws(
      () => poolingWeights(new Learner(buildModel('cnn', { channels: 4 }), data), [0]),
      /has no AttentionPooling layer/,
    );
  });
});
