// Attention read cell by cell (src/analysis/attention-cells.ts): which shape covers a step, the
// brightest cells, what each role of step reads, and the partner's share, on hand-made maps.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEQ_LENGTH } from '../../src/data/task';
import {
  boxEdges,
  brightestCellRows,
  brightestCells,
  partnerMassRows,
  roleReads,
  topInputRows,
  topInputs,
  whereIs,
} from '../../src/analysis/attention-cells';
import { SHAPES, pairMap } from './fixtures';

describe('attention cells', () => {
  it('names positions and finds the brightest cells and the box edges', () => {
    assert.equal(whereIs(SHAPES, 10), 'T1');
    assert.equal(whereIs(SHAPES, 30), 'T2');
    assert.equal(whereIs(SHAPES, 50), 'B1');
    assert.equal(whereIs(SHAPES, 53), 'floor');
    assert.equal(whereIs(SHAPES, 68), 'B2');
    assert.deepEqual(boxEdges(SHAPES), [47, 48, 52, 53, 67, 68, 72, 73]);
    const a = new Float32Array(SEQ_LENGTH * SEQ_LENGTH);
    a[53 * SEQ_LENGTH + 40] = 0.9; // the step after B1 reads the floor at 40
    a[53 * SEQ_LENGTH + 68] = 0.1;
    a[52 * SEQ_LENGTH + 69] = 0.6; // B1's last step reads B2
    assert.deepEqual(brightestCells(a, 2), [
      { output: 53, input: 40, weight: 0.8999999761581421 },
      { output: 52, input: 69, weight: 0.6000000238418579 },
    ]);
    const [row] = topInputs(a, SHAPES, [53], 2);
    assert.equal(row.at, 'floor');
    assert.deepEqual(
      row.reads.map((r) => [r.input, r.at]),
      [
        [40, 'floor'],
        [68, 'B2'],
      ],
    );
  });

  it('names the brightest cells and flattens top inputs into table rows', () => {
    const a = new Float32Array(SEQ_LENGTH * SEQ_LENGTH);
    a[53 * SEQ_LENGTH + 40] = 0.5;
    a[53 * SEQ_LENGTH + 68] = 0.25;
    assert.deepEqual(brightestCellRows(a, SHAPES, 1), [
      { output: 53, 'output is': 'floor', input: 40, 'input is': 'floor', weight: 0.5 },
    ]);
    assert.deepEqual(topInputRows(topInputs(a, SHAPES, [53], 2)), [
      {
        output: 53,
        'output is': 'floor',
        'input 1': '40 (floor)',
        'weight 1': 0.5,
        'input 2': '68 (B2)',
        'weight 2': 0.25,
      },
    ]);
  });

  it('roleReads: how concentrated each role reads, and where its strongest input lies', () => {
    // Every output reads one position: the step after each box reads the floor at 40, every
    // other output reads B2's second step (69).
    const a = new Float32Array(SEQ_LENGTH * SEQ_LENGTH);
    for (let o = 0; o < SEQ_LENGTH; o++) a[o * SEQ_LENGTH + (o === 53 || o === 73 ? 40 : 69)] = 1;
    const rows = roleReads([a], [SHAPES]);
    assert.ok(rows.length > 0);
    const byRole = Object.fromEntries(rows.map((r) => [r['output position'], r]));
    assert.equal(byRole['first floor step after a box']['it is on the floor'], 1);
    assert.equal(byRole['first floor step after a box'].outputs, 2);
    assert.equal(byRole['last box step']['on a box'], 1);
    assert.equal(byRole['last box step']['it is on the floor'], 0);
    assert.equal(byRole['middle triangle step']['largest weight: median'], 1);
  });

  it('partnerMassRows follows the pairing and tells the partner from the shape itself', () => {
    // 0.8 of the pair's mass on the partner, and a floor share that differs per shape.
    const rows = partnerMassRows(pairMap(SHAPES, 0.8, [0, 0.1, 0.2, 0.5]), SHAPES, false);
    assert.deepEqual(
      rows.map((r) => [
        r.shape,
        r.partner,
        Number(r['on partner'].toFixed(6)),
        Number(r['on itself'].toFixed(6)),
        Number(r['on the other two'].toFixed(6)),
        Number(r.floor.toFixed(6)),
      ]),
      [
        ['T1', 'T2', 0.8, 0.2, 0, 0],
        ['T2', 'T1', 0.72, 0.18, 0, 0.1],
        ['B1', 'B2', 0.64, 0.16, 0, 0.2],
        ['B2', 'B1', 0.4, 0.1, 0, 0.5],
      ],
    );
    // Paired by side, T1's partner is T2 here too (centres 10, 30 | 50, 70); with the boxes
    // moved left it is B1, and the map's pair mass lands on "the other two".
    const mixed = [SHAPES[0], SHAPES[2], SHAPES[1], SHAPES[3]];
    const bySide = partnerMassRows(pairMap(mixed, 0.8), mixed, true);
    assert.deepEqual(
      bySide.map((r) => [r.shape, r.partner, Number(r['on partner'].toFixed(6))]),
      [
        ['T1', 'B1', 0],
        ['T2', 'B2', 0],
        ['B1', 'T1', 0],
        ['B2', 'T2', 0],
      ],
    );
    bySide.forEach((r) => assert.ok(Math.abs(r['on the other two'] - 0.8) < 1e-6));
  });
});
