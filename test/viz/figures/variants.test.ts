// Notebook 8's remaining figures (src/viz/figures/variants.ts): partner distances.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { toRows } from '../../../src/viz/frames';
import { distanceFigure } from '../../../src/viz/figures/variants';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('variant figures', () => {
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
