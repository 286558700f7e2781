// Figures of the task (src/viz/figures/task.ts): a training sample raw or normalised, and the one
// normalisation of test samples. Exact values from the generated dataset, sample by sample.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sample } from '../../../src/data/dataset';
import { DEFAULT_DATA, generateDataset, shapesOf } from '../../../src/data/task';
import { toRows } from '../../../src/viz/frames';
import { normalise, sampleFigure, testSeries } from '../../../src/viz/figures/task';
import { spanRows } from '../../../src/viz/shape-marks';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 6 });
const f32 = (v: number) => Math.fround(v);

/** The value of `series` at step t in a figure's rows. */
const at = (rows: Any[], series: string, t: number) =>
  rows.find((r) => r.series === series && r.t === t)?.value;

describe('task figures', () => {
  it('sampleFigure draws the raw heights of the sample it is given, its shapes marked', () => {
    for (const i of [3, 11]) {
      const { x, y } = sample(ds, 'pool', i);
      const f = sampleFigure(ds, i);
      const rows = toRows(f.frame);
      assert.equal(rows.length, 200);
      for (const t of [0, 37, 99]) {
        assert.equal(at(rows, 'input', t), x[t]);
        assert.equal(at(rows, 'target', t), y[t]);
      }
      const spec = f.spec as Any;
      assert.deepEqual(spec.layer[0].data.values, spanRows(shapesOf(ds.pool, i)));
      assert.equal(spec.layer[2].encoding.y.title, 'height');
      assert.equal(spec.title.text, `Training sample ${i}`);
    }
  });

  it('sampleFigure with normalised: true draws (value − mean) / std, and says so', () => {
    const i = 5;
    const { x, y } = sample(ds, 'pool', i);
    const f = sampleFigure(ds, i, { normalised: true });
    const rows = toRows(f.frame);
    for (const t of [0, 50, 99]) {
      assert.equal(at(rows, 'input', t), f32((x[t] - ds.mean) / ds.std));
      assert.equal(at(rows, 'target', t), f32((y[t] - ds.mean) / ds.std));
    }
    const drawn = (f.spec as Any).layer[2].data.values as Any[];
    const t = drawn.findIndex((r) => r.series === 'target' && r.value !== drawn[0].value);
    assert.equal(drawn[t].value, Number(f32((y[drawn[t].t] - ds.mean) / ds.std).toPrecision(4)));
    assert.equal((f.spec as Any).layer[2].encoding.y.title, '(value − mean) / std');
    assert.equal((f.spec as Any).title.text, `Training sample ${i}, normalised`);
  });

  it('normalise and testSeries: the training mean and std, test sample by test sample', () => {
    assert.deepEqual(
      Array.from(normalise({ mean: 2, std: 4 }, Float32Array.of(2, 6, 0))),
      [0, 1, -0.5],
    );
    const a = testSeries(ds, 1, { cnn: [7] });
    const b = testSeries(ds, 4);
    assert.deepEqual(Object.keys(a), ['input', 'target', 'cnn']);
    assert.equal(a.input[10], f32((sample(ds, 'test', 1).x[10] - ds.mean) / ds.std));
    assert.equal(b.target[60], f32((sample(ds, 'test', 4).y[60] - ds.mean) / ds.std));
    assert.notDeepEqual(Array.from(a.input), Array.from(b.input));
  });
});
