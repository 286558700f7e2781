// Figures (src/viz/figures.ts and its helpers): pure functions of records and arrays, checked on
// small inputs with rounded numbers; none of them runs a model.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { DEFAULT_DATA, Shape, generateDataset, shapesOf } from '../../src/data/task';
import { RunRecord } from '../../src/train/runs';
import { fakeRun } from './fake-run';
import * as F from '../../src/viz/figures';
import { blockRows, spanRows } from '../../src/viz/shape-marks';
import { codeRow, codedMatrixRows, decodeSymbol } from '../../src/viz/coded-matrix';
import { seriesStyle } from '../../src/viz/palette';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 6 });
const r4 = (v: number) => Number(v.toPrecision(4));

function record(kind: 'cnn' | 'attention', valid: number, steps = 1000): RunRecord {
  const history = [
    ...Array.from({ length: steps }, (_, i) => ({
      step: i + 1,
      epoch: Math.floor((i * 2) / steps),
      split: 'train' as const,
      loss: 1 / (i + 1),
    })),
    { step: steps / 2, epoch: 0, split: 'valid' as const, loss: 0.2 },
    { step: steps, epoch: 1, split: 'valid' as const, loss: valid },
  ];
  return fakeRun(valid, { kind, history, params: kind === 'cnn' ? 62_337 : 58_177 });
}

describe('figure helpers', () => {
  it('palette: target near-black and thick, input grey dashed, models in fixed colours', () => {
    const s = seriesStyle(['input', 'target', 'cnn', 'attention prediction', 'other']);
    assert.deepEqual(s.color, ['#a3a3a3', '#1b1b1b', '#4c78a8', '#f58518', '#e45756']);
    assert.deepEqual(s.dash[0], [4, 3]);
    assert.deepEqual(s.width, [1.3, 2.6, 1.7, 1.7, 1.7]);
  });

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

  it('coded rows: sqrt-spaced symbols that decode to within a step', () => {
    assert.equal(codeRow([0, 1, 0.25, 2, -1]), '0Z' + codeRow([0.25]) + 'Z0');
    for (const w of [0, 0.0001, 0.01, 0.1, 0.25, 0.5, 0.88, 1]) {
      const back = decodeSymbol(codeRow([w]));
      const step = (2 * Math.sqrt(w) + 1 / 61) / 61; // the spacing of (k/61)² around w
      assert.ok(Math.abs(back - w) <= step / 2 + 1e-12, `${w} → ${back}`);
    }
    const rows = codedMatrixRows([0, 1, 1, 0], 2, { index: 3 });
    assert.deepEqual(rows, [
      { index: 3, output: 0, codes: '0Z' },
      { index: 3, output: 1, codes: 'Z0' },
    ]);
    assert.throws(() => codedMatrixRows([0, 1, 2], 2), /expected 4 values/);
  });
});

