// The blog LSTM's batch axis (src/analysis/batch-leak.ts): changing the first sample of a batch
// moves every later sample's prediction for the blog LSTM, and only the first for the CNN.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { batchLeak } from '../../src/analysis/batch-leak';
import { initBackend } from '../../src/runtime/backend';
import { loadDataset } from '../../src/data/dataset';
import { buildModel } from '../../src/models/build';

before(async () => {
  await initBackend({ quiet: true });
});

describe('batch leak', () => {
  it('shows the blog LSTM leaking across the batch, and the CNN not', () => {
    const data = loadDataset({ nTrain: 40, nTest: 16 }, { log: () => {} }).dataset;
    const rows = batchLeak(
      { blog: buildModel('lstm-blog', { hidden: 8 }), cnn: buildModel('cnn', { channels: 4 }) },
      data,
      16,
    );
    assert.equal(rows.length, 2 * 16, 'one row per model and batch position');
    const change = (model: string, position: number) =>
      rows.find((r) => r.model === model && r.position === position)!.change;
    assert.ok(change('cnn', 0) > 0);
    for (let p = 1; p < 16; p++) assert.equal(change('cnn', p), 0);
    assert.ok(change('blog', 0) > 0);
    for (let p = 1; p < 16; p++)
      assert.ok(change('blog', p) > 0, `blog position ${p} did not move`);
    assert.ok(change('blog', 1) > 1e-4, 'the next sample moves clearly');
  });
});
