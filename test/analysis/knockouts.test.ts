// Which cells a knock-out removes and how the rows are renormalised (src/analysis/knockouts.ts),
// on maps with a few known weights.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rngFrom } from '../../src/data/random';
import { SEQ_LENGTH } from '../../src/data/task';
import {
  anchorColumns,
  brightEdgeCells,
  edgeBand,
  knockOut,
  massMatchedAway,
} from '../../src/analysis/knockouts';
import { SHAPES, range } from './fixtures';

const L = SEQ_LENGTH;
const ones = (m: Uint8Array, i: number) => [...range(0, L - 1)].filter((j) => m[i * L + j]);
const near = (x: number, y: number, tol = 1e-6) =>
  assert.ok(Math.abs(x - y) < tol, `${x} is not ${y}`);

/** A map whose row 5 is given; the other rows uniform. */
function withRow(cells: Record<number, number>): Float32Array {
  const a = new Float32Array(L * L).fill(1 / L);
  a.fill(0, 5 * L, 6 * L);
  for (const [j, w] of Object.entries(cells)) a[5 * L + Number(j)] = w;
  return a;
}

describe('knock-outs', () => {
  it('the edge band is ±1 step around each shape’s first and last step', () => {
    const band = edgeBand(SHAPES);
    const steps = [...band.keys()].filter((t) => band[t]);
    const around = (a: number, b: number) => [a - 1, a, a + 1, b - 1, b, b + 1];
    assert.deepEqual(steps, [
      ...around(8, 12),
      ...around(28, 32),
      ...around(48, 52),
      ...around(68, 72),
    ]);
    assert.equal(
      edgeBand(SHAPES, 0).reduce((s, v) => s + v, 0),
      8,
    );
  });

  it('takes the brightest edge cells of each row until they hold half its mass', () => {
    // 8 and 12 are edge cells, 10 (T1's middle) and 50 (B1's middle) are not. Bug caught: taking
    // only the single brightest cell, or cells off the edges.
    const a = withRow({ 8: 0.4, 12: 0.3, 10: 0.2, 50: 0.1 });
    assert.deepEqual(ones(brightEdgeCells(a, SHAPES), 5), [8, 12]);
    assert.deepEqual(ones(brightEdgeCells(a, SHAPES, { share: 0.3 }), 5), [8]);
    // A uniform row: 24 band cells of 0.01 each cannot reach half; all of them go.
    assert.equal(ones(brightEdgeCells(a, SHAPES), 0).length, 24);
    assert.throws(() => brightEdgeCells(a, SHAPES, { share: 0 }), /share in \(0, 1\]/);
  });

  it('anchor columns are the inputs with the most mass over all rows, in every row', () => {
    const a = new Float32Array(L * L).fill(0.005);
    for (let i = 0; i < L; i++) {
      a[i * L + 40] = 0.3;
      a[i * L + (i < 60 ? 7 : 90)] = 0.2; // 7 gets 60 rows, 90 only 40
    }
    a[3 * L + 60] = 0.9; // one bright cell is not an anchor
    const m = anchorColumns(a, 2);
    assert.deepEqual(ones(m, 0), [7, 40]);
    assert.deepEqual(ones(m, 99), [7, 40]);
    assert.deepEqual(ones(anchorColumns(a, 3), 50), [7, 40, 90]);
    assert.throws(() => anchorColumns(a, 0), /k must be an integer/);
  });

  it('the control takes as much mass, from cells away from every edge', () => {
    const a = withRow({ 8: 0.4, 12: 0.3, 10: 0.2, 50: 0.1 });
    for (let i = 0; i < L; i++) if (i !== 5) a.fill(1 / L, i * L, (i + 1) * L);
    const like = brightEdgeCells(a, SHAPES);
    const m = massMatchedAway(a, like, SHAPES, rngFrom('t'));
    const band = edgeBand(SHAPES);
    for (let k = 0; k < L * L; k++)
      if (m[k]) assert.equal(band[k % L], 0, `cell ${k} is on an edge`);
    // Row 5 lost 0.7 to the edge mask; only 0.3 lies away from the edges: every cell there goes.
    assert.equal(ones(m, 5).length, L - 24);
    assert.ok(ones(m, 5).includes(10) && ones(m, 5).includes(50));
    // A uniform row lost 24 × 0.01: the control takes 24 cells of 0.01 (the last one reaches it).
    const n = ones(m, 0).length;
    assert.ok(n >= 24 && n <= 25, String(n));
    assert.deepEqual(m, massMatchedAway(a, like, SHAPES, rngFrom('t')));
  });

  it('zeroes the masked cells and renormalises each row', () => {
    const a = withRow({ 8: 0.4, 12: 0.3, 10: 0.2, 50: 0.1 });
    const mask = new Uint8Array(L * L);
    mask[5 * L + 8] = 1;
    mask[0 * L + 3] = 1;
    const k = knockOut(a, mask);
    near(k[5 * L + 8], 0);
    near(k[5 * L + 12], 0.5);
    near(k[5 * L + 10], 2 / 6);
    near(k[0 * L + 4], 1 / 99, 1e-7);
    for (const i of [0, 5, 99])
      near(
        k.subarray(i * L, (i + 1) * L).reduce((s, v) => s + v, 0),
        1,
        1e-5,
      );
    // A row whose kept cells hold nothing is spread evenly over them; one fully masked stays.
    const only = withRow({ 8: 1 });
    const m2 = new Uint8Array(L * L);
    m2[5 * L + 8] = 1;
    near(knockOut(only, m2)[5 * L + 0], 1 / 99, 1e-7);
    const all = new Uint8Array(L * L).fill(1);
    assert.deepEqual(knockOut(a, all), a);
    assert.throws(() => knockOut(a, new Uint8Array(3)), /10000 cells/);
  });
});
