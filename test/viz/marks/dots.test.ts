// Dot plots (src/viz/marks/dots.ts): the scoreboard with and without its size panels, the seed
// spread and loss against size; every spec compiles.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { lossVsParams, scoreboardChart, seedDots } from '../../../src/viz/marks/dots';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const models = [
  { model: 'cnn', params: 62337, valid: 0.067 },
  { model: 'attention', params: 58177, valid: 0.00089 },
];
const losses = ['cnn', 'attention'].flatMap((model, m) =>
  ['train', 'valid', 'test'].map((split, k) => ({
    model,
    split,
    value: 0.067123 / (1 + 70 * m) + k / 1000,
  })),
);

describe('dot plots', () => {
  it('scoreboardChart with models: losses on a log axis and parameters as labelled dots, no speed panel', () => {
    const s = scoreboardChart(
      { losses, models },
      { title: 'scores', order: ['attention', 'cnn'] },
    ) as Any;
    assert.equal(s.hconcat.length, 2, 'losses and parameters only: speeds come from bench');
    const [dots, params] = s.hconcat;
    const points = dots.layer[0];
    assert.equal(points.mark.type, 'point');
    assert.equal(points.encoding.x.scale.type, 'log');
    assert.deepEqual(points.encoding.y.sort, ['attention', 'cnn']);
    assert.deepEqual(points.encoding.color.scale.domain, ['train', 'valid', 'test']);
    assert.equal(points.encoding.shape.field, 'split');
    assert.deepEqual(points.data.values[1], { model: 'cnn', split: 'valid', value: 0.06812 });
    assert.equal(dots.layer[1].encoding.text.field, 'valid');
    assert.equal(params.layer[1].encoding.text.field, 'params');
    assert.equal(params.encoding.y.axis, null);
  });

  it('scoreboardChart grouped: the splits present, one symbol per group, no size panels', () => {
    const grouped = losses
      .filter((r) => r.split !== 'train')
      .map((r) => ({ ...r, group: r.model === 'cnn' ? 'baseline' : 'attention' }));
    const s = scoreboardChart({ losses: grouped }, { title: 'variants' }) as Any;
    assert.equal(s.hconcat, undefined);
    assert.deepEqual(s.encoding.y.sort, ['cnn', 'attention']);
    assert.deepEqual(s.encoding.color.scale, {
      domain: ['valid', 'test'],
      range: ['#f58518', '#54a24b'],
    });
    assert.equal(s.encoding.shape.field, 'group');
    assert.deepEqual(s.height, { step: 16 });
  });

  it('seedDots: a dot per seed on a log axis and a tick at each variant median', () => {
    const s = seedDots(
      [
        { variant: 'plain', seed: 0, valid: 0.00694871 },
        { variant: 'scaled', seed: 0, valid: 0.0051 },
        { variant: 'plain', seed: 1, valid: 0.0074 },
      ],
      { title: 't' },
    ) as Any;
    assert.deepEqual(s.encoding.y.sort, ['plain', 'scaled']);
    assert.equal(s.data.values[0].valid, 0.006949);
    assert.equal(s.layer[1].encoding.x.aggregate, 'median');
    assert.equal(s.layer.length, 2, 'no floor rule unless asked');
  });

  it('seedDots with a floor: one dashed rule at the floor, on the same log axis', () => {
    const s = seedDots([{ variant: 'x', seed: 0, valid: 0.01 }], {
      title: 't',
      floor: 0.00021,
    }) as Any;
    assert.equal(s.layer.length, 3);
    assert.deepEqual(s.layer[2].data.values, [{ floor: 0.00021 }]);
    assert.equal(s.layer[2].mark.type, 'rule');
    assert.equal(s.layer[2].encoding.x.field, 'floor');
    assert.ok(compile(s as never).spec);
  });

  it('lossVsParams: log-log, one colour and symbol per model kind', () => {
    const p = lossVsParams([{ model: 'cnn', params: 62337, value: 0.06, label: 'k5' }], {
      title: 'p',
    }) as Any;
    assert.equal(p.encoding.x.scale.type, 'log');
    assert.equal(p.encoding.y.scale.type, 'log');
    assert.equal(p.encoding.color.field, 'model');
  });

  it('every dot spec compiles', () => {
    const specs = [
      scoreboardChart({ losses, models }, { title: 'a' }),
      scoreboardChart({ losses: losses.map((r) => ({ ...r, group: 'g' })) }, { title: 'b' }),
      seedDots([{ variant: 'x', seed: 0, valid: 0.1 }], { title: 'c' }),
      lossVsParams([{ model: 'cnn', params: 10, value: 0.1, label: 'x' }], { title: 'd' }),
    ];
    for (const s of specs) assert.ok(compile(s).spec, JSON.stringify(s.title));
  });
});
