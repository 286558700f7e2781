// Heights read off samples (src/analysis/heights.ts): input, target, each model and the blind
// guess, per shape, in the task's own units.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset, shapesOf } from '../../src/data/task';
import { shapeHeights } from '../../src/analysis/heights';
import { blindShapes } from '../../src/analysis/blind';

describe('shape heights', () => {
  it('reads heights back in the task units, per sample and model, with the blind guess', () => {
    const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 4 });
    const samples = [1, 3];
    // "exact" predicts the targets; "low" predicts them 2 units lower (in task units).
    const exact = new Float32Array(2 * SEQ_LENGTH);
    const low = new Float32Array(2 * SEQ_LENGTH);
    samples.forEach((s, k) => {
      for (let t = 0; t < SEQ_LENGTH; t++) {
        const y = ds.test.y[s * SEQ_LENGTH + t];
        exact[k * SEQ_LENGTH + t] = (y - ds.mean) / ds.std;
        low[k * SEQ_LENGTH + t] = (y - 2 - ds.mean) / ds.std;
      }
    });
    const rows = shapeHeights(ds, samples, { exact, low }, { blind: true });
    assert.equal(rows.length, 8);
    assert.deepEqual(
      rows.map((r) => [r.sample, r.shape]),
      [1, 3].flatMap((s) => ['T1', 'T2', 'B1', 'B2'].map((n) => [s, n])),
    );
    samples.forEach((s, k) => {
      const truth = shapesOf(ds.test, s);
      const guess = blindShapes(truth);
      rows.slice(4 * k, 4 * k + 4).forEach((r, i) => {
        assert.ok(Math.abs((r.exact as number) - r.target) < 1e-4, `${s} ${r.shape}`);
        assert.ok(Math.abs((r.low as number) - (r.target - 2)) < 1e-4, `${s} ${r.shape}`);
        assert.ok(Math.abs(r.input - truth[i].h) < 0.2, `${s} ${r.shape} ${r.input}`);
        assert.equal(r['partner-blind guess'], guess[i].h);
      });
    });
    // Without `blind` there is no guess column.
    assert.ok(!('partner-blind guess' in shapeHeights(ds, [0])[0]));
  });
});
