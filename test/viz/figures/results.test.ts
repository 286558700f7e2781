// The results table and the scoreboard (src/viz/figures/results.ts): every run its own numbers,
// and each statistic the one its header names (seconds per epoch: the median).
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { DEFAULT_DATA } from '../../../src/data/task';
import { DEFAULT_FIT } from '../../../src/train/learner';
import { RunRecord } from '../../../src/train/runs';
import { toRows } from '../../../src/viz/frames';
import {
  SECONDS_COLUMN,
  lastValid,
  medianEpochSeconds,
  resultsTable,
  scoreboardFigure,
  scoresOf,
} from '../../../src/viz/figures/results';
import { fakeRun } from '../fake-run';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function record(valid: number, epochSeconds: number[], fields: Partial<RunRecord> = {}): RunRecord {
  return fakeRun(valid, {
    data: { ...DEFAULT_DATA, nTrain: 10_000 },
    fit: { ...DEFAULT_FIT, epochs: epochSeconds.length },
    epochSeconds,
    ...fields,
  });
}

describe('results table', () => {
  it('resultsTable: median s/epoch is the median of the epochs’ seconds, as its header says', () => {
    // Medians 13 and 6.5; means 34.8 and 29: a paused epoch does not count.
    const t = resultsTable(
      {
        plain: record(0.007, [12, 13, 122, 12, 15]),
        heads2: record(0.002, [4, 9, 100, 3]),
        empty: record(0.003, []),
      },
      { floor: 0.0002, seconds: true },
    );
    assert.equal(SECONDS_COLUMN, 'median s/epoch');
    assert.deepEqual(t.columns, [
      'model',
      'params',
      'samples',
      'epochs',
      'train',
      'valid',
      'valid, last 5',
      'test',
      'median s/epoch',
      'backend',
    ]);
    const rows = toRows(t);
    assert.deepEqual(
      rows.map((r) => [r.model, r.samples, r.epochs, r['median s/epoch']]),
      [
        ['plain', 10_000, 5, 13],
        ['heads2', 10_000, 4, 6.5],
        ['empty', 10_000, 0, 0],
        ['noise floor', '', '', ''],
      ],
    );
    assert.deepEqual(
      rows.map((r) => Number(r.test).toFixed(4)),
      ['0.0077', '0.0022', '0.0033', '0.0002'],
    );
  });

  it('resultsTable: the noise floor is the last row, and seconds only when asked for', () => {
    const t = resultsTable({ a: record(0.007, [12]) }, { floor: 0.00021 });
    assert.deepEqual(t.columns, [
      'model',
      'params',
      'samples',
      'epochs',
      'train',
      'valid',
      'valid, last 5',
      'test',
    ]);
    const floorRow = toRows(t)[1];
    assert.equal(floorRow.model, 'noise floor');
    assert.deepEqual(
      [floorRow.train, floorRow.valid, floorRow['valid, last 5'], floorRow.test],
      [0.00021, 0.00021, 0.00021, 0.00021],
    );
  });

  it('lastValid: the median validation loss of the last 5 epochs; the final loss without a history', () => {
    const r = record(0.0012, [1]);
    const valid = [0.01, 0.002, 0.0006, 0.0009, 0.0007, 0.0011, 0.0012];
    r.history = valid.map((loss, epoch) => ({ step: epoch * 10, epoch, split: 'valid', loss }));
    r.history.push({ step: 1, epoch: 0, split: 'train', loss: 5 }); // training points are ignored
    assert.equal(lastValid(r), 0.0009);
    assert.equal(lastValid(r, 1), 0.0012);
    assert.equal(lastValid(record(0.004, [1])), 0.004);
    assert.equal(toRows(resultsTable({ r }, { floor: 0 }))[0]['valid, last 5'], 0.0009);
    assert.equal(medianEpochSeconds({ epochSeconds: [3, 1, 2, 100] }), 2.5);
  });
});

describe('scoreboard', () => {
  it('scoreboardFigure: its frame is one row per run, and the spec draws those rows', () => {
    const scores = scoresOf({
      cnn: record(0.067, [15, 16, 60], { params: 62_337 }),
      attention: record(0.00089, [14, 13, 90, 12], { params: 58_177, backend: 'wasm' }),
    });
    const f = scoreboardFigure(scores);
    assert.deepEqual(f.frame.columns, ['model', 'params', 'train', 'valid', 'test']);
    const spec = f.spec as Any;
    assert.equal(spec.hconcat.length, 2, 'losses and parameters; no speed panel');
    const [dots, params] = spec.hconcat;
    assert.deepEqual(dots.layer[0].encoding.y.sort, ['cnn', 'attention']);
    assert.deepEqual(
      dots.layer[0].data.values.map((r: Any) => [r.model, r.split, r.value]),
      [
        ['cnn', 'train', 0.0603],
        ['cnn', 'valid', 0.067],
        ['cnn', 'test', 0.0737],
        ['attention', 'train', 0.000801],
        ['attention', 'valid', 0.00089],
        ['attention', 'test', 0.000979],
      ],
    );
    assert.deepEqual(params.data.values, [
      { model: 'cnn', params: 62337, valid: 0.067 },
      { model: 'attention', params: 58177, valid: 0.00089 },
    ]);
    assert.match(spec.title.subtitle[1], /speeds: `npm run bench`/);
    assert.ok(compile(f.spec).spec);
  });

  it('scoreboardFigure with groups: valid and test per run, one symbol per question', () => {
    const scores = [
      ...scoresOf({ '1 head': record(0.007, [1]), '2 heads': record(0.002, [1]) }, 'heads'),
      ...scoresOf({ 'window 5': record(0.05, [1]) }, 'windows'),
    ];
    assert.equal(scores[1].group, 'heads');
    const f = scoreboardFigure(scores, { title: 't', subtitle: 's' });
    const spec = f.spec as Any;
    assert.deepEqual(spec.encoding.y.sort, ['1 head', '2 heads', 'window 5']);
    assert.deepEqual(spec.data.values[3], {
      model: '2 heads',
      group: 'heads',
      split: 'test',
      value: 0.0022,
    });
    assert.equal(spec.data.values.length, 6);
    assert.equal(spec.encoding.shape.field, 'group');
    assert.ok(compile(f.spec).spec);
  });
});
