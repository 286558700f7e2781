// Sweep results as one long frame (src/viz/sweep-frame.ts): a row per (point, epoch) with each
// point's own config and numbers, one row for a failed point. No training: results made up.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SweepResult } from '../../src/train/sweep';
import { toRows } from '../../src/viz/frames';
import { sweepFrame } from '../../src/viz/sweep-frame';

const results = [
  {
    label: 'attention k3 c8',
    kind: 'attention',
    config: { kernelSize: 3, keyChannels: 8, seed: 1, inChannels: 1 },
    params: 3008,
    epochs: [
      { epoch: 0, train: 0.5, valid: 0.25 },
      { epoch: 1, train: 0.125, valid: 0.0625 },
    ],
    testLoss: 0.07,
    seconds: 12,
    backend: 'tfjs-node',
    status: 'done',
  },
  {
    label: 'cnn k5',
    kind: 'cnn',
    config: { kernelSize: 5 },
    epochs: [],
    seconds: 0,
    backend: 'tfjs-node',
    status: 'failed',
    error: 'out of memory',
  },
] as unknown as SweepResult[];

describe('sweep frame', () => {
  it('one row per point and epoch, the config as columns (seed and inChannels left out)', () => {
    const t = sweepFrame(results);
    assert.deepEqual(t.columns, [
      'label',
      'model',
      'kernelSize',
      'keyChannels',
      'params',
      'epoch',
      'train',
      'valid',
      'test',
      'seconds',
      'backend',
      'status',
      'error',
    ]);
    const rows = toRows(t);
    assert.deepEqual(
      rows.map((r) => [r.label, r.keyChannels, r.epoch, r.valid, r.status]),
      [
        ['attention k3 c8', 8, 0, 0.25, 'done'],
        ['attention k3 c8', 8, 1, 0.0625, 'done'],
        ['cnn k5', '', -1, NaN, 'failed'],
      ],
    );
    assert.equal(rows[2].error, 'out of memory');
  });
});
