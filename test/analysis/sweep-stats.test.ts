// A sweep summarised along one setting (src/analysis/sweep-stats.ts).
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sweepMeans } from '../../src/analysis/sweep-stats';
import { SweepResult } from '../../src/train/sweep';

const point = (
  kind: 'attention' | 'cnn',
  k: number,
  valids: number[],
  status: 'done' | 'failed' = 'done',
): SweepResult => ({
  label: `${kind} k${k}`,
  kind,
  config: { kernelSize: k },
  status,
  epochs: valids.map((valid, epoch) => ({ epoch, train: 1, valid })),
  seconds: 1,
  backend: 'cpu',
});

describe('sweep means', () => {
  it('averages the final validation loss per model and value of a field, in order', () => {
    const rows = sweepMeans(
      [
        point('cnn', 5, [0.5, 0.1]),
        point('attention', 5, [0.9, 0.01]),
        point('attention', 3, [0.5, 0.04]), // the last epoch counts, not the first
        point('attention', 3, [0.02]),
        point('cnn', 3, [0.08]),
        point('cnn', 3, [], 'failed'),
      ],
      'kernelSize',
    );
    assert.deepEqual(rows, [
      { model: 'attention', kernelSize: 3, points: 2, 'mean valid': 0.03, best: 0.02, worst: 0.04 },
      { model: 'attention', kernelSize: 5, points: 1, 'mean valid': 0.01, best: 0.01, worst: 0.01 },
      { model: 'cnn', kernelSize: 3, points: 1, 'mean valid': 0.08, best: 0.08, worst: 0.08 },
      { model: 'cnn', kernelSize: 5, points: 1, 'mean valid': 0.1, best: 0.1, worst: 0.1 },
    ]);
  });

  it('leaves out points without the field', () => {
    assert.deepEqual(sweepMeans([point('cnn', 3, [0.1])], 'keyChannels'), []);
  });
});
