// The shared statistics (src/runtime/stats.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median } from '../../src/runtime/stats';

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([3]), 3);
  });

  it('is the mean of the two middle values of an even count', () => {
    assert.equal(median([10, 1, 4, 2]), 3);
  });

  it('leaves its input unsorted, and is NaN for no values', () => {
    const xs = [3, 1, 2];
    median(xs);
    assert.deepEqual(xs, [3, 1, 2]);
    assert.ok(Number.isNaN(median([])));
  });
});
