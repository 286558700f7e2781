// Figures of how the attention emerges (src/viz/figures/emergence.ts): the epoch slider holds
// every snapshot's block-averaged cells and stays small enough for a notebook; the emergence
// chart draws the validation loss over the noise floor above the score and the role masses.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { compactSpec } from '../../../src/runtime/display';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset, shapesOf } from '../../../src/data/task';
import { decodeSymbol } from '../../../src/viz/coded-matrix';
import { toRows } from '../../../src/viz/frames';
import {
  EmergenceRow,
  emergenceFigure,
  epochSliderFigure,
} from '../../../src/viz/figures/emergence';
import type { Spec } from '../../../src/viz/spec-parts';
import { SNAPSHOT_PARAM } from '../../../src/viz/marks/slider';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const L = SEQ_LENGTH;
/** A row-stochastic [100 × 100] map that differs from snapshot to snapshot (seeded by k). */
function map(k: number): Float32Array {
  const m = new Float32Array(L * L);
  for (let i = 0; i < L; i++) {
    let sum = 0;
    for (let j = 0; j < L; j++) {
      const w = Math.exp(-((i - j - 3 * k) ** 2) / 40) + ((i * 7 + j * 13 + k) % 5) / 50;
      m[i * L + j] = w;
      sum += w;
    }
    for (let j = 0; j < L; j++) m[i * L + j] /= sum;
  }
  return m;
}
const snapshots = (n: number) =>
  Array.from({ length: n }, (_, k) => ({ epoch: k * 0.25, map: map(k) }));

describe('epochSliderFigure', () => {
  it('compiles, with the snapshot param bound to a range 0…n−1', () => {
    const f = epochSliderFigure(snapshots(5), { title: 'Sample 84' });
    const spec = f.spec as Any;
    assert.ok(compile(f.spec).spec);
    const param = spec.params.find((p: Any) => p.name === SNAPSHOT_PARAM);
    // Bug caught: a slider one step short of the last snapshot, or over a different count.
    assert.deepEqual(
      { input: param.bind.input, min: param.bind.min, max: param.bind.max },
      { input: 'range', min: 0, max: 4 },
    );
  });

  it("the frame holds every snapshot's 4 × 4 blocks: mean over the outputs of the inputs' mass", () => {
    const snaps = snapshots(3);
    const f = epochSliderFigure(snaps, { title: 't' });
    const rows = toRows(f.frame);
    assert.deepEqual(f.frame.columns, ['snap', 'epoch', 'output', 'input', 'attention']);
    assert.equal(rows.length, 3 * 25 * 25);
    // By hand: snapshot 2, the block of outputs 8…11 and inputs 12…15.
    const m = snaps[2].map;
    let sum = 0;
    for (const o of [8, 9, 10, 11]) for (const i of [12, 13, 14, 15]) sum += m[o * L + i];
    const cell = rows.find((r) => r.snap === 2 && r.output === 8 && r.input === 12)!;
    // Bug caught: a block taken from the wrong snapshot, offset by one position, or divided by 16.
    assert.ok(Math.abs(Number(cell.attention) - sum / 4) < 1e-6);
    assert.equal(cell.epoch, 0.5);
    // Each output block's cells still sum to 1 (rows of the map sum to 1).
    const rowSum = rows
      .filter((r) => r.snap === 1 && r.output === 40)
      .reduce((s, r) => s + Number(r.attention), 0);
    assert.ok(Math.abs(rowSum - 1) < 1e-5);
  });

  it('the spec carries the same cells, one symbol each, for every snapshot', () => {
    const f = epochSliderFigure(snapshots(3), { title: 't' });
    const rows = toRows(f.frame);
    const coded = (f.spec as Any).layer[0].data.values as Any[];
    for (const snap of [0, 1, 2]) {
      const r = coded.find((c) => c.snap === snap && c.output === 2)!; // output block 2: positions 8…11
      for (const j of [0, 3, 24]) {
        const want = rows.find((x) => x.snap === snap && x.output === 8 && x.input === 4 * j)!;
        const a = Number(want.attention);
        // The code's step near a: d(k/61)² = 2·√a / 61.
        assert.ok(Math.abs(decodeSymbol(r.codes[j]) - a) <= Math.sqrt(a) / 61 + 1e-9);
      }
    }
  });

  it('20 snapshots stay under 150 KB of spec as the notebook stores it (CSV rows)', () => {
    const f = epochSliderFigure(snapshots(20), {
      title: 'Attention of test sample 84',
      shapes: shapesOf(generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 4 }).test, 0),
    });
    const bytes = JSON.stringify(compactSpec(f.spec)).length;
    // Bug caught: cells embedded as one JSON row each (about 1 MB for 12,500 cells).
    assert.ok(bytes < 150_000, `${bytes} bytes`);
    assert.ok(compile(f.spec).spec);
  });

  it('refuses bad input before any work', () => {
    const ok = snapshots(2);
    assert.throws(() => epochSliderFigure([], { title: 't' }), /no snapshots/);
    assert.throws(() => epochSliderFigure(ok, { title: 't', block: 3 }), /block/);
    assert.throws(
      () => epochSliderFigure([ok[1], ok[0]], { title: 't' }),
      /epochs must be finite and increasing/,
    );
    assert.throws(
      () => epochSliderFigure([{ epoch: 0, map: new Float32Array(99) }], { title: 't' }),
      /99 values/,
    );
    // Bug caught: a map of scores (not weights) drawn with its top clipped to the code's 1.
    const big = { epoch: 0, map: new Float32Array(L * L).fill(0.5) };
    assert.throws(() => epochSliderFigure([big], { title: 't' }), /no attention map/);
    const nan = { epoch: 0, map: new Float32Array(L * L).fill(NaN) };
    assert.throws(() => epochSliderFigure([nan], { title: 't' }), /no attention map/);
  });
});

