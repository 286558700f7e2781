// Training figures (src/viz/figures/losses.ts): loss curves thinned for display, several runs
// side by side, the overfit check and validation curves; the runs' losses differ run by run.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { RunRecord } from '../../../src/train/runs';
import { toRows } from '../../../src/viz/frames';
import {
  fittedSamples,
  lossFigure,
  lossesFigure,
  overfitFigure,
  recipeSearchFigure,
  validCurvesFigure,
} from '../../../src/viz/figures/losses';
import { fakeRun } from '../fake-run';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const r4 = (v: number) => Number(v.toPrecision(4));

/** A run of `steps` batches over 2 epochs whose training loss is scale / step. */
function record(valid: number, scale = 1, steps = 1000): RunRecord {
  const history = [
    ...Array.from({ length: steps }, (_, i) => ({
      step: i + 1,
      epoch: Math.floor((i * 2) / steps),
      split: 'train' as const,
      loss: scale / (i + 1),
    })),
    { step: steps / 2, epoch: 0, split: 'valid' as const, loss: 0.2 * scale },
    { step: steps, epoch: 1, split: 'valid' as const, loss: valid },
  ];
  return fakeRun(valid, { kind: 'cnn', history, params: 62_337 });
}

describe('loss figures', () => {
  it('lossFigure thins the per-batch loss and says so; the subtitle counts fitted samples', () => {
    const f = lossFigure(record(0.067), { title: 'CNN' });
    const spec = f.spec as Any;
    assert.deepEqual(spec.title.subtitle, [
      '2 epochs, fitted on 20,000 samples; final: train 0.0603, valid 0.0670, test 0.0737',
      'train: mean of every 3 batches; valid: after each epoch',
    ]);
    const rows = spec.data.values as Any[];
    const train = rows.filter((r) => r.series === 'train');
    assert.equal(train.length, 334); // ceil(1000 / 3)
    assert.equal(train[0].value, r4((1 + 1 / 2 + 1 / 3) / 3)); // the mean of the first window
    assert.deepEqual(
      rows.filter((r) => r.series === 'valid').map((r) => r.value),
      [0.2, 0.067],
    );
    assert.equal(f.frame.shape[0], 1002); // the frame keeps every point
    assert.equal(fittedSamples(record(0.1)), 20_000);
  });

  it('lossesFigure: one panel per name in the order given, each with its own run', () => {
    const f = lossesFigure(
      { 'without position': record(0.06, 1), 'with position': record(0.03, 10) },
      { title: 'position', columns: 2 },
    );
    const spec = f.spec as Any;
    assert.deepEqual(spec.facet.sort, ['without position', 'with position']);
    assert.equal(spec.columns, 2);
    const valid = (model: string) =>
      spec.data.values
        .filter((r: Any) => r.model === model && r.series === 'valid')
        .map((r: Any) => r.value);
    assert.deepEqual(valid('without position'), [0.2, 0.06]);
    assert.deepEqual(valid('with position'), [2, 0.03]);
  });

  it('overfitFigure: the loss at each reported step', () => {
    const f = overfitFigure([
      { step: 0, loss: 0.97 },
      { step: 1000, loss: 0.016 },
    ] as never);
    assert.deepEqual(toRows(f.frame), [
      { step: 0, value: 0.97 },
      { step: 1000, value: 0.016 },
    ]);
    assert.deepEqual((f.spec as Any).data.values, toRows(f.frame));
  });

  it("validCurvesFigure: validation points only, each run's last epochs, runs in the given order", () => {
    const a = record(0.001);
    a.history = [0.1, 0.01, 0.001234567].flatMap((loss, epoch) => [
      { step: epoch * 10 + 5, epoch, split: 'train' as const, loss: 9 },
      { step: epoch * 10 + 10, epoch, split: 'valid' as const, loss },
    ]);
    const b = record(0.002);
    b.history = [{ step: 10, epoch: 2, split: 'valid', loss: 0.002 }];
    const f = validCurvesFigure({ residual: a, plain: b }, { title: 't', lastEpochs: 2 });
    assert.deepEqual(toRows(f.frame), [
      { variant: 'residual', epoch: 2, valid: 0.01 },
      { variant: 'residual', epoch: 3, valid: 0.001234567 },
      { variant: 'plain', epoch: 3, valid: 0.002 },
    ]);
    assert.equal((f.spec as Any).data.values[1].valid, 0.001235);
    assert.deepEqual((f.spec as Any).encoding.color.sort, ['residual', 'plain']);
    assert.throws(() => validCurvesFigure({ b: fakeRun(0.1) }, { title: 't' }), /none of the runs/);
    assert.ok(compile(f.spec).spec);
  });

  it('recipeSearchFigure: one line per candidate, each with its own epochs and losses, on a log axis', () => {
    const f = recipeSearchFigure({
      'onecycle:3e-3:32:6:0.25': {
        epochs: [
          { epoch: 1, valid: 0.03 },
          { epoch: 2, valid: 0.0007 },
        ],
      },
      'onecycle:1e-3:128:3:0.3@2': {
        epochs: [1, 2, 3].map((epoch) => ({ epoch, valid: 0.1 / epoch })),
      },
    });
    const rows = toRows(f.frame);
    assert.deepEqual(rows.slice(0, 2), [
      { recipe: '3e-3/32/6', epoch: 1, valid: 0.03 },
      { recipe: '3e-3/32/6', epoch: 2, valid: 0.0007 },
    ]);
    assert.deepEqual(
      rows.filter((r) => r.recipe === '1e-3/128/3 wu 0.3 s2').map((r) => r.valid),
      [0.1, 0.05, 0.1 / 3],
    );
    const spec = f.spec as Any;
    assert.equal(spec.encoding.color.field, 'recipe');
    assert.equal(spec.encoding.y.scale.type, 'log');
    assert.equal(spec.data.values.length, 5);
    compile(f.spec as never);
    assert.throws(() => recipeSearchFigure({}), /no candidate/);
  });

  it('draws the noise floor as a dashed rule when given one, and names it in the subtitle', () => {
    const floor = 0.000209;
    const rule = (layers: Any[]): Any => layers.find((l) => l.mark?.type === 'rule')!;
    const one = lossFigure(record(0.001), { title: 'a', floor }).spec as Any;
    assert.equal(rule(one.layer).encoding.y.datum, floor);
    assert.match(JSON.stringify(one.title.subtitle), /the noise floor, 0.00021/);
    assert.equal(rule((lossFigure(record(0.001), { title: 'a' }).spec as Any).layer), undefined);
    const many = lossesFigure({ a: record(0.001), b: record(0.002) }, { title: 'm', floor })
      .spec as Any;
    assert.equal(rule(many.spec.layer).encoding.y.datum, floor);
    const curves = validCurvesFigure({ a: record(0.001) }, { title: 'v', floor }).spec as Any;
    assert.equal(rule(curves.layer).encoding.y.datum, floor);
    const search = recipeSearchFigure({ x: { epochs: [{ epoch: 1, valid: 0.01 }] } }, { floor })
      .spec as Any;
    assert.equal(rule(search.layer).encoding.y.datum, floor);
    for (const spec of [one, many, curves, search]) assert.ok(compile(spec as never).spec);
  });
});
