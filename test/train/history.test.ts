// The loss history (src/train/history.ts): one row per finished epoch, the mean of its batches'
// training losses beside its validation loss, and the final one.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LossPoint, epochLosses, finalLosses } from '../../src/train/history';

const train = (step: number, epoch: number, loss: number): LossPoint => ({
  step,
  epoch,
  split: 'train',
  loss,
});
const valid = (step: number, epoch: number, loss: number): LossPoint => ({
  step,
  epoch,
  split: 'valid',
  loss,
});

describe('history', () => {
  it("reduces each finished epoch to the mean of its batches' training losses and its validation loss", () => {
    // Epoch 0 has three batches, epoch 1 two: a mean over the wrong epoch's batches, a sum or
    // the last batch alone would give other numbers.
    const h = [
      train(1, 0, 0.9),
      train(2, 0, 0.6),
      train(3, 0, 0.3),
      valid(3, 0, 0.5),
      train(4, 1, 0.2),
      train(5, 1, 0.1),
      valid(5, 1, 0.25),
    ];
    const rows = epochLosses(h);
    assert.equal(rows.length, 2);
    assert.deepEqual(
      rows.map((r) => [r.epoch, Number(r.train.toFixed(12)), r.valid]),
      [
        [0, 0.6, 0.5],
        [1, 0.15, 0.25],
      ],
    );
    assert.deepEqual(finalLosses(rows), rows[1]);
  });

  it('leaves out an epoch that was not validated, and marks a validated epoch without batches NaN', () => {
    const rows = epochLosses([valid(0, 0, 0.7), train(1, 1, 0.4)]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].epoch, 0);
    assert.ok(Number.isNaN(rows[0].train));
    assert.equal(rows[0].valid, 0.7);
  });

  it('has no final loss for a run without a finished epoch', () => {
    assert.deepEqual(epochLosses([train(1, 0, 0.4)]), []);
    assert.throws(() => finalLosses([]), /the run has no finished epoch/);
  });
});
