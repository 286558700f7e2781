// A seeded comparison's figures and table (src/viz/figures/seeds.ts): each seed's final loss is
// the median of its last 5 epochs, the median tick and the table agree with it, and the noise
// floor is drawn and tabulated.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { CompareRow } from '../../../src/train/compare';
import { toRows } from '../../../src/viz/frames';
import { seedCurvesFigure, seedSpreadFigure, seedTable } from '../../../src/viz/figures/seeds';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A run of `epochs` epochs whose validation loss is `valid(epoch)`. */
const run = (variant: string, seed: number, valid: (e: number) => number, epochs = 7) =>
  Array.from({ length: epochs }, (_, i): CompareRow => ({
    variant,
    seed,
    epoch: i + 1,
    train: 1,
    valid: valid(i + 1),
    final: i >= epochs - 5,
  }));

// plain seed 0 ends 0.007, 0.006, 0.005, 0.004, 0.003: median of the last five 0.005, last epoch 0.003
const rows = [
  ...run('plain', 0, (e) => 0.01 - e / 1000),
  ...run('plain', 1, () => 0.0074),
  ...run('scaled', 0, () => 0.0051),
];

describe('seed figures', () => {
  it('seedSpreadFigure: one dot per seed at the median of its last 5 epochs, variants in first-seen order', () => {
    const f = seedSpreadFigure(rows, { title: 't', subtitle: 's' });
    const got = toRows(f.frame);
    assert.equal(got.length, 3);
    assert.deepEqual(got[0], { variant: 'plain', seed: 0, valid: 0.005 });
    const spec = f.spec as Any;
    assert.deepEqual(spec.encoding.y.sort, ['plain', 'scaled']);
    assert.ok(compile(f.spec).spec);
  });

  it('seedSpreadFigure with a floor: the rule at it, and the subtitle names it', () => {
    const f = seedSpreadFigure(rows, { title: 't', subtitle: 's', floor: 0.000209 });
    const spec = f.spec as Any;
    assert.deepEqual(spec.layer[2].data.values, [{ floor: 0.000209 }]);
    assert.match(JSON.stringify(spec.title), /dashed line: the noise floor, 0.00021/);
    assert.throws(() => seedSpreadFigure([], { title: 't' }), /no runs/);
  });

  it('seedCurvesFigure: one line per (variant, seed), the floor as a rule', () => {
    const f = seedCurvesFigure(rows, { title: 't', floor: 0.0002 });
    assert.equal(toRows(f.frame).length, rows.length);
    const spec = f.spec as Any;
    const curves = spec.layer[0];
    assert.equal(curves.encoding.color.field, 'variant');
    assert.equal(curves.encoding.detail.field, 'seed');
    assert.equal(spec.layer[1].encoding.y.datum, 0.0002);
    assert.ok(compile(f.spec).spec);
  });

  it('seedTable: each seed, median and range per variant, the median over the floor, and a floor row', () => {
    const t = toRows(seedTable(rows, { floor: 0.0005 }));
    assert.deepEqual(
      t.map((r) => r.variant),
      ['plain', 'scaled', 'noise floor'],
    );
    assert.equal(t[0]['each seed'], '0.00500, 0.00740');
    assert.equal(t[0].median, (0.005 + 0.0074) / 2);
    assert.equal(t[0].min, 0.005);
    assert.equal(t[0].max, 0.0074);
    assert.equal(t[0]['median ÷ floor'], 12.4);
    assert.equal(t[2].median, 0.0005);
  });
});
