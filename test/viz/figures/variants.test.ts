// Notebook 8's remaining figures (src/viz/figures/variants.ts): seeds and partner distances.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { toRows } from '../../../src/viz/frames';
import { distanceFigure, seedSpreadFigure } from '../../../src/viz/figures/variants';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('variant figures', () => {
  it('seedSpreadFigure: each seed its own dot, variants in first-seen order', () => {
    const runs = [
      { variant: 'plain', seed: 0, valid: 0.00694871 },
      { variant: 'plain', seed: 1, valid: 0.0074 },
      { variant: 'scaled', seed: 0, valid: 0.0051 },
    ];
    const f = seedSpreadFigure(runs, { title: 't', subtitle: 's' });
    assert.deepEqual(toRows(f.frame), runs);
    const spec = f.spec as Any;
    assert.deepEqual(spec.encoding.y.sort, ['plain', 'scaled']);
    assert.deepEqual(
      spec.data.values.map((r: Any) => r.valid),
      [0.006949, 0.0074, 0.0051],
    );
    assert.ok(compile(f.spec).spec);
  });

  it('seedSpreadFigure with a floor: the rule at it, and the subtitle names it', () => {
    const f = seedSpreadFigure([{ variant: 'a', seed: 0, valid: 0.004 }], {
      title: 't',
      subtitle: 's',
      floor: 0.000209,
    });
    const spec = f.spec as Any;
    assert.deepEqual(spec.layer[2].data.values, [{ floor: 0.000209 }]);
    assert.match(JSON.stringify(spec.title), /s; dashed line: the noise floor, 0.00021/);
    assert.ok(compile(f.spec).spec);
  });

  it('distanceFigure: one row per pair distance and one rule per window', () => {
    const f = distanceFigure(
      [
        { sample: 0, pair: 'triangles', distance: 12.34567 },
        { sample: 0, pair: 'boxes', distance: 40 },
      ],
      { windows: [5, 25], title: 't' },
    );
    assert.deepEqual(toRows(f.frame), [
      { kind: 'distance', pair: 'triangles', distance: 12.34567 },
      { kind: 'distance', pair: 'boxes', distance: 40 },
      { kind: 'window', pair: '', distance: 5 },
      { kind: 'window', pair: '', distance: 25 },
    ]);
    assert.equal((f.spec as Any).data.values[0].distance, 12.3);
    assert.ok(compile(f.spec).spec);
  });
});
