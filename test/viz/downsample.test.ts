// Thinning long series for display (src/viz/downsample.ts): exact rows on small inputs.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketMean, everyKth } from '../../src/viz/downsample';

const steps = (series: string, n: number, value = (s: number) => s) =>
  Array.from({ length: n }, (_, i) => ({ series, step: i + 1, value: value(i + 1) }));

describe('downsample', () => {
  it('bucketMean averages x and y over k consecutive rows, per series', () => {
    const rows = [...steps('train', 5), ...steps('valid', 2, (s) => 10 * s)];
    // train: n = 5, maxPoints 2 → k = 3 → buckets [1,2,3] and [4,5]; valid (2 rows) kept as is.
    assert.deepEqual(bucketMean(rows, { by: ['series'], x: 'step', y: 'value', maxPoints: 2 }), [
      { series: 'train', step: 2, value: 2 },
      { series: 'train', step: 4.5, value: 4.5 },
      { series: 'valid', step: 1, value: 10 },
      { series: 'valid', step: 2, value: 20 },
    ]);
  });

  it('bucketMean takes the other columns from the last row of a bucket', () => {
    const rows = steps('train', 4).map((r) => ({ ...r, epoch: r.step <= 2 ? 0 : 1 }));
    const out = bucketMean(rows, { by: ['series'], x: 'step', y: 'value', maxPoints: 1 });
    assert.deepEqual(out, [{ series: 'train', step: 2.5, value: 2.5, epoch: 1 }]);
  });

  it('everyKth keeps rows 0, k, 2k, … and the last, values untouched', () => {
    const rows = steps('train', 7);
    // n = 7, maxPoints 3 → k = 3 → indices 0, 3, 6 (6 is also the last).
    assert.deepEqual(
      everyKth(rows, { maxPoints: 3 }).map((r) => r.step),
      [1, 4, 7],
    );
    // n = 8 → k = 3 → indices 0, 3, 6 and the last, 7.
    assert.deepEqual(
      everyKth(steps('train', 8), { maxPoints: 3 }).map((r) => r.step),
      [1, 4, 7, 8],
    );
  });

  it('groups series by every `by` column, in order of first appearance', () => {
    const rows = [
      { model: 'b', series: 'train', step: 1, value: 1 },
      { model: 'a', series: 'train', step: 1, value: 2 },
      { model: 'b', series: 'train', step: 2, value: 3 },
    ];
    assert.deepEqual(everyKth(rows, { by: ['model', 'series'], maxPoints: 1 }), [
      rows[0],
      rows[2],
      rows[1],
    ]);
  });

  it('keeps a 7,900-step loss history under maxPoints per series', () => {
    const rows = [...steps('train', 7900, (s) => 1 / s), ...steps('valid', 50)];
    const mean = bucketMean(rows, { by: ['series'], x: 'step', y: 'value', maxPoints: 500 });
    const kth = everyKth(rows, { by: ['series'], maxPoints: 500 });
    const count = (rs: { series: string }[], s: string) => rs.filter((r) => r.series === s).length;
    assert.equal(count(mean, 'train'), 494); // k = 16, ceil(7900 / 16)
    assert.equal(count(kth, 'train'), 495); // 494 + the last step
    assert.equal(count(mean, 'valid'), 50);
    assert.equal(kth.filter((r) => r.series === 'train').at(-1)!.step, 7900);
  });

  it('leaves short series and empty input alone, and refuses a bad maxPoints', () => {
    const rows = steps('train', 3);
    assert.deepEqual(everyKth(rows), rows);
    assert.deepEqual(bucketMean([], { x: 'step', y: 'value' }), []);
    assert.throws(() => everyKth(rows, { maxPoints: 0 }), /maxPoints/);
    assert.throws(
      () =>
        bucketMean(
          [
            { step: 1, value: 'x' },
            { step: 2, value: 'y' },
          ],
          { x: 'step', y: 'value', maxPoints: 1 },
        ),
      /not a number/,
    );
  });
});
