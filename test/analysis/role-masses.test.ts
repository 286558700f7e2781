// Where each output role puts its attention and how the two shapes of a pair read each other
// (src/analysis/role-masses.ts), on hand-made maps whose every mass is known.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEQ_LENGTH } from '../../src/data/task';
import { shapeSpan } from '../../src/analysis/attention-by-shape';
import { idealAttention } from '../../src/analysis/ideal';
import { pairReadSummary, pairReads, roleMasses } from '../../src/analysis/role-masses';
import { SHAPES, pairMap } from './fixtures';

const L = SEQ_LENGTH;
const near = (x: number | null, y: number, tol = 1e-5) =>
  assert.ok(x !== null && Math.abs(x - y) < tol, `${x} is not ${y}`);

/** Shape k's outputs put share[k] of their weight evenly on the partner, the rest on themselves. */
function sharesMap(share: readonly number[]): Float32Array {
  const a = new Float32Array(L * L).fill(0.01);
  const spans = SHAPES.map(shapeSpan);
  spans.forEach((outs, k) => {
    for (const o of outs) {
      a.fill(0, o * L, (o + 1) * L);
      for (const j of spans[k]) a[o * L + j] += (1 - share[k]) / spans[k].length;
      for (const j of spans[k ^ 1]) a[o * L + j] += share[k] / spans[k ^ 1].length;
    }
  });
  return a;
}

describe('role masses', () => {
  it("splits each role's mass into own shape, partner, other pair and floor", () => {
    // T1: 0.2 on the floor, of the rest 0.3 on the partner; B2: 0.4 on the floor. Bug caught:
    // swapping own and partner, or pooling T1's rows into T2's.
    const a = pairMap(SHAPES, 0.3, [0.2, 0, 0, 0.4]);
    const r = Object.fromEntries(roleMasses([a], [SHAPES]).map((x) => [x.outputs, x]));
    assert.deepEqual(Object.keys(r), [
      'T1',
      'T2',
      'B1',
      'B2',
      'triangles',
      'boxes',
      'shapes',
      'floor',
    ]);
    near(r.T1.own, 0.56);
    near(r.T1.partner, 0.24);
    near(r.T1.otherPair, 0);
    near(r.T1.floor, 0.2);
    near(r.T2.own, 0.7);
    near(r.B2.own, 0.42);
    near(r.B2.partner, 0.18);
    near(r.triangles.own, (0.56 + 0.7) / 2);
    assert.equal(r.triangles.rows, 10);
    assert.equal(r.shapes.rows, 20);
    // Floor rows spread 0.01 everywhere: 20 shape steps, 80 floor steps.
    assert.equal(r.floor.rows, 80);
    assert.equal(r.floor.own, null);
    near(r.floor.shapes, 0.2);
    near(r.floor.floor, 0.8);
    // Scores: T1's row is ½(5·0.012 + 5·0.052 + 0.2) = 0.26 from the ideal; a floor row 0.2.
    near(r.T1.score, 0.74);
    near(r.floor.score, 0.8);
    near(r.T2.score, 0.8); // ½(5·0.04 + 5·0.04)
  });

  it('gives the ideal map its own answer: ½ own, ½ partner, a score of 1', () => {
    const r = roleMasses([idealAttention(SHAPES)], [SHAPES]);
    for (const x of r.filter((x) => x.outputs !== 'floor')) {
      near(x.own, 0.5);
      near(x.partner, 0.5);
      near(x.floor, 0);
      near(x.score, 1);
    }
    near(r.find((x) => x.outputs === 'floor')!.floor, 1);
  });

  it('sees a pair lean on one shape, which a median of partner shares over the pair hides', () => {
    // T1's outputs read T2 at 0.8, T2's read themselves at 0.8: both lean on T2 (the shorter and
    // right one, h 6 at 30 against h 20 at 10). The boxes each read themselves at 0.7.
    const reads = pairReads([sharesMap([0.8, 0.2, 0.3, 0.3])], [SHAPES], [7]);
    assert.equal(reads.length, 2);
    const [t, b] = reads;
    assert.equal(t.sample, 7);
    assert.equal(t.pair, 'T1·T2');
    assert.equal(t.kind, 'triangles');
    near(t.firstShare, 0.8);
    near(t.secondShare, 0.2);
    near((t.firstShare + t.secondShare) / 2, 0.5); // the artefact: the pair's mean looks ideal
    assert.equal(t.pattern, 'both on the second');
    near(t.lean, 0.8);
    assert.deepEqual(t.favoured, { height: 'shorter', side: 'right' });
    assert.equal(b.pattern, 'each on itself');
    near(b.lean, 0.5);
    const mirrored = pairReads([sharesMap([0.2, 0.8, 0.6, 0.6])], [SHAPES], [0]);
    assert.equal(mirrored[0].pattern, 'both on the first');
    assert.deepEqual(mirrored[0].favoured, { height: 'taller', side: 'left' });
    assert.equal(mirrored[1].pattern, 'each on its partner');
  });

  it('sums pair reads up per kind', () => {
    const reads = pairReads(
      [sharesMap([0.8, 0.2, 0.3, 0.3]), sharesMap([0.2, 0.8, 0.3, 0.3])],
      [SHAPES, SHAPES],
      [0, 1],
    );
    const [tri, box] = pairReadSummary(reads);
    assert.equal(tri.pairs, 'triangles');
    assert.equal(tri.count, 2);
    assert.equal(tri['both on one shape'], 1);
    near(tri['median lean'] as number, 0.8);
    assert.equal(tri['favoured is taller'], 0.5);
    assert.equal(box['each on itself'], 1);
  });

  it('refuses maps and shapes that do not match', () => {
    assert.throws(() => roleMasses([new Float32Array(L * L)], []), /one list of shapes per map/);
    assert.throws(() => roleMasses([new Float32Array(5)], [SHAPES]), /10000 cells/);
    assert.throws(() => pairReads([new Float32Array(L * L)], [SHAPES], [1, 2]), /1 maps for 2/);
  });
});