const emergenceRows: EmergenceRow[] = [0, 0.5, 1, 2].map((epoch, k) => ({
  epoch,
  valid: 0.08 / (k + 1),
  score: 0.2 * k,
  own: 0.25 + 0.05 * k,
  partner: 0.25 + 0.06 * k,
  otherKind: 0.3 - 0.06 * k,
  floor: 0.2 - 0.05 * k,
}));

describe('emergenceFigure', () => {
  it('a long frame (epoch, series, value): the validation MSE and five measures per snapshot', () => {
    const f = emergenceFigure(emergenceRows, { floor: 0.004 });
    assert.deepEqual(f.frame.columns, ['epoch', 'series', 'value']);
    const rows = toRows(f.frame);
    assert.equal(rows.length, 4 * 6);
    // Bug caught: a measure read from the wrong field (e.g. partner from own).
    assert.deepEqual(
      rows.filter((r) => r.epoch === 1).map((r) => [r.series, r.value]),
      [
        ['valid MSE', emergenceRows[2].valid],
        ['ideal-attention score', 0.4],
        ['own shape', emergenceRows[2].own],
        ['partner', emergenceRows[2].partner],
        ['other pair', emergenceRows[2].otherKind],
        ['floor', emergenceRows[2].floor],
      ],
    );
  });

  it('two panels on one epoch axis: the loss on a log axis over the dashed floor, the measures below', () => {
    const spec = emergenceFigure(emergenceRows, { floor: 0.004 }).spec as Any;
    assert.ok(compile(spec as Spec).spec);
    const [top, bottom] = spec.vconcat;
    assert.equal(spec.resolve.scale.x, 'shared');
    assert.equal(top.layer[0].encoding.y.scale.type, 'log');
    const rule = top.layer.find((l: Any) => l.mark.type === 'rule');
    // Bug caught: the rule at another value, or not dashed (it would read as a data line).
    assert.deepEqual(rule.encoding.y, { datum: 0.004, type: 'quantitative' });
    assert.ok(rule.mark.strokeDash);
    assert.equal(bottom.encoding.color.field, 'series');
    assert.equal(bottom.encoding.color.scale.domain.length, 5);
    assert.match(spec.title.subtitle[0], /noise floor, 0\.0040/);
    const none = emergenceFigure(emergenceRows).spec as Any;
    assert.equal(none.vconcat[0].layer.length, 1);
  });

  it('refuses rows it cannot draw', () => {
    assert.throws(() => emergenceFigure([]), /no rows/);
    assert.throws(() => emergenceFigure([{ ...emergenceRows[0], valid: 0 }]), /log axis/);
    assert.throws(
      () => emergenceFigure([{ ...emergenceRows[0], score: NaN }]),
      /no finite number 'score'/,
    );
    assert.throws(() => emergenceFigure(emergenceRows, { floor: 0 }), /floor/);
  });
});
