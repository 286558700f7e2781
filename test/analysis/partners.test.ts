// How far apart a pair's shapes are (src/analysis/partners.ts), and which shape steps a local
// attention window cannot connect to their partner, on hand-made samples.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outOfReach, partnerDistances } from '../../src/analysis/partners';
import { SHAPES, splitOf } from './fixtures';

// Sample 1: T1 at 10 and T2 at 30, B1 at 50 and B2 at 70. Sample 2 moves T2 to 80 and B1 to 60,
// so the two samples' distances differ per pair.
const far = [SHAPES[0], { ...SHAPES[1], c: 80 }, { ...SHAPES[2], c: 60 }, SHAPES[3]];
const split = splitOf([SHAPES, far]);

describe('partners', () => {
  it('gives the centre-to-centre distance of both pairs of every sample', () => {
    assert.deepEqual(partnerDistances(split), [
      { sample: 0, pair: 'triangles', distance: 20 },
      { sample: 0, pair: 'boxes', distance: 20 },
      { sample: 1, pair: 'triangles', distance: 70 },
      { sample: 1, pair: 'boxes', distance: 10 },
    ]);
  });

  it('counts the shape steps whose nearest partner step is farther than the window', () => {
    // Every shape covers 5 steps (triangles 8…12-like spans, boxes c ± 2): 40 steps in all.
    // Sample 0: each step's nearest partner step is 16 to 20 away (pairs 20 apart, 5 wide).
    // Sample 1: triangles 70 apart (66 to 70), boxes 10 apart (6 to 10).
    assert.equal(outOfReach(split, 100), 0, 'a window wider than the task reaches everything');
    assert.equal(outOfReach(split, 0), 1, 'a window of 0 reaches no partner');
    // ±15: every step of sample 0 is out (16+), sample 1's boxes are in, its triangles out.
    assert.equal(outOfReach(split, 15), 30 / 40);
    // ±18: sample 0 keeps steps 16, 17, 18 away in reach: per shape, the 3 steps nearest the
    // partner (distances 16, 17, 18), and the 2 farthest (19, 20) out: 2 of 5 out.
    assert.equal(outOfReach(split, 18), (4 * 2 + 2 * 5) / 40);
    // ±10: sample 1's boxes all in, everything else out.
    assert.equal(outOfReach(split, 10), 30 / 40);
    // ±9: sample 1's boxes lose their farthest step each (distance 10).
    assert.equal(outOfReach(split, 9), 32 / 40);
  });
});
