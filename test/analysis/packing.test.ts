// How tightly a split's shapes are packed (src/analysis/packing.ts), on hand-made samples whose
// spans, gaps and partner distances can be counted by hand.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Shape } from '../../src/data/task';
import { packing } from '../../src/analysis/packing';
import { SHAPES, splitOf } from './fixtures';

describe('packing', () => {
  it('counts the steps on shapes, the floor steps between neighbours and the partner distance', () => {
    // SHAPES: T1 8…12, T2 28…32, B1 48…52, B2 68…72: 20 steps on shapes, three gaps of 15
    // floor steps, partners 20 apart. Bug caught: a gap off by one (counting an edge step), or
    // a box measured with the triangle's extra half step.
    const p = packing(splitOf([SHAPES]));
    assert.deepEqual(p, {
      length: 100,
      samples: 1,
      onShapes: 0.2,
      meanGap: 15,
      partnerDistance: 20,
    });
  });

  it('orders the shapes along the sequence, not by kind, and reads the split length', () => {
    // Along the sequence: B1 (4…6), T1 (9…13), B2 (18…20), T2 (30…34) in a 40-step split.
    // Gaps 2, 4, 9; partners 21 (triangles) and 14 (boxes) apart. Bug caught: taking gaps in
    // (tri, tri, box, box) order, which gives negative gaps here.
    const shapes: Shape[] = [
      { c: 11, h: 10, w: 5 },
      { c: 32, h: 20, w: 5 },
      { c: 5, h: 3, w: 3 },
      { c: 19, h: 8, w: 3 },
    ];
    const s = splitOf([shapes]);
    const split = { ...s, x: s.x.subarray(0, 40), y: s.y.subarray(0, 40), length: 40 };
    const p = packing(split);
    assert.equal(p.meanGap, 5);
    assert.equal(p.partnerDistance, 17.5);
    assert.equal(p.onShapes, 16 / 40);
  });

  it('refuses a split whose values do not match its length', () => {
    assert.throws(
      () => packing({ ...splitOf([SHAPES]), length: 50 }),
      /need 50 values, the split has 100/,
    );
  });
});
