// What the analysis reads off attention maps and predictions, on hand-made maps and shapes:
// spans per kind, mass per shape and pair, the brightest cells, the partner-blind floor.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DATA, SEQ_LENGTH, Shape, generateDataset, shapesOf } from '../../src/data/task';
import { attentionByShape, pairMass, shapeSpan } from '../../src/analysis/attention-by-shape';
import { quartiles, shapeMass, shapeMassSummary } from '../../src/analysis/attention-stats';
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
import {
  blindLoss,
  blindShapes,
  contentOnlyLoss,
  empiricalBlindLoss,
  expectedPartner,
  partnersOf,
} from '../../src/analysis/blind';
import { sweepMeans } from '../../src/analysis/sweep-stats';
import { SweepResult } from '../../src/train/sweep';
import { shapeHeights } from '../../src/analysis/heights';

const shapes: Shape[] = [
  { c: 10, h: 20, w: 5 }, // T1: steps 8…12
  { c: 30, h: 6, w: 5 }, // T2: 28…32
  { c: 50, h: 4, w: 5 }, // B1: 48…52 (a box stops at |t − c| < w/2)
  { c: 70, h: 12, w: 5 }, // B2: 68…72
];
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** A map where every output of a shape splits its weight evenly over its pair's 10 steps. */
function pairMeanMap(): Float32Array {
  const a = new Float32Array(SEQ_LENGTH * SEQ_LENGTH).fill(0.01); // the floor: uniform
  const spans = shapes.map(shapeSpan);
  spans.forEach((outs, i) => {
    const pair = [...spans[i], ...spans[i ^ 1]];
    for (const o of outs) {
      a.fill(0, o * SEQ_LENGTH, (o + 1) * SEQ_LENGTH);
      for (const j of pair) a[o * SEQ_LENGTH + j] = 1 / pair.length;
    }
  });
  return a;
}

describe('attention by shape', () => {
  it('spans: a triangle reaches w/2 + 0.5 from its centre, a box w/2; the index gives the kind', () => {
    assert.deepEqual(shapeSpan(shapes[0]), range(8, 12));
    assert.deepEqual(shapeSpan({ c: 50.6, h: 4, w: 5 }, 'box'), range(49, 53));
    assert.deepEqual(shapeSpan({ c: 50.6, h: 4, w: 5 }, 'triangle'), range(48, 53));
    assert.deepEqual(shapes.map(shapeSpan)[2], range(48, 52));
  });

  it('a map that averages each pair puts all mass on the pair, half on the partner', () => {
    const rows = attentionByShape(pairMeanMap(), shapes);
    assert.deepEqual(
      rows.map((r) => Math.abs(Number(r.elsewhere.toFixed(6)))),
      [0, 0, 0, 0],
    );
    for (const p of pairMass(rows)) {
      assert.ok(Math.abs(p.onPair - 1) < 1e-6, `${p.from} ${p.onPair}`);
      assert.ok(Math.abs(p.partnerShare - 0.5) < 1e-6);
    }
    const m = shapeMass([pairMeanMap()], [shapes], [7]);
    assert.equal(m.length, 4);
    assert.equal(m[2].kind, 'box');
    assert.ok(Math.abs(m[2].onOtherPair) < 1e-6);
    const summary = shapeMassSummary(m);
    assert.deepEqual(
      summary.map((s) => [s.kind, s.samples, Number(s.onPair.toFixed(6))]),
      [
        ['triangle', 1, 1],
        ['box', 1, 1],
      ],
    );
  });

  it('quartiles interpolate between ranks', () => {
    assert.deepEqual(quartiles([4, 1, 3, 2, 5]), { q1: 2, median: 3, q3: 4 });
    assert.deepEqual(quartiles([1, 2]), { q1: 1.25, median: 1.5, q3: 1.75 });
  });

  it('names positions and finds the brightest cells and the box edges', () => {
    assert.equal(whereIs(shapes, 10), 'T1');
    assert.equal(whereIs(shapes, 53), 'floor');
    assert.equal(whereIs(shapes, 68), 'B2');
    assert.deepEqual(boxEdges(shapes), [47, 48, 52, 53, 67, 68, 72, 73]);
    const a = new Float32Array(SEQ_LENGTH * SEQ_LENGTH);
    a[53 * SEQ_LENGTH + 40] = 0.9; // the step after B1 reads the floor at 40
    a[53 * SEQ_LENGTH + 68] = 0.1;
    a[52 * SEQ_LENGTH + 69] = 0.6; // B1's last step reads B2
    assert.deepEqual(brightestCells(a, 2), [
      { output: 53, input: 40, weight: 0.8999999761581421 },
      { output: 52, input: 69, weight: 0.6000000238418579 },
    ]);
    const [row] = topInputs(a, shapes, [53], 2);
    assert.equal(row.at, 'floor');
    assert.deepEqual(
      row.reads.map((r) => [r.input, r.at]),
      [
        [40, 'floor'],
        [68, 'B2'],
      ],
    );
  });
});

