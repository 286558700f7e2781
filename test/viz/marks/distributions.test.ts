// Distributions (src/viz/marks/distributions.ts): box plots of the pair-mean measures and the
// partner-distance histogram; every spec compiles.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { distanceHistogram, pairMassChart } from '../../../src/viz/marks/distributions';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('distributions', () => {
  it('pairMassChart: quartiles per kind for each measure, a dashed rule at the ideal', () => {
    const rows = ['a', 'b'].flatMap((measure, m) =>
      ['triangle', 'box'].map((kind, k) => ({
        kind,
        measure,
        min: 0.1,
        q1: 0.3,
        median: 0.41234 + m / 10 + k / 100,
        q3: 0.5,
        max: 0.9,
      })),
    );
    const s = pairMassChart(rows, {
      title: 'm',
      measures: [
        { name: 'a', ideal: 1 },
        { name: 'b', ideal: 0.5 },
      ],
    }) as Any;
    assert.equal(s.hconcat.length, 2);
    assert.deepEqual(s.hconcat[1].layer[4].data.values, [{ ideal: 0.5 }]);
    assert.deepEqual(
      s.hconcat[1].data.values.map((r: Any) => [r.kind, r.median, r.label]),
      [
        ['triangle', 0.512, 'median 0.51'],
        ['box', 0.522, 'median 0.52'],
      ],
    );
    assert.ok(compile(s as never).spec);
  });

  it('distanceHistogram: distances binned by pair, each window a labelled dashed rule', () => {
    const s = distanceHistogram(
      [
        { kind: 'distance', pair: 'triangles', distance: 12.34567 },
        { kind: 'window', pair: '', distance: 5 },
      ],
      { title: 'd' },
    ) as Any;
    assert.equal(s.data.values[0].distance, 12.3);
    assert.deepEqual(s.layer[0].encoding.x.bin, { step: 4 });
    assert.equal(s.layer[1].transform[0].filter, "datum.kind === 'window'");
    assert.equal(s.layer[2].transform[1].calculate, "'±' + datum.distance");
    assert.ok(compile(s as never).spec);
  });
});
