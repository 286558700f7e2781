// Whether a batch's order moves a model's predictions (src/analysis/batch-order.ts): not for a
// model that treats samples apart, clearly for the blog LSTM that reads the batch as time.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { batchTensors } from '../../src/data/dataset';
import { DEFAULT_DATA, SEQ_LENGTH, generateDataset } from '../../src/data/task';
import { reorderEffect } from '../../src/analysis/batch-order';
import { buildModel } from '../../src/models/build';
import { initBackend } from '../../src/runtime/backend';

before(async () => {
  await initBackend({ quiet: true });
});

const ds = generateDataset({ ...DEFAULT_DATA, nTrain: 20, nTest: 30 });

describe('batch order', () => {
  it('a model that treats samples apart does not move when the batch is reversed; the blog LSTM does', () => {
    const cnn = buildModel('cnn', { channels: 4, depth: 2 });
    const blog = buildModel('lstm-blog', { hidden: 8 });
    const rows = reorderEffect({ cnn, blog }, ds, { batchSize: 30, margin: 5 });
    assert.deepEqual(
      rows.map((r) => r.model),
      ['cnn', 'blog'],
    );
    const [c, b] = rows;
    assert.ok(c.reorderChange < 1e-10, String(c.reorderChange));
    assert.ok(b.reorderChange > 1e-8, `the blog LSTM moved by ${b.reorderChange}`);
    assert.ok(c.mse > 0 && b.mse > 0);
    cnn.model.dispose();
    blog.model.dispose();
  });

  it("scores each sample against its own target: a model's MSE is the same in either order", () => {
    // The cnn's predictions do not depend on the order, so the MSE over the kept samples is the
    // mean of (prediction − normalised target)² over exactly those samples.
    const cnn = buildModel('cnn', { channels: 4, depth: 2 });
    const [row] = reorderEffect({ cnn }, ds, { batchSize: 30, margin: 5 });
    const { x, y } = batchTensors(
      ds,
      'test',
      Array.from({ length: 30 }, (_, i) => i),
    );
    const p = cnn.model.predict(x) as tf.Tensor;
    const all = p.dataSync();
    let se = 0;
    for (let s = 5; s < 25; s++)
      for (let t = 0; t < SEQ_LENGTH; t++) {
        const target = (ds.test.y[s * SEQ_LENGTH + t] - ds.mean) / ds.std;
        se += (all[s * SEQ_LENGTH + t] - target) ** 2;
      }
    assert.ok(Math.abs(row.mse - se / (20 * SEQ_LENGTH)) < 1e-9 * (1 + row.mse));
    tf.dispose([x, y, p]);
    cnn.model.dispose();
  });
});
