// Attention figures (src/viz/figures/attention.ts): every map, sample and head is different, so a
// figure that draws the wrong one fails; each frame is what its spec draws.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { sample } from '../../../src/data/dataset';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset, shapesOf } from '../../../src/data/task';
import { decodeSymbol } from '../../../src/viz/coded-matrix';
import { toRows } from '../../../src/viz/frames';
import {
  attentionPairingFigure,
  headsFigure,
  heatmapFigure,
  heatmapsFigure,
  pairMassFigure,
  poolingFigure,
} from '../../../src/viz/figures/attention';
import { spanRows } from '../../../src/viz/shape-marks';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 6 });
const N = SEQ_LENGTH * SEQ_LENGTH;
/** A [100 × 100] map whose every row puts all its weight on input (row + shift) mod 100. */
const shifted = (shift: number) =>
  Float32Array.from({ length: N }, (_, i) =>
    i % SEQ_LENGTH === (Math.floor(i / SEQ_LENGTH) + shift) % SEQ_LENGTH ? 1 : 0,
  );

describe('attention figures', () => {
  it('heatmapFigure: row i of the matrix is output i, entry j input j', () => {
    const m = Float32Array.from({ length: N }, (_, i) => (i % 7) / 8);
    const f = heatmapFigure(m, { sample: 27 });
    const rows = toRows(f.frame);
    assert.deepEqual(rows[3 * SEQ_LENGTH + 5], { input: 5, output: 3, attention: m[305] });
    assert.equal((f.spec as Any).title.text, 'Attention for test sample 27');
    assert.equal((heatmapFigure(m).spec as Any).title.text, 'Attention for test sample 84');
  });

  it('heatmapsFigure: each panel its own map in the order given, the largest weight in the subtitle', () => {
    const a = Float32Array.from({ length: N }, (_, i) => (i % 100 === 0 ? 0.6 : 0));
    const b = Float32Array.from({ length: N }, () => 0.01);
    const spec = heatmapsFigure({ without: a, with: b }, { title: 'pos' }).spec as Any;
    assert.deepEqual(spec.facet.sort, [0, 1]);
    assert.equal(spec.facet.header.labelExpr, '["without","with"][datum.value]');
    assert.match(spec.title.subtitle, /largest weight is 0\.60/);
    assert.deepEqual(spec.data.values[0], { input: 0, output: 0, attention: 0.6, panel: 0 });
    assert.deepEqual(spec.data.values[N], { input: 0, output: 0, attention: 0.01, panel: 1 });
  });

  it('headsFigure: each head averaged over 2 × 2 blocks, still the attention mass of an output row', () => {
    const one = new Float32Array(N);
    // Output rows 0 and 1 both put all their weight on input 7: block (0, 3) holds 2 / 2 = 1.
    one[0 * SEQ_LENGTH + 7] = 1;
    one[1 * SEQ_LENGTH + 7] = 1;
    const f = headsFigure([shifted(50), one], { title: 't' });
    const rows = (f.spec as Any).data.values as Any[];
    assert.equal(rows.length, 2 * 50 * 50);
    assert.deepEqual(
      rows.filter((r) => r.head === 'head 2' && r.attention > 0),
      [{ head: 'head 2', output: 0, input: 6, attention: 1 }],
    );
    // Head 1 reads 50 positions ahead: output block 0 (rows 0, 1) → inputs 50, 51 → block 50.
    assert.deepEqual(
      rows.filter((r) => r.head === 'head 1' && r.output === 0 && r.attention > 0),
      [{ head: 'head 1', output: 0, input: 50, attention: 1 }],
    );
    assert.deepEqual((f.spec as Any).facet.sort, ['head 1', 'head 2']);
    assert.ok(compile(f.spec).spec);
  });

  it('attentionPairingFigure: each sample its own map, series and shapes; the frame is what is drawn', () => {
    const samples = [2, 5];
    const preds = Float32Array.from({ length: 2 * SEQ_LENGTH }, (_, i) => i / 256);
    const f = attentionPairingFigure(ds, [shifted(0), shifted(1)], {
      samples,
      predictions: preds,
      model: 'attention',
      initial: 1,
    });
    const frame = toRows(f.frame);
    assert.deepEqual(f.frame.columns, [
      'index',
      'sample',
      't',
      'input',
      'target',
      'attention prediction',
      'codes',
    ]);
    const spec = f.spec as Any;
    const heat = spec.vconcat[1].hconcat[0].layer[0];
    const top = spec.vconcat[0].layer.find((l: Any) => l.mark.type === 'line');
    assert.deepEqual(
      heat.data.values,
      frame.map((r) => ({ index: r.index, output: r.t, codes: r.codes })),
    );
    samples.forEach((s, index) => {
      const { x } = sample(ds, 'test', s);
      const row = (t: number) => frame[index * SEQ_LENGTH + t];
      // Output t of map `index` reads input t + index.
      assert.equal(decodeSymbol(String(row(10).codes)[10 + index]), 1);
      assert.equal(row(10).input, Math.fround((x[10] - ds.mean) / ds.std));
      assert.equal(row(10)['attention prediction'], preds[index * SEQ_LENGTH + 10]);
      const line = top.data.values[index * SEQ_LENGTH + 10];
      assert.equal(
        line['attention prediction'],
        Number(preds[index * SEQ_LENGTH + 10].toPrecision(3)),
      );
      const spans = spec.vconcat[0].layer[0].data.values.filter((r: Any) => r.index === index);
      assert.deepEqual(
        spans.map(({ index: _, ...r }: Any) => r),
        spanRows(shapesOf(ds.test, s)),
      );
    });
    assert.deepEqual(top.transform[1].fold, ['input', 'target', 'attention prediction']);
    assert.equal(spec.params[0].value, 1);
    assert.equal(spec.params[0].bind.max, 1);
    assert.throws(
      () => attentionPairingFigure(ds, [shifted(0)], { samples: [1, 2] }),
      /1 maps for 2/,
    );
    assert.ok(compile(f.spec).spec);
  });

  it('pairMassFigure: quartiles per kind for the two measures', () => {
    const rows = [0.2, 0.4, 0.6].flatMap((v, sample) => [
      {
        sample,
        from: 'triangle 1',
        kind: 'triangle' as const,
        onPair: v,
        partnerShare: 0.5,
        onOtherPair: 0,
        elsewhere: 1 - v,
      },
      {
        sample,
        from: 'box 1',
        kind: 'box' as const,
        onPair: v + 0.3,
        partnerShare: 0.4,
        onOtherPair: 0,
        elsewhere: 0.7 - v,
      },
    ]);
    const f = pairMassFigure(rows);
    const stats = (f.spec as Any).hconcat[0].data.values;
    assert.deepEqual(stats[0], {
      kind: 'triangle',
      measure: 'attention mass on the own pair',
      min: 0.2,
      q1: 0.3,
      median: 0.4,
      q3: 0.5,
      max: 0.6,
      label: 'median 0.40',
    });
    assert.equal(stats[1].median, 0.7);
    assert.equal((f.spec as Any).hconcat[1].data.values[1].median, 0.4);
    assert.equal(f.frame.shape[0], 4);
  });

  it("poolingFigure: each sample's normalised input and its own row of β", () => {
    const betas = Float32Array.from({ length: 2 * SEQ_LENGTH }, (_, i) =>
      i < SEQ_LENGTH ? 0.5 : 0.25,
    );
    const f = poolingFigure(ds, betas, [2, 0], { title: 't' });
    const rows = toRows(f.frame);
    assert.equal(rows.length, 2 * SEQ_LENGTH * 2);
    const of = (s: number, series: string) =>
      rows.filter((r) => r.sample === s && r.series === series);
    assert.deepEqual(new Set(of(2, 'β').map((r) => r.value)), new Set([0.5]));
    assert.deepEqual(new Set(of(0, 'β').map((r) => r.value)), new Set([0.25]));
    const x0 = sample(ds, 'test', 0).x;
    assert.equal(of(0, 'input')[7].value, Math.fround((x0[7] - ds.mean) / ds.std));
    assert.ok(compile(f.spec).spec);
  });
});
