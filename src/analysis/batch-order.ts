// How much a batch-as-time model's predictions depend on their neighbours in normal use: predict
// one test batch in its order and reversed, and compare each sample's two predictions. Samples
// near either end of the batch are left out, so every sample compared has many neighbours
// before it both times. A model that treats samples apart gives 0.
import * as tf from '@tensorflow/tfjs';
import { Dataset, SEQ_LENGTH } from '../data/task';
import { batchTensors, normalise } from '../data/dataset';
import { BuiltModel, resetState } from '../models/build';

/** [n, 100] normalised predictions for test samples in the given order, state reset first. */
function predictInOrder(m: BuiltModel, data: Dataset, order: number[]): Float32Array[] {
  const { x, y } = batchTensors(data, 'test', order);
  resetState(m);
  const p = m.model.predict(x) as tf.Tensor;
  const all = p.dataSync() as Float32Array;
  resetState(m);
  tf.dispose([x, y, p]);
  return order.map((_, k) => all.slice(k * SEQ_LENGTH, (k + 1) * SEQ_LENGTH));
}

/**
 * For each model: the mean squared change of a sample's prediction when the batch is reversed
 * (`reorderChange`), next to the model's MSE on the same samples, both in normalised units.
 * `margin` samples at each end of the batch are left out.
 */
export function reorderEffect(
  models: Record<string, BuiltModel>,
  data: Dataset,
  opts: { batchSize?: number; margin?: number } = {},
): { model: string; reorderChange: number; mse: number }[] {
  const n = Math.min(opts.batchSize ?? 128, data.test.n);
  const margin = opts.margin ?? 10;
  const order = Array.from({ length: n }, (_, i) => i);
  const reversed = [...order].reverse();
  const kept = order.slice(margin, n - margin);
  return Object.entries(models).map(([model, m]) => {
    const a = predictInOrder(m, data, order);
    const b = predictInOrder(m, data, reversed);
    let change = 0;
    let se = 0;
    for (const s of kept) {
      const pa = a[s];
      const pb = b[n - 1 - s];
      const target = normalise(data, data.test.y.subarray(s * SEQ_LENGTH, (s + 1) * SEQ_LENGTH));
      for (let t = 0; t < SEQ_LENGTH; t++) {
        change += (pa[t] - pb[t]) ** 2;
        se += (pa[t] - target[t]) ** 2;
      }
    }
    const count = kept.length * SEQ_LENGTH;
    return { model, reorderChange: change / count, mse: se / count };
  });
}
