// Where a sample's shapes are, as chart rows (src/viz/shape-marks.ts).
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Shape } from '../../src/data/task';
import { blockRows, spanRows } from '../../src/viz/shape-marks';

describe('shape marks', () => {
  it('spanRows and blockRows: the steps each shape covers and the same-kind blocks', () => {
    const shapes: Shape[] = [
      { c: 10, h: 5, w: 5 }, // triangle: |t − 10| < 3 → 8…12
      { c: 30, h: 9, w: 5 },
      { c: 50, h: 4, w: 5 }, // box: |t − 50| < 2.5 → 48…52
      { c: 70.5, h: 7, w: 6 }, // box: |t − 70.5| < 3 → 68…73
    ];
    assert.deepEqual(spanRows(shapes), [
      { label: 'T1', kind: 'triangle', start: 8, end: 12 },
      { label: 'T2', kind: 'triangle', start: 28, end: 32 },
      { label: 'B1', kind: 'box', start: 48, end: 52 },
      { label: 'B2', kind: 'box', start: 68, end: 73 },
    ]);
    const blocks = blockRows(shapes);
    assert.equal(blocks.length, 8);
    assert.deepEqual(blocks[4], {
      from: 'B1',
      to: 'B1',
      relation: 'own',
      x0: 47.5,
      x1: 52.5,
      y0: 47.5,
      y1: 52.5,
    });
    assert.deepEqual(blocks[5], {
      from: 'B1',
      to: 'B2',
      relation: 'partner',
      x0: 67.5,
      x1: 73.5,
      y0: 47.5,
      y1: 52.5,
    });
  });
});
