// One palette for every figure (src/viz/palette.ts).
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seriesStyle } from '../../src/viz/palette';

describe('palette', () => {
  it('target near-black and thick, input grey dashed, models in fixed colours, others spare', () => {
    const s = seriesStyle(['input', 'target', 'cnn', 'attention prediction', 'other', 'more']);
    assert.deepEqual(s.color, ['#a3a3a3', '#1b1b1b', '#4c78a8', '#f58518', '#e45756', '#72b7b2']);
    assert.deepEqual(s.dash[0], [4, 3]);
    assert.deepEqual(s.dash[2], [1, 0]);
    assert.deepEqual(s.width, [1.3, 2.6, 1.7, 1.7, 1.7, 1.7]);
  });
});
