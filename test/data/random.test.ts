// Seeded randomness (src/data/random.ts): the streams every dataset and batch order is drawn
// from. The pinned values guard the committed runs: a change of PRNG changes every result.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { permutation, rngFrom, shuffle, uniform } from '../../src/data/random';

const draws = (seed: string, n: number) => {
  const r = rngFrom(seed);
  return Array.from({ length: n }, () => r());
};

describe('random', () => {
  it("gives seedrandom's Alea stream for a seed string, the same every time", () => {
    assert.deepEqual(draws('0', 3), [0.5945264333859086, 0.8065849216654897, 0.12979769078083336]);
    assert.deepEqual(draws('0', 5), draws('0', 5));
    assert.notDeepEqual(draws('1', 5), draws('0', 5));
  });

  it('draws U(lo, hi) from the stream', () => {
    const [u] = draws('0', 1);
    assert.equal(uniform(rngFrom('0'), 1, 25), 1 + 24 * u);
    const r = rngFrom('u');
    for (let i = 0; i < 1000; i++) {
      const v = uniform(r, -2, 3);
      assert.ok(v >= -2 && v < 3, String(v));
    }
  });

  it('shuffles in place into a permutation, the same one for the same stream', () => {
    const a = Int32Array.from({ length: 50 }, (_, i) => i * 2);
    const same = shuffle(a, rngFrom('s'));
    assert.equal(same, a, 'in place');
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i * 2),
    );
    assert.notDeepEqual(
      [...a],
      Array.from({ length: 50 }, (_, i) => i * 2),
    );
    assert.deepEqual(
      shuffle(
        Int32Array.from({ length: 50 }, (_, i) => i * 2),
        rngFrom('s'),
      ),
      a,
    );
  });

  it("permutes 0..n−1; epoch 0's batch order of seed 0 is pinned", () => {
    assert.deepEqual(
      Array.from(permutation(10, rngFrom('0/epoch/0'))),
      [6, 1, 4, 5, 3, 9, 8, 2, 7, 0],
    );
    assert.deepEqual(Array.from(permutation(1, rngFrom('x'))), [0]);
    assert.deepEqual(Array.from(permutation(0, rngFrom('x'))), []);
  });

  it('can put any element at any position', () => {
    // Fisher–Yates with j drawn from 0..i−1 instead of 0..i (Sattolo's algorithm) never leaves
    // an element where it was: position i would never see value i in 200 shuffles.
    const seen = Array.from({ length: 5 }, () => new Set<number>());
    const r = rngFrom('reach');
    for (let k = 0; k < 200; k++) permutation(5, r).forEach((v, i) => seen[i].add(v));
    seen.forEach((s, i) => assert.equal(s.size, 5, `position ${i} saw ${[...s]}`));
  });
});
