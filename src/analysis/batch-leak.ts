// The blog LSTM's batch axis laid bare (notebook 06): it reads the 128 samples of a batch as
// 128 time steps, so changing the first sample moves every later sample's prediction.
import * as tf from '@tensorflow/tfjs';
import { Dataset } from '../data/task';
import { batchTensors } from '../data/dataset';
import { BuiltModel, resetState } from '../models/build';

/**
 * How much each sample's prediction moves when only the first sample of its batch changes.
 * For a model that treats samples independently only position 0 moves; the blog's LSTM reads
 * the batch as time, so every later sample moves too. Rows: (model, position, change).
 */
export function batchLeak(
  models: Record<string, BuiltModel>,
  data: Dataset,
  batchSize = 128,
): { model: string; position: number; change: number }[] {
  const idx = Int32Array.from({ length: Math.min(batchSize, data.test.n) }, (_, i) => i);
  const rows: { model: string; position: number; change: number }[] = [];
  for (const [name, m] of Object.entries(models)) {
    const { x, y } = batchTensors(data, 'test', idx);
    const change = tf.tidy(() => {
      resetState(m);
      const a = m.model.predict(x) as tf.Tensor;
      resetState(m);
      // Replace sample 0 by its negation; leave the rest of the batch alone.
      const mask = tf.concat([tf.fill([1, 100, 1], -1), tf.ones([idx.length - 1, 100, 1])]);
      const b = m.model.predict(tf.mul(x, mask)) as tf.Tensor;
      resetState(m);
      return tf.max(tf.abs(tf.sub(a, b)), [1, 2]).dataSync();
    });
    tf.dispose([x, y]);
    change.forEach((c, position) => rows.push({ model: name, position, change: c }));
  }
  return rows;
}
