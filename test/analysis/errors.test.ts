// Where a model's error lives (src/analysis/errors.ts), on a small generated dataset.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DATA, SEQ_LENGTH, Shape, generateDataset } from '../../src/data/task';
import { errorByRole, heightErrorByDistance, positionRoles } from '../../src/analysis/errors';

const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 30 });
const samples = [0, 1, 2];
/** Predictions equal to the normalised targets, plus `offset`. */
function exact(offset = 0): Float32Array {
  const p = new Float32Array(samples.length * SEQ_LENGTH);
  samples.forEach((s, k) => {
    for (let t = 0; t < SEQ_LENGTH; t++)
      p[k * SEQ_LENGTH + t] = (ds.test.y[s * SEQ_LENGTH + t] - ds.mean) / ds.std + offset;
  });
  return p;
}

describe('where the error lives', () => {
  it('names each step: the floor, next to a box, a box edge, inside a box, a triangle', () => {
    const shapes: Shape[] = [
      { c: 10, h: 5, w: 5 },
      { c: 30, h: 9, w: 5 },
      { c: 50, h: 4, w: 5 }, // box: 48…52
      { c: 70, h: 7, w: 5 },
    ];
    const roles = positionRoles(shapes);
    assert.deepEqual(roles.slice(46, 55), [
      'floor',
      'floor next to a box',
      'box edge step',
      'inside a box',
      'inside a box',
      'inside a box',
      'box edge step',
      'floor next to a box',
      'floor',
    ]);
    assert.equal(roles[10], 'triangle');
  });

  it('splits the MSE into parts that add up; a constant offset of 0.1 costs 0.01', () => {
    const rows = errorByRole(ds, samples, { perfect: exact(), off: exact(0.1) });
    const [perfect, off, share] = rows;
    assert.ok((perfect.MSE as number) < 1e-12);
    assert.ok(Math.abs((off.MSE as number) - 0.01) < 1e-6);
    const parts = ['floor', 'floor next to a box', 'box edge step', 'inside a box', 'triangle'];
    const sum = parts.reduce((a, p) => a + (off[p] as number), 0);
    assert.ok(Math.abs(sum - (off.MSE as number)) < 1e-9);
    assert.equal(share.model, 'share of positions');
    assert.ok(Math.abs(parts.reduce((a, p) => a + (share[p] as number), 0) - 1) < 1e-9);
  });

  it('height error by partner distance: zero for exact predictions, shapes counted per bin', () => {
    const rows = heightErrorByDistance(ds, samples, { exact: exact() }, [[0, 100]]);
    assert.ok((rows[0]['0–100 steps'] as number) < 1e-4);
    assert.deepEqual(rows[1], { model: 'shapes', '0–100 steps': 12 });
  });
});
