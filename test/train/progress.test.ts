// Training progress (src/train/progress.ts) in a terminal: one line per finished epoch.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminalProgress } from '../../src/train/progress';

describe('progress', () => {
  it('prints one line per finished epoch, none per batch', () => {
    const lines: string[] = [];
    const p = terminalProgress('cnn', (s) => lines.push(s));
    p({ epoch: 0, epochs: 2, batch: 1, batches: 2, trainLoss: 0.5 });
    p({
      epoch: 0,
      epochs: 2,
      batch: 2,
      batches: 2,
      trainLoss: 0.4,
      validLoss: 0.45,
      epochSeconds: 1.25,
    });
    p({
      epoch: 1,
      epochs: 2,
      batch: 2,
      batches: 2,
      trainLoss: 0.001,
      validLoss: 0.002,
      epochSeconds: 1,
    });
    assert.deepEqual(lines, [
      'cnn epoch 1/2  train 0.4000  valid 0.4500  1.3 s',
      'cnn epoch 2/2  train 1.00e-3  valid 2.00e-3  1.0 s',
    ]);
  });
});
