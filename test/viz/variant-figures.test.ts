// Notebook 08's figures and tables (src/viz/variant-figures.ts, variant-maps.ts): pure functions
// of records and arrays, checked on small inputs with rounded numbers; none of them runs a model.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset } from '../../src/data/task';
import { median } from '../../src/runtime/stats';
import { DEFAULT_FIT } from '../../src/train/learner';
import { RunRecord } from '../../src/train/runs';
import { fakeRun } from './fake-run';
import { toRows } from '../../src/viz/frames';
import {
  lastValid,
  scoresOf,
  seedSpreadFigure,
  validCurvesFigure,
  variantTable,
  variantsFigure,
} from '../../src/viz/variant-figures';
import { distanceFigure, headsFigure, poolingFigure } from '../../src/viz/variant-maps';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function record(valid: number, epochSeconds: number[]): RunRecord {
  return fakeRun(valid, {
    data: { ...DEFAULT_DATA, nTrain: 10_000 },
    fit: { ...DEFAULT_FIT, epochs: epochSeconds.length },
    profile: 'full-grid',
    epochSeconds,
  });
}

describe('median', () => {
  it('is the middle value, the mean of the middle two for an even count, NaN when empty', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
});

describe('variant tables and dot plots', () => {
  it('variantTable: one row per run; s/epoch is the median, so one paused epoch does not count', () => {
    const t = variantTable({
      plain: record(0.007, [12, 13, 122, 12, 14]),
      heads2: record(0.002, []),
    });
    assert.deepEqual(t.columns, [
      'variant',
      'params',
      'samples',
      'epochs',
      'train',
      'valid',
      'valid, last 5',
      'test',
      's/epoch',
    ]);
    const rows = toRows(t);
    assert.deepEqual(
      rows.map((r) => [r.variant, r.samples, r.epochs, r['s/epoch']]),
      [
        ['plain', 10_000, 5, 13],
        ['heads2', 10_000, 0, 0],
      ],
    );
    assert.equal(Number(rows[0].test).toFixed(4), '0.0077');
  });

  it('lastValid: the median validation loss of the last 5 epochs; the final loss without a history', () => {
    const r = record(0.0012, [1]);
    const valid = [0.01, 0.002, 0.0006, 0.0009, 0.0007, 0.0011, 0.0012];
    r.history = valid.map((loss, epoch) => ({ step: epoch * 10, epoch, split: 'valid', loss }));
    r.history.push({ step: 1, epoch: 0, split: 'train', loss: 5 }); // training points are ignored
    assert.equal(lastValid(r), 0.0009);
    assert.equal(lastValid(r, 1), 0.0012);
    assert.equal(lastValid(record(0.004, [1])), 0.004);
    assert.equal(toRows(variantTable({ r }))[0]['valid, last 5'], 0.0009);
  });

  it("validCurvesFigure: validation points only, each run's last epochs, runs in the given order", () => {
    const a = record(0.001, [1]);
    a.history = [0.1, 0.01, 0.001234567].flatMap((loss, epoch) => [
      { step: epoch * 10 + 5, epoch, split: 'train' as const, loss: 9 },
      { step: epoch * 10 + 10, epoch, split: 'valid' as const, loss },
    ]);
    const b = record(0.002, [1]);
    b.history = [{ step: 10, epoch: 2, split: 'valid', loss: 0.002 }];
    const f = validCurvesFigure({ residual: a, plain: b }, { title: 't', lastEpochs: 2 });
    assert.deepEqual(toRows(f.frame), [
      { variant: 'residual', epoch: 2, valid: 0.01 },
      { variant: 'residual', epoch: 3, valid: 0.001235 },
      { variant: 'plain', epoch: 3, valid: 0.002 },
    ]);
    assert.deepEqual((f.spec as Any).encoding.color.sort, ['residual', 'plain']);
    assert.throws(
      () => validCurvesFigure({ b: record(0.1, [1]) }, { title: 't' }),
      /none of the runs/,
    );
    compile(f.spec);
  });

  it('scoresOf and variantsFigure: valid and test per variant, in the given order, on a log axis', () => {
    const scores = scoresOf('seed 004: heads', {
      '1 head': record(0.007, [1]),
      '2 heads': record(0.002, [1]),
    });
    assert.deepEqual(scores[1], {
      name: '2 heads',
      group: 'seed 004: heads',
      valid: 0.002,
      test: 0.0022,
    });
    const f = variantsFigure(scores, { title: 't' });
    const spec = f.spec as Any;
    assert.deepEqual(spec.encoding.y.sort, ['1 head', '2 heads']);
    assert.equal(spec.encoding.x.scale.type, 'log');
    assert.deepEqual(spec.data.values[3], {
      name: '2 heads',
      group: 'seed 004: heads',
      split: 'test',
      value: 0.0022,
    });
    compile(f.spec);
  });

  it('seedSpreadFigure: one dot per seed and a tick at the mean of each variant', () => {
    const f = seedSpreadFigure(
      [
        { variant: 'plain', seed: 0, valid: 0.00694871 },
        { variant: 'plain', seed: 1, valid: 0.0074 },
        { variant: 'scaled', seed: 0, valid: 0.0051 },
      ],
      { title: 't', subtitle: 's' },
    );
    const spec = f.spec as Any;
    assert.deepEqual(spec.encoding.y.sort, ['plain', 'scaled']);
    assert.equal(spec.data.values[0].valid, 0.006949);
    assert.equal(spec.layer[1].encoding.x.aggregate, 'mean');
    compile(f.spec);
  });
});

describe('variant maps', () => {
  it('headsFigure: each head averaged over 2 × 2 blocks, still the attention mass of an output row', () => {
    const one = new Float32Array(SEQ_LENGTH * SEQ_LENGTH);
    // Output rows 0 and 1 both put all their weight on input 7: block (0, 3) holds 2 / 2 = 1.
    one[0 * SEQ_LENGTH + 7] = 1;
    one[1 * SEQ_LENGTH + 7] = 1;
    const f = headsFigure([one, new Float32Array(SEQ_LENGTH * SEQ_LENGTH)], { title: 't' });
    const rows = f.spec.data && 'values' in f.spec.data ? (f.spec.data.values as Any[]) : [];
    assert.equal(rows.length, 2 * 50 * 50);
    const hit = rows.filter((r) => r.attention > 0);
    assert.deepEqual(hit, [{ head: 'head 1', output: 0, input: 6, attention: 1 }]);
    assert.equal((f.spec as Any).spec.mark.binSpacing, 0); // no seams between the cells
    assert.equal((f.spec as Any).spec.mark.stroke.expr, "scale('fill', datum.attention)");
    compile(f.spec);
  });

  it('distanceFigure: one row per pair distance and one rule per window', () => {
    const f = distanceFigure(
      [
        { sample: 0, pair: 'triangles', distance: 12.34567 },
        { sample: 0, pair: 'boxes', distance: 40 },
      ],
      { windows: [5, 25], title: 't' },
    );
    const rows = toRows(f.frame);
    assert.deepEqual(rows, [
      { kind: 'distance', pair: 'triangles', distance: 12.3 },
      { kind: 'distance', pair: 'boxes', distance: 40 },
      { kind: 'window', pair: '', distance: 5 },
      { kind: 'window', pair: '', distance: 25 },
    ]);
    compile(f.spec);
  });

  it('poolingFigure: the normalised input and β under it, for each sample', () => {
    const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 3 });
    const betas = new Float32Array(2 * SEQ_LENGTH).fill(1 / SEQ_LENGTH);
    const f = poolingFigure(ds, betas, [2, 0], { title: 't' });
    const rows = toRows(f.frame);
    assert.equal(rows.length, 2 * SEQ_LENGTH * 2);
    assert.deepEqual(
      new Set(rows.filter((r) => r.series === 'β').map((r) => r.value)),
      new Set([0.01]),
    );
    const x0 = ds.test.x[2 * SEQ_LENGTH];
    assert.equal(rows[0].value, Number(((x0 - ds.mean) / ds.std).toPrecision(3)));
    assert.equal(rows[0].sample, 2);
    compile(f.spec);
  });
});
