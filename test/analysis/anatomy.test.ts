// The attention layer's anatomy (src/analysis/anatomy.ts) and the blog LSTM's batch axis (batch-leak.ts).
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { attentionShapes, convEqualsLinear } from '../../src/analysis/anatomy';
import { batchLeak } from '../../src/analysis/batch-leak';
import { initBackend } from '../../src/runtime/backend';
import { loadDataset } from '../../src/data/dataset';
import { buildModel } from '../../src/models/build';

before(async () => {
  await initBackend({ quiet: true });
});

describe('anatomy', () => {
  it('follows the shapes through the attention layer', () => {
    const rows = attentionShapes();
    const shape = (step: string) => rows.find((r) => r.step === step)!.shape;
    assert.equal(shape('queries'), '[1, 100, 96]');
    assert.equal(shape('scores'), '[1, 100, 100]');
    assert.equal(shape('(the other product)'), '[1, 96, 96]');
    assert.equal(shape('output'), '[1, 100, 64]');
    // The softmax rows sum to 1: both the smallest and the largest row sum, within float32 error.
    const note = String(rows.find((r) => r.step === 'attention')!.note);
    const m = /min ([\d.]+), max ([\d.]+)/.exec(note);
    assert.ok(m, note);
    assert.ok(Math.abs(Number(m[1]) - 1) < 1e-5, `min row sum ${m[1]}`);
    assert.ok(Math.abs(Number(m[2]) - 1) < 1e-5, `max row sum ${m[2]}`);
  });

  it('shows that a kernel-size-1 conv equals a per-position linear map', () => {
    const r = convEqualsLinear(2, 10, 4, 3);
    assert.ok(r.maxAbsDiff < 1e-5, String(r.maxAbsDiff));
    assert.equal(r.convShape, r.linearShape);
  });

  it('shows the blog LSTM leaking across the batch, and the CNN not', () => {
    const data = loadDataset({ nTrain: 40, nTest: 16 }, { log: () => {} }).dataset;
    const rows = batchLeak(
      { blog: buildModel('lstm-blog', { hidden: 8 }), cnn: buildModel('cnn', { channels: 4 }) },
      data,
      16,
    );
    const change = (model: string, position: number) =>
      rows.find((r) => r.model === model && r.position === position)!.change;
    assert.ok(change('cnn', 0) > 0);
    for (let p = 1; p < 16; p++) assert.equal(change('cnn', p), 0);
    assert.ok(change('blog', 1) > 1e-4 && change('blog', 5) > 0, 'later samples of the batch move');
  });
});
