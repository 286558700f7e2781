// Training progress (src/train/progress.ts): one line per finished epoch in a terminal, one
// output redrawn in place in a notebook.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Display } from '../../src/runtime/jupyter';
import { ProgressEvent } from '../../src/train/learner';
import { notebookProgress, terminalProgress } from '../../src/train/progress';

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

  it('in a notebook, redraws one output: throttled within an epoch, always at its end', () => {
    const drawn: string[] = [];
    const display: Display = {
      html: (h) => drawn.push(h),
      markdown: assert.fail,
      text: assert.fail,
    };
    const p = notebookProgress('cnn', 60_000, display);
    const batch = (epoch: number, b: number, extra: Partial<ProgressEvent> = {}) =>
      p({ epoch, epochs: 2, batch: b, batches: 4, trainLoss: 0.5 - b / 100, ...extra });
    batch(0, 1); // the first event draws
    batch(0, 2); // within 60 s of the last draw: skipped
    batch(0, 4, { validLoss: 0.45, epochSeconds: 2 }); // an epoch's end always draws
    assert.equal(drawn.length, 2);
    assert.match(drawn[0], /<progress value="0\.250" max="2"/);
    assert.match(drawn[0], /cnn: epoch 1\/2, batch 1\/4, loss 0\.4900, about .* left/);
    assert.match(drawn[1], /<progress value="1\.000" max="2"/);
    assert.match(drawn[1], /epoch 1: train 0\.4600, valid 0\.4500 \(2\.0 s\)/);
    batch(1, 4, { validLoss: 0.005, epochSeconds: 1 });
    assert.equal(drawn.length, 3);
    assert.match(drawn[2], /cnn: epoch 2\/2, batch 4\/4, loss 0\.4600, done/);
    // The last three epochs' lines stay under the bar.
    assert.match(drawn[2], /epoch 1: .*<br>epoch 2: train 0\.4600, valid 5\.00e-3 \(1\.0 s\)/);
  });
});
