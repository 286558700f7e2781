// The ideal attention from the generator's shapes and the score against it
// (src/analysis/ideal.ts), on the hand-placed shapes of fixtures.ts, where every weight is known.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEQ_LENGTH, Shape } from '../../src/data/task';
import {
  idealAttention,
  idealOf,
  idealScore,
  rowDistances,
  shapeRoles,
} from '../../src/analysis/ideal';
import { FLOOR_STEP, SHAPES, datasetOf, range } from './fixtures';

const L = SEQ_LENGTH;
const row = (a: Float32Array, i: number) => Array.from(a.subarray(i * L, (i + 1) * L));
const near = (x: number, y: number, tol = 1e-6) =>
  assert.ok(Math.abs(x - y) < tol, `${x} is not ${y}`);
const SHAPE_STEPS = [...range(8, 12), ...range(28, 32), ...range(48, 52), ...range(68, 72)];

describe('ideal attention', () => {
  it('names the shape covering each step, −1 on the floor', () => {
    const role = shapeRoles(SHAPES);
    assert.deepEqual(
      [role[7], role[8], role[12], role[30], role[50], role[72], role[73]],
      [-1, 0, 0, 1, 2, 3, -1],
    );
    assert.equal(Array.from(role).filter((r) => r >= 0).length, 20);
  });

  it('a shape step reads its own shape and its partner evenly, half each; a floor step the floor', () => {
    // Bug caught: reading the other pair (partner i ^ 2), or the floor rows spreading over shapes.
    const a = idealAttention(SHAPES);
    const t1 = row(a, 10);
    for (const j of [...range(8, 12), ...range(28, 32)]) near(t1[j], 0.1);
    near(
      t1.reduce((s, v) => s + v, 0),
      1,
    );
    const b2 = row(a, 70);
    for (const j of [...range(48, 52), ...range(68, 72)]) near(b2[j], 0.1);
    assert.equal(b2[10], 0);
    const floor = row(a, FLOOR_STEP);
    for (const j of SHAPE_STEPS) assert.equal(floor[j], 0, `floor row reads shape step ${j}`);
    near(floor[0], 1 / 80);
    near(floor[99], 1 / 80);
    for (let i = 0; i < L; i++)
      near(
        row(a, i).reduce((s, v) => s + v, 0),
        1,
        1e-5,
      );
  });

  it('splits half and half even when the two shapes have different widths', () => {
    const shapes: Shape[] = [{ c: 10, h: 20, w: 5 }, { c: 40, h: 6, w: 9 }, SHAPES[2], SHAPES[3]];
    const r = row(idealAttention(shapes), 10); // T2 now covers 36…44: 9 steps
    near(r[8], 0.5 / 5);
    near(r[40], 0.5 / 9);
    near(
      range(36, 44).reduce((s, j) => s + r[j], 0),
      0.5,
    );
  });

  it('pairs by side with groupByLocations', () => {
    // Triangles at 10 and 70, boxes at 30 and 50: the left pair is T1 and B1, not T1 and T2.
    const shapes: Shape[] = [SHAPES[0], { c: 70, h: 6, w: 5 }, { c: 30, h: 4, w: 5 }, SHAPES[2]];
    const byKind = row(idealAttention(shapes), 10);
    const bySide = row(idealAttention(shapes, { groupByLocations: true }), 10);
    near(byKind[70], 0.1);
    assert.equal(byKind[30], 0);
    near(bySide[30], 0.1);
    assert.equal(bySide[70], 0);
  });

  it('scores 1 for the ideal, 0 for disjoint supports, and the hand-computed value for uniform rows', () => {
    const ideal = idealAttention(SHAPES);
    assert.deepEqual(idealScore([ideal], [SHAPES]), { all: 1, shapes: 1, floor: 1 });
    // Shape rows read only the floor, floor rows only a shape: nothing where the ideal is.
    const wrong = new Float32Array(L * L);
    for (let i = 0; i < L; i++) wrong[i * L + (SHAPE_STEPS.includes(i) ? FLOOR_STEP : 10)] = 1;
    const w = idealScore([wrong], [SHAPES]);
    near(w.all, 0);
    near(w.shapes, 0);
    near(w.floor, 0);
    // Uniform: a shape row is ½(10·0.09 + 90·0.01) = 0.9 away, a floor row ½(80·0.0025 + 20·0.01) = 0.2.
    const u = idealScore([new Float32Array(L * L).fill(0.01)], [SHAPES]);
    near(u.shapes, 0.1, 1e-5);
    near(u.floor, 0.8, 1e-5);
    near(u.all, (20 * 0.1 + 80 * 0.8) / 100, 1e-5);
    // Over two maps the rows are pooled: ideal and uniform average to the mean of the two.
    near(idealScore([ideal, new Float32Array(L * L).fill(0.01)], [SHAPES, SHAPES]).all, 0.83, 1e-5);
  });

  it('gives each row its total-variation distance', () => {
    const a = idealAttention(SHAPES);
    const b = Float32Array.from(a);
    b.fill(0, 3 * L, 4 * L);
    b[3 * L + 10] = 1; // row 3 (floor) now all on a shape step
    const d = rowDistances(a, b);
    near(d[3], 1);
    assert.equal(d[4], 0);
  });

  it('refuses bad input before any work', () => {
    assert.throws(() => idealAttention(SHAPES.slice(0, 3)), /4 shapes, got 3/);
    assert.throws(() => rowDistances(new Float32Array(10), new Float32Array(L * L)), /10000 cells/);
    assert.throws(() => idealScore([], []), /at least one map/);
    const ds = datasetOf([SHAPES]);
    assert.throws(() => idealOf(ds, 1), /outside the test split \(0\.\.0\)/);
    assert.deepEqual(idealOf(ds, 0), idealAttention(SHAPES));
  });
});
