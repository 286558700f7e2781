// Prediction figures (src/viz/figures/predictions.ts): every panel must draw its own sample's
// input, target and predictions, so each model's predictions differ per sample and per model.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { sample } from '../../../src/data/dataset';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset } from '../../../src/data/task';
import { toRows } from '../../../src/viz/frames';
import { batchLeakFigure, predictionFigure } from '../../../src/viz/figures/predictions';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 6 });
const samples = [4, 1, 5];
/** Model m's prediction for row k, step t: exact in float32 and in 4 significant digits. */
const value = (m: number, k: number, t: number) => m + k / 10 + t / 1000;
const predictions = Object.fromEntries(
  ['cnn', 'attention'].map((name, m) => [
    name,
    Float32Array.from({ length: samples.length * SEQ_LENGTH }, (_, i) =>
      value(m + 1, Math.floor(i / SEQ_LENGTH), i % SEQ_LENGTH),
    ),
  ]),
);

describe('prediction figures', () => {
  it("predictionFigure: each panel draws its own sample's input, target and predictions", () => {
    const f = predictionFigure(ds, predictions, { samples });
    const frame = toRows(f.frame);
    const drawn = (f.spec as Any).data.values as Any[];
    assert.deepEqual([...new Set(drawn.map((r) => r.sample))], samples);
    assert.deepEqual(
      [...new Set(drawn.map((r) => r.series))],
      ['input', 'target', 'cnn', 'attention'],
    );
    samples.forEach((s, k) => {
      const { x, y } = sample(ds, 'test', s);
      for (const t of [0, 42, 99]) {
        const cell = (rows: Any[], series: string) =>
          rows.find((r) => r.sample === s && r.series === series && r.t === t)?.value;
        assert.equal(cell(frame, 'cnn'), Math.fround(value(1, k, t)), `cnn, sample ${s}, t ${t}`);
        assert.equal(cell(drawn, 'attention'), Number(value(2, k, t).toPrecision(4)));
        assert.equal(cell(frame, 'input'), Math.fround((x[t] - ds.mean) / ds.std));
        assert.equal(cell(frame, 'target'), Math.fround((y[t] - ds.mean) / ds.std));
      }
    });
    assert.equal(frame.length, samples.length * 4 * SEQ_LENGTH);
    assert.ok(compile(f.spec).spec);
  });

  it('predictionFigure: the blog samples by default; at least one model', () => {
    const four = Float32Array.from({ length: 4 * SEQ_LENGTH }, (_, i) => i / 400);
    const big = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 702 });
    const f = predictionFigure(big, { cnn: four });
    assert.deepEqual((f.spec as Any).facet.sort, [84, 701, 27, 493]);
    assert.throws(() => predictionFigure(ds, {}), /at least one model/);
  });

  it('batchLeakFigure: one panel per model in the order given, the rows as given', () => {
    const rows = [
      { model: 'lstm-blog', position: 0, change: 3 },
      { model: 'cnn', position: 0, change: 5 },
      { model: 'lstm-blog', position: 1, change: 0.25 },
    ];
    const f = batchLeakFigure(rows);
    assert.deepEqual((f.spec as Any).facet.row.sort, ['lstm-blog', 'cnn']);
    assert.deepEqual(toRows(f.frame), rows);
    assert.deepEqual((f.spec as Any).data.values, rows);
  });
});
