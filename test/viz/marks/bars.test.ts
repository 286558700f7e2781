// Bar charts (src/viz/marks/bars.ts): the blog LSTM's batch axis; the spec compiles.
import '../../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { batchLeakChart } from '../../../src/viz/marks/bars';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('bar charts', () => {
  it('batchLeakChart: one panel per model in the given order, symlog with ticks below 1', () => {
    const rows = ['lstm-blog', 'cnn'].flatMap((model) =>
      [0, 1, 2].map((position) => ({
        model,
        position,
        change: model === 'cnn' && position ? 0 : 1 / (position + 1),
      })),
    );
    const s = batchLeakChart(rows, { title: 'leak', order: ['cnn', 'lstm-blog'] }) as Any;
    assert.equal(s.facet.row.field, 'model');
    assert.deepEqual(s.facet.row.sort, ['cnn', 'lstm-blog']);
    assert.deepEqual((batchLeakChart(rows, { title: 'first seen' }) as Any).facet.row.sort, [
      'lstm-blog',
      'cnn',
    ]);
    assert.equal(s.spec.encoding.y.scale.type, 'symlog');
    assert.deepEqual(s.spec.encoding.y.axis.values, [0, 0.001, 0.01, 0.1, 1]);
    assert.deepEqual(s.data.values[1], { model: 'lstm-blog', position: 1, change: 0.5 });
    const big = batchLeakChart([{ model: 'cnn', position: 0, change: 4.2 }], {
      title: 'big',
    }) as Any;
    assert.deepEqual(big.spec.encoding.y.axis.values, [0, 0.001, 0.01, 0.1, 1, 5]);
    assert.ok(compile(s as never).spec);
  });
});
