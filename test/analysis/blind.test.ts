// The partner-blind floor and its references (src/analysis/blind.ts): the expected partner, the
// guess, the pairing, and the one scoring loop, on hand-made and generated data.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DATA, SEQ_LENGTH, Shape, generateDataset } from '../../src/data/task';
import {
  blindLoss,
  blindShapes,
  contentOnlyLoss,
  empiricalBlindLoss,
  expectedPartner,
  partnersOf,
} from '../../src/analysis/blind';
import { SHAPES, datasetOf, splitOf } from './fixtures';

describe('the partner-blind floor', () => {
  it('expects 13 from a box partner, and less or more from a triangle partner 4 away', () => {
    assert.equal(expectedPartner(13), 13);
    assert.equal(expectedPartner(5), 13);
    // Partner uniform on [1, 25] outside (9, 17): [1, 9] ∪ [17, 25], symmetric about 13.
    assert.equal(expectedPartner(13, 4), 13);
    // h = 22.6: [1, 18.6] ∪ [26.6, 25] (empty) → mean 9.8.
    assert.equal(Number(expectedPartner(22.6, 4).toFixed(6)), 9.8);
    const guess = blindShapes(SHAPES);
    assert.equal(guess[0].h, (20 + expectedPartner(20, 4)) / 2);
    assert.equal(guess[2].h, (4 + 13) / 2);
    assert.equal(guess[3].h, (12 + 13) / 2);
    assert.equal(guess[0].c, SHAPES[0].c);
  });

  it('scores a guess like a model: 0 when the targets are the guess, (offset/std)² when they are off', () => {
    const samples = [SHAPES, SHAPES.map((s) => ({ ...s, h: 26 - s.h }))];
    const ds = datasetOf(samples, { mean: 3, std: 2 });
    // Targets drawn at the blind guess itself: nothing left to score.
    ds.test = splitOf(samples);
    samples.forEach((s, k) => {
      const drawn = splitOf([blindShapes(s)]).x;
      ds.test.y.set(drawn, k * SEQ_LENGTH);
    });
    assert.ok(blindLoss(ds) < 1e-10, String(blindLoss(ds)));
    // Every target 0.5 higher: (0.5 / std)² = 0.0625 in normalised units.
    ds.test.y = ds.test.y.map((v) => v + 0.5);
    assert.ok(Math.abs(blindLoss(ds) - 0.0625) < 1e-6, String(blindLoss(ds)));
    // The pool split is scored against its own targets (the pair means), not the test's.
    assert.ok(blindLoss(ds, 'pool') > 0.1);
  });

  it("contentOnlyLoss draws each shape at the mean of its height and the other three's", () => {
    // Heights 20, 6, 4, 12: the others' mean for T1 is 22/3, so the guess is (20 + 22/3) / 2.
    const ds = datasetOf([SHAPES]);
    const total = 42;
    const guess: Shape[] = SHAPES.map((s) => ({ ...s, h: (s.h + (total - s.h) / 3) / 2 }));
    ds.test.y = splitOf([guess]).x;
    assert.ok(contentOnlyLoss(ds) < 1e-10, String(contentOnlyLoss(ds)));
    // Against the real targets (the pair means) the boxes alone cost 5 steps × ((8⅓ − 8)² +
    // (11 − 8)²) / 100 = 0.456; the triangles add their own misses.
    ds.test.y = splitOf([SHAPES]).y;
    const loss = contentOnlyLoss(ds);
    assert.ok(loss > (5 * (1 / 9 + 9)) / 100 && loss < 1.5, String(loss));
  });
});

describe('pairings and references', () => {
  it('partners by kind, or by side with groupByLocations', () => {
    assert.deepEqual(partnersOf(SHAPES, false), [1, 0, 3, 2]);
    // Centres 10, 30, 50, 70: the two leftmost (T1, T2) and the two rightmost (B1, B2).
    assert.deepEqual(partnersOf(SHAPES, true), [1, 0, 3, 2]);
    const mixed = [SHAPES[0], SHAPES[2], SHAPES[1], SHAPES[3]]; // centres 10, 50, 30, 70
    assert.deepEqual(partnersOf(mixed, true), [2, 3, 0, 1]);
    assert.deepEqual(partnersOf(mixed, false), [1, 0, 3, 2]);
  });

  it('the measured partner-blind floor agrees with the derived one; content helps', () => {
    const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 2000, nTest: 200 });
    const derived = blindLoss(ds);
    assert.ok(Math.abs(empiricalBlindLoss(ds, 12) - derived) < 0.1 * derived);
    // Seeing all four heights but not which is the partner beats seeing none of the others.
    assert.ok(contentOnlyLoss(ds) < derived, `${contentOnlyLoss(ds)} vs ${derived}`);
    const byLocation = generateDataset({
      ...DEFAULT_DATA,
      nTrain: 200,
      nTest: 50,
      groupByLocations: true,
    });
    assert.ok(contentOnlyLoss(byLocation) > 0);
    assert.ok(empiricalBlindLoss(byLocation, 12) > 0);
  });
});