describe('figures', () => {
  it('sampleFigure marks the four shapes of the sample', () => {
    const f = F.sampleFigure(ds, 3, { normalised: true });
    const spans = (f.spec as Any).layer[0].data.values;
    assert.deepEqual(
      spans.map((s: Any) => s.label),
      ['T1', 'T2', 'B1', 'B2'],
    );
    assert.deepEqual(spans, spanRows(shapesOf(ds.pool, 3)));
    assert.equal(f.frame.shape[0], 200);
  });

  it('lossFigure thins the per-batch loss and says so; the subtitle counts fitted samples', () => {
    const f = F.lossFigure(record('cnn', 0.067), { title: 'CNN' });
    const spec = f.spec as Any;
    assert.deepEqual(spec.title.subtitle, [
      '2 epochs, fitted on 20,000 samples; final: train 0.0603, valid 0.0670, test 0.0737',
      'train: mean of every 3 batches; valid: after each epoch',
    ]);
    const rows = spec.data.values as Any[];
    const train = rows.filter((r) => r.series === 'train');
    assert.equal(train.length, 334); // ceil(1000 / 3)
    assert.equal(train[0].value, r4((1 + 1 / 2 + 1 / 3) / 3)); // the mean of the first window
    assert.equal(rows.filter((r) => r.series === 'valid').length, 2); // untouched
    assert.equal(f.frame.shape[0], 1002); // the frame keeps every point
  });

  it('lossesFigure: one panel per name, in the given order', () => {
    const f = F.lossesFigure(
      { 'without position': record('attention', 0.06), 'with position': record('attention', 0.03) },
      { title: 'position' },
    );
    assert.deepEqual((f.spec as Any).facet.sort, ['without position', 'with position']);
  });

  it('predictionFigure: input, target, then each model, per sample in the given order', () => {
    const preds = { cnn: new Float32Array(2 * 100).fill(0.5) };
    const f = F.predictionFigure(ds, preds, { samples: [4, 1] });
    const rows = (f.spec as Any).data.values as Any[];
    assert.deepEqual([...new Set(rows.map((r) => r.sample))], [4, 1]);
    assert.deepEqual([...new Set(rows.map((r) => r.series))], ['input', 'target', 'cnn']);
    assert.throws(() => F.predictionFigure(ds, {}), /at least one model/);
  });

  it('attentionPairingFigure: one coded map, lines, spans and blocks per sample', () => {
    const eye = (k: number) => Float32Array.from({ length: 10_000 }, (_, i) => (i === k ? 1 : 0));
    const preds = new Float32Array(200).fill(0.25);
    const f = F.attentionPairingFigure(ds, [eye(0), eye(101)], {
      samples: [2, 5],
      predictions: preds,
      model: 'attention',
      initial: 1,
    });
    const spec = f.spec as Any;
    assert.equal(spec.params[0].value, 1);
    assert.equal(spec.params[0].bind.max, 1);
    assert.equal(f.frame.shape[0], 200); // 100 coded rows per sample
    const heat = spec.vconcat[1].hconcat[0].layer[0];
    assert.equal(heat.data.values[0].codes, 'Z' + '0'.repeat(99));
    assert.equal(heat.data.values[101].codes, '0Z' + '0'.repeat(98));
    const top = spec.vconcat[0].layer.find((l: Any) => l.mark.type === 'line');
    assert.deepEqual(top.transform[1].fold, ['input', 'target', 'attention prediction']);
    assert.equal(top.data.values[100].index, 1);
    assert.equal(top.data.values[100]['attention prediction'], 0.25);
    assert.throws(
      () => F.attentionPairingFigure(ds, [eye(0)], { samples: [1, 2] }),
      /1 maps for 2/,
    );
    assert.ok(compile(f.spec).spec);
  });

  it('heatmapsFigure: shared sqrt scale, the order given, the largest weight in the subtitle', () => {
    const a = Float32Array.from({ length: 10_000 }, (_, i) => (i % 100 === 0 ? 0.6 : 0));
    const b = Float32Array.from({ length: 10_000 }, () => 0.01);
    const f = F.heatmapsFigure({ without: a, with: b }, { title: 'pos' });
    const spec = f.spec as Any;
    assert.deepEqual(spec.facet.sort, [0, 1]);
    assert.equal(spec.facet.header.labelExpr, '["without","with"][datum.value]');
    assert.equal(spec.resolve.scale.color, 'shared');
    assert.match(spec.title.subtitle, /largest weight is 0\.60/);
    assert.deepEqual(spec.data.values[10_000], { input: 0, output: 0, attention: 0.01, panel: 1 });
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
    const f = F.pairMassFigure(rows);
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
  });

  it('scoreboardFigure and resultsTable: every run with its values', () => {
    const recs = { cnn: record('cnn', 0.067), attention: record('attention', 0.00089) };
    const f = F.scoreboardFigure(recs);
    const spec = f.spec as Any;
    assert.deepEqual(spec.hconcat[0].layer[0].encoding.y.sort, ['cnn', 'attention']);
    assert.deepEqual(spec.hconcat[1].data.values[0], {
      model: 'cnn',
      params: 62337,
      seconds: 15,
      backend: 'tfjs-node',
      valid: 0.067,
      speed: '15.0 s · tfjs-node',
    });
    const table = F.resultsTable(recs);
    assert.deepEqual(table.columns, [
      'model',
      'params',
      'train',
      'valid',
      'test',
      'epochs',
      's/epoch',
      'backend',
    ]);
    assert.equal(table.shape[0], 2);
  });

  it('batchLeakFigure keeps the models in the order given', () => {
    const f = F.batchLeakFigure([
      { model: 'lstm-blog', position: 0, change: 3 },
      { model: 'cnn', position: 0, change: 5 },
    ]);
    assert.deepEqual((f.spec as Any).facet.row.sort, ['lstm-blog', 'cnn']);
  });
});
