// Attention statistics over many samples (src/analysis/attention-stats.ts): the mass per shape
// and pair, its medians per kind, and the maps of a trained model, on hand-made maps and a tiny
// attention model.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH } from '../../src/data/task';
import {
  attentionMaps,
  quartiles,
  shapeMass,
  shapeMassSummary,
} from '../../src/analysis/attention-stats';
import { attentionMap } from '../../src/analysis/inference';
import { loadDataset, batchTensors } from '../../src/data/dataset';
import { buildModel } from '../../src/models/build';
import { initBackend } from '../../src/runtime/backend';
import { Learner } from '../../src/train/learner';
import { SHAPES, pairMap } from './fixtures';

before(async () => {
  await initBackend({ quiet: true });
});

describe('attention statistics', () => {
  it('quartiles interpolate between ranks', () => {
    assert.deepEqual(quartiles([4, 1, 3, 2, 5]), { q1: 2, median: 3, q3: 4 });
    assert.deepEqual(quartiles([1, 2]), { q1: 1.25, median: 1.5, q3: 1.75 });
  });

  it('shapeMass gives one row per sample and shape, with the mass on the pair, the other pair and the floor', () => {
    // Sample 7 splits 0.5/0.5; sample 9 puts 0.8 of its pair's mass on the partner, and a share
    // that differs per shape on the floor.
    const floor = [0, 0.1, 0.2, 0.4];
    const maps = [pairMap(SHAPES, 0.5), pairMap(SHAPES, 0.8, floor)];
    const m = shapeMass(maps, [SHAPES, SHAPES], [7, 9]);
    assert.equal(m.length, 8);
    assert.deepEqual(
      m.map((r) => [r.sample, r.from, r.kind]),
      [7, 9].flatMap((s) => [
        [s, 'triangle 1', 'triangle'],
        [s, 'triangle 2', 'triangle'],
        [s, 'box 1', 'box'],
        [s, 'box 2', 'box'],
      ]),
    );
    m.forEach((r, k) => {
      const f = r.sample === 7 ? 0 : floor[k - 4];
      assert.ok(Math.abs(r.onPair - (1 - f)) < 1e-6, `${r.sample} ${r.from} ${r.onPair}`);
      assert.ok(Math.abs(r.onOtherPair) < 1e-6);
      assert.ok(Math.abs(r.elsewhere - f) < 1e-6);
      assert.ok(Math.abs(r.partnerShare - (r.sample === 7 ? 0.5 : 0.8)) < 1e-6);
    });
  });

  it('shapeMassSummary takes the median per kind and counts samples, not rows', () => {
    const maps = [0.2, 0.6, 0.9].map((p) => pairMap(SHAPES, p));
    const summary = shapeMassSummary(shapeMass(maps, [SHAPES, SHAPES, SHAPES], [1, 2, 3]));
    assert.deepEqual(
      summary.map((s) => [
        s.kind,
        s.samples,
        Number(s.onPair.toFixed(6)),
        Number(s.partnerShare.toFixed(6)),
      ]),
      [
        ['triangle', 3, 1, 0.6],
        ['box', 3, 1, 0.6],
      ],
    );
  });

  it("attentionMaps gives each test sample's map averaged over the heads, batch after batch", async () => {
    const data = loadDataset({ nTrain: 20, nTest: 5 }, { log: () => {} }).dataset;
    const built = buildModel('attention', { channels: 4, keyChannels: 4, heads: 2 });
    const learner = new Learner(built, data);
    const samples = [4, 0, 3];
    const maps = attentionMaps(learner, samples, 2); // two batches: [4, 0] and [3]
    assert.equal(maps.length, 3);
    const { x, y } = batchTensors(data, 'test', samples);
    const want = tf.tidy(() => tf.mean(attentionMap(built, x), 1).arraySync() as number[][][]);
    tf.dispose([x, y]);
    maps.forEach((m, k) => {
      assert.equal(m.length, SEQ_LENGTH * SEQ_LENGTH);
      const flat = want[k].flat();
      const diff = Math.max(...flat.map((v, i) => Math.abs(v - m[i])));
      assert.ok(diff < 1e-6, `sample ${samples[k]}: ${diff}`);
    });
    assert.ok(
      maps[0].some((v, i) => Math.abs(v - maps[1][i]) > 1e-6),
      'different samples give different maps',
    );
    built.model.dispose();
  });
});
