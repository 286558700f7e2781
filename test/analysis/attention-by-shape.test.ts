// Attention mass per shape (src/analysis/attention-by-shape.ts), on hand-made maps.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEQ_LENGTH } from '../../src/data/task';
import {
  SHAPE_NAMES,
  attentionByShape,
  kindOf,
  pairMass,
  shapeSpan,
} from '../../src/analysis/attention-by-shape';
import { SHAPES, pairMap, range } from './fixtures';

describe('attention by shape', () => {
  it('spans: a triangle reaches w/2 + 0.5 from its centre, a box w/2; the index gives the kind', () => {
    assert.deepEqual(shapeSpan(SHAPES[0]), range(8, 12));
    assert.deepEqual(shapeSpan({ c: 50.6, h: 4, w: 5 }, 'box'), range(49, 53));
    assert.deepEqual(shapeSpan({ c: 50.6, h: 4, w: 5 }, 'triangle'), range(48, 53));
    assert.deepEqual(SHAPES.map(shapeSpan)[2], range(48, 52));
    assert.deepEqual([0, 1, 2, 3].map(kindOf), ['triangle', 'triangle', 'box', 'box']);
  });

  it('a map that averages each pair puts all mass on the pair, half on the partner', () => {
    const rows = attentionByShape(pairMap(), SHAPES);
    assert.deepEqual(
      rows.map((r) => r.from),
      [...SHAPE_NAMES],
    );
    rows.forEach((r) => assert.ok(Math.abs(r.elsewhere) < 1e-6, `${r.from} ${r.elsewhere}`));
    const pairs = pairMass(rows);
    assert.equal(pairs.length, 4);
    for (const p of pairs) {
      assert.ok(Math.abs(p.onPair - 1) < 1e-6, `${p.from} ${p.onPair}`);
      assert.ok(Math.abs(p.partnerShare - 0.5) < 1e-6);
    }
  });

  it("reads each shape's mass on every shape, and the partner's share of the pair's mass", () => {
    // 0.8 on the partner, 0.2 on itself: a mix-up of self and partner, or of the pairs, shows.
    const rows = attentionByShape(pairMap(SHAPES, 0.8), SHAPES);
    const to = rows.map((r) => SHAPE_NAMES.map((n) => Number(r.to[n].toFixed(6))));
    assert.deepEqual(to, [
      [0.2, 0.8, 0, 0],
      [0.8, 0.2, 0, 0],
      [0, 0, 0.2, 0.8],
      [0, 0, 0.8, 0.2],
    ]);
    assert.deepEqual(
      pairMass(rows).map((p) => [
        p.from,
        Number(p.onPair.toFixed(6)),
        Number(p.partnerShare.toFixed(6)),
      ]),
      SHAPE_NAMES.map((n) => [n, 1, 0.8]),
    );
  });

  it('counts the floor as elsewhere: a uniform map leaves 1 − (steps in shapes)/100 there', () => {
    const uniform = new Float32Array(SEQ_LENGTH * SEQ_LENGTH).fill(1 / SEQ_LENGTH);
    const rows = attentionByShape(uniform, SHAPES);
    // 5 steps per shape, 20 in all: each output puts 0.05 on every shape and 0.8 on the floor.
    for (const r of rows) {
      assert.ok(Math.abs(r.elsewhere - 0.8) < 1e-6, `${r.from} ${r.elsewhere}`);
      for (const n of SHAPE_NAMES) assert.ok(Math.abs(r.to[n] - 0.05) < 1e-6);
    }
  });
});