describe('edges and roles', () => {
  it('names the brightest cells and flattens top inputs into table rows', () => {
    const a = new Float32Array(SEQ_LENGTH * SEQ_LENGTH);
    a[53 * SEQ_LENGTH + 40] = 0.5;
    a[53 * SEQ_LENGTH + 68] = 0.25;
    assert.deepEqual(brightestCellRows(a, shapes, 1), [
      { output: 53, 'output is': 'floor', input: 40, 'input is': 'floor', weight: 0.5 },
    ]);
    assert.deepEqual(topInputRows(topInputs(a, shapes, [53], 2)), [
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
    const rows = roleReads([a], [shapes]);
    const byRole = Object.fromEntries(rows.map((r) => [r['output position'], r]));
    assert.equal(byRole['first floor step after a box']['it is on the floor'], 1);
    assert.equal(byRole['first floor step after a box'].outputs, 2);
    assert.equal(byRole['last box step']['on a box'], 1);
    assert.equal(byRole['middle triangle step']['largest weight: median'], 1);
  });
});

describe('the partner-blind floor', () => {
  it('expects 13 from a box partner, and less or more from a triangle partner 4 away', () => {
    assert.equal(expectedPartner(13), 13);
    assert.equal(expectedPartner(5), 13);
    // Partner uniform on [1, 25] outside (9, 17): [1, 9] ∪ [17, 25], symmetric about 13.
    assert.equal(expectedPartner(13, 4), 13);
    // h = 22.6: [1, 18.6] ∪ [26.6, 25] (empty) → mean 9.8.
    assert.equal(Number(expectedPartner(22.6, 4).toFixed(6)), 9.8);
    const guess = blindShapes(shapes);
    assert.equal(guess[2].h, (4 + 13) / 2);
    assert.equal(guess[3].h, (12 + 13) / 2);
    assert.equal(guess[0].c, shapes[0].c);
  });

  it('shapeHeights reads heights back in the task units, with the blind guess', () => {
    const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 4 });
    const perfect = new Float32Array(2 * SEQ_LENGTH);
    [1, 3].forEach((s, k) => {
      for (let t = 0; t < SEQ_LENGTH; t++)
        perfect[k * SEQ_LENGTH + t] = (ds.test.y[s * SEQ_LENGTH + t] - ds.mean) / ds.std;
    });
    const rows = shapeHeights(ds, [1, 3], { exact: perfect }, { blind: true });
    assert.equal(rows.length, 8);
    assert.deepEqual(
      rows.slice(0, 4).map((r) => r.shape),
      ['T1', 'T2', 'B1', 'B2'],
    );
    const truth = shapesOf(ds.test, 1);
    for (const r of rows.slice(0, 4)) {
      assert.ok(Math.abs((r.exact as number) - r.target) < 1e-4);
      assert.ok(Math.abs(r.input - truth[['T1', 'T2', 'B1', 'B2'].indexOf(r.shape)].h) < 0.2);
    }
    assert.equal(rows[2]['partner-blind guess'], (truth[2].h + 13) / 2);
  });
});

describe('pairings and references', () => {
  it('partners by kind, or by side with groupByLocations', () => {
    assert.deepEqual(partnersOf(shapes, false), [1, 0, 3, 2]);
    // Centres 10, 30, 50, 70: the two leftmost (T1, T2) and the two rightmost (B1, B2).
    assert.deepEqual(partnersOf(shapes, true), [1, 0, 3, 2]);
    const mixed = [shapes[0], shapes[2], shapes[1], shapes[3]]; // centres 10, 50, 30, 70
    assert.deepEqual(partnersOf(mixed, true), [2, 3, 0, 1]);
  });

  it('partnerMassRows follows the pairing', () => {
    const rows = partnerMassRows(pairMeanMap(), shapes, false);
    assert.deepEqual(
      rows.map((r) => [r.shape, r.partner, Number(r['on partner'].toFixed(6))]),
      [
        ['T1', 'T2', 0.5],
        ['T2', 'T1', 0.5],
        ['B1', 'B2', 0.5],
        ['B2', 'B1', 0.5],
      ],
    );
  });

  it('the measured partner-blind floor agrees with the derived one; content helps', () => {
    const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 2000, nTest: 200 });
    const derived = blindLoss(ds);
    assert.ok(Math.abs(empiricalBlindLoss(ds, 12) - derived) < 0.1 * derived);
    const byLocation = generateDataset({
      ...DEFAULT_DATA,
      nTrain: 200,
      nTest: 50,
      groupByLocations: true,
    });
    assert.ok(contentOnlyLoss(byLocation) > 0);
  });

  it('sweepMeans averages the final validation loss per value of a field', () => {
    const point = (kind: 'attention' | 'cnn', k: number, valid: number): SweepResult => ({
      label: `${kind} k${k}`,
      kind,
      config: { kernelSize: k },
      status: 'done',
      epochs: [{ epoch: 0, train: 1, valid }],
      seconds: 1,
      backend: 'cpu',
    });
    const rows = sweepMeans(
      [point('attention', 3, 0.04), point('attention', 3, 0.02), point('cnn', 3, 0.08)],
      'kernelSize',
    );
    assert.deepEqual(rows, [
      { model: 'attention', kernelSize: 3, points: 2, 'mean valid': 0.03, best: 0.02, worst: 0.04 },
      { model: 'cnn', kernelSize: 3, points: 1, 'mean valid': 0.08, best: 0.08, worst: 0.08 },
    ]);
  });
});
