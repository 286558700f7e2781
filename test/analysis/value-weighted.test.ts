// Raw and value-weighted maps of many samples at once (src/analysis/value-weighted.ts): each must
// be valueMapsOf's for that sample, averaged over the heads.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { valueMapsOf } from '../../src/analysis/value-maps';
import {
  valueNormsByRole,
  valueWeightedMaps,
  weightingEffect,
} from '../../src/analysis/value-weighted';
import { shapeRoles } from '../../src/analysis/ideal';
import { attentionMaps } from '../../src/analysis/attention-stats';
import { idealScore } from '../../src/analysis/ideal';
import { pairReads } from '../../src/analysis/role-masses';
import { loadDataset } from '../../src/data/dataset';
import { Dataset, shapesOf } from '../../src/data/task';
import { buildModel } from '../../src/models/build';
import { initBackend } from '../../src/runtime/backend';
import { Learner } from '../../src/train/learner';

let data: Dataset;

before(async () => {
  await initBackend({ quiet: true });
  data = loadDataset({ nTrain: 20, nTest: 5 }, { log: () => {} }).dataset;
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

const mean = (maps: Float32Array[]) =>
  maps[0].map((_, c) => maps.reduce((s, m) => s + m[c], 0) / maps.length);

describe('value-weighted maps of many samples', () => {
  for (const heads of [1, 2]) {
    it(`match valueMapsOf sample by sample, heads averaged (${heads} head${heads > 1 ? 's' : ''})`, () => {
      // Bug caught: a batch's samples out of order (batch 2 over 5 samples: a short last batch),
      // or the norms of one head applied to another's map.
      const built = buildModel('attention', { channels: 8, keyChannels: 8, heads, seed: 2 });
      const learner = new Learner(built, data);
      const samples = [4, 0, 3, 1, 2];
      const before = tf.memory().numTensors;
      const got = valueWeightedMaps(learner, samples, 2);
      assert.equal(tf.memory().numTensors, before, 'tensors left behind');
      samples.forEach((s, k) => {
        const one = valueMapsOf(learner, s);
        assert.ok(maxDiff(got.raw[k], mean(one.raw)) < 1e-6, `raw map of sample ${s}`);
        assert.ok(maxDiff(got.weighted[k], mean(one.weighted)) < 1e-6, `weighted map of ${s}`);
      });
      built.model.dispose();
    });
  }

  it("scores the raw view as the model's own maps and the weighted view as the weighted maps", () => {
    // Bug caught: the two views swapped, or the weighted view scored on the raw maps.
    const built = buildModel('attention', { channels: 8, keyChannels: 8, seed: 4 });
    const learner = new Learner(built, data);
    const samples = [0, 1, 2, 3, 4];
    const shapes = samples.map((s) => shapesOf(data.test, s));
    const [raw, weighted] = weightingEffect(learner, samples);
    assert.equal(raw.view, 'raw');
    assert.equal(weighted.view, 'value-weighted');
    const own = idealScore(attentionMaps(learner, samples), shapes);
    assert.ok(Math.abs(raw.score - own.all) < 1e-6);
    assert.ok(Math.abs(raw.scoreShapes - own.shapes) < 1e-6);
    const maps = valueWeightedMaps(learner, samples).weighted;
    assert.ok(Math.abs(weighted.score - idealScore(maps, shapes).all) < 1e-9);
    const boxes = pairReads(maps, shapes, samples).filter((p) => p.kind === 'boxes');
    const taller = boxes.filter((p) => p.favoured.height === 'taller').length / boxes.length;
    assert.equal(weighted.boxesOnTaller, taller);
    assert.ok(weighted.boxLean >= 0.5 && weighted.boxLean <= 1);
    built.model.dispose();
  });

  it("averages each role's value norms from valueMapsOf's, sorting shapes by their pair's heights", () => {
    // Bug caught: the taller and the shorter shape of a pair swapped, or a batch's norms given
    // to another sample.
    const built = buildModel('attention', { channels: 8, keyChannels: 8, heads: 2, seed: 5 });
    const learner = new Learner(built, data);
    const samples = [3, 1, 4];
    const before = tf.memory().numTensors;
    const got = valueNormsByRole(learner, samples, 2);
    assert.equal(tf.memory().numTensors, before, 'tensors left behind');
    const want = new Map<string, number[]>();
    for (const s of samples) {
      const sh = shapesOf(data.test, s);
      const role = shapeRoles(sh);
      const norms = valueMapsOf(learner, s).norms;
      for (let t = 0; t < 100; t++) {
        const r = role[t];
        const key =
          r < 0
            ? 'floor'
            : `${r < 2 ? 'triangle' : 'box'}, ${sh[r].h >= sh[r ^ 1].h ? 'taller' : 'shorter'}`;
        want.set(key, [...(want.get(key) ?? []), (norms[0][t] + norms[1][t]) / 2]);
      }
    }
    assert.equal(
      got.reduce((a, r) => a + r.count, 0),
      300,
    );
    for (const row of got) {
      const v = want.get(row.positions) ?? [];
      assert.equal(row.count, v.length, row.positions);
      if (v.length)
        assert.ok(Math.abs(row.meanNorm - v.reduce((a, b) => a + b, 0) / v.length) < 1e-5);
    }
    built.model.dispose();
  });

  it('refuses samples outside the test split', () => {
    const built = buildModel('attention', { channels: 4, keyChannels: 4, seed: 1 });
    assert.throws(() => valueWeightedMaps(new Learner(built, data), [5]), /outside the test split/);
    built.model.dispose();
  });
});
