// Long-format frames (src/frames.ts): exact rows on small inputs.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  concatFrames,
  historyFrame,
  matrixFrame,
  recordsFrame,
  sequenceFrame,
  toRows,
  withColumn,
} from '../../src/viz/frames';

describe('long-format frames', () => {
  it('melts named sequences into (t, series, value)', () => {
    const df = sequenceFrame({ input: [1, 2], target: [3, 4] });
    assert.deepEqual(df.columns, ['t', 'series', 'value']);
    assert.deepEqual(toRows(df), [
      { t: 0, series: 'input', value: 1 },
      { t: 1, series: 'input', value: 2 },
      { t: 0, series: 'target', value: 3 },
      { t: 1, series: 'target', value: 4 },
    ]);
  });

  it('tags and stacks frames', () => {
    const a = withColumn(sequenceFrame({ cnn: [0.5] }), 'sample', 84);
    const b = withColumn(sequenceFrame({ cnn: [0.25] }), 'sample', 701);
    assert.deepEqual(toRows(concatFrames([a, b])), [
      { t: 0, series: 'cnn', value: 0.5, sample: 84 },
      { t: 0, series: 'cnn', value: 0.25, sample: 701 },
    ]);
  });

  it('turns a loss history into (step, epoch, series, value[, model])', () => {
    const rows = toRows(
      historyFrame(
        [
          { step: 1, epoch: 0, split: 'train', loss: 0.9 },
          { step: 2, epoch: 0, split: 'train', loss: 0.7 },
          { step: 2, epoch: 0, split: 'valid', loss: 0.75 },
        ],
        'cnn',
      ),
    );
    assert.deepEqual(rows, [
      { step: 1, epoch: 0, series: 'train', value: 0.9, model: 'cnn' },
      { step: 2, epoch: 0, series: 'train', value: 0.7, model: 'cnn' },
      { step: 2, epoch: 0, series: 'valid', value: 0.75, model: 'cnn' },
    ]);
  });

  it('turns an attention matrix into (input, output, attention), row i = output i', () => {
    assert.deepEqual(toRows(matrixFrame([0.1, 0.9, 0.6, 0.4], 2)), [
      { input: 0, output: 0, attention: 0.1 },
      { input: 1, output: 0, attention: 0.9 },
      { input: 0, output: 1, attention: 0.6 },
      { input: 1, output: 1, attention: 0.4 },
    ]);
    assert.equal(toRows(matrixFrame(new Float32Array(10_000), 100)).length, 10_000);
    assert.throws(() => matrixFrame([1, 2, 3], 2), /expected 2×2 = 4 values, got 3/);
  });

  it('keeps record columns in the given order', () => {
    const df = recordsFrame([{ model: 'cnn', params: 62337, extra: 1 }], ['model', 'params']);
    assert.deepEqual(df.columns, ['model', 'params']);
    assert.deepEqual(toRows(df), [{ model: 'cnn', params: 62337 }]);
  });
});
