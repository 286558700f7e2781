// The one figure helper (src/viz/figure.ts): the spec is drawn from the frame's own rows.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { figure } from '../../src/viz/figure';
import { recordsFrame } from '../../src/viz/frames';

describe('figure', () => {
  it('hands the frame rows, in order, to the spec it returns with the frame', () => {
    const frame = recordsFrame(
      [
        { model: 'b', value: 2 },
        { model: 'a', value: 1 },
      ],
      ['model', 'value'],
    );
    const f = figure(frame, (rows) => ({ data: { values: rows }, mark: 'point' }));
    assert.equal(f.frame, frame);
    assert.deepEqual(f.spec, {
      data: {
        values: [
          { model: 'b', value: 2 },
          { model: 'a', value: 1 },
        ],
      },
      mark: 'point',
    });
  });
});
