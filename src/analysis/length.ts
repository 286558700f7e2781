// Length generalisation: a model trained on 100-step sequences, run on 50 and 200 steps of the
// same task. The model is rebuilt at the new length from its own topology (toJSON with the
// input's length changed, modelFromJSON), then given the trained weights (getWeights/setWeights).
// A model with a weight whose shape depends on the length (the pooled model's per-position bias,
// [100]) or a layer that only accepts 100 steps (the blog LSTM reads the 100 steps as features)
// cannot run at another length: its row says "not applicable" and why, and has no loss.
// Losses are MSE in normalised units (the training set's mean and std), next to two yardsticks:
//   floor     the noise floor (dataset.ts): the same at every length, since the target noise
//             has the same variance at every step and the units are the training set's;
//   copy      the MSE of answering the input unchanged, which is wrong only on the shapes (and
//             by the noise): the shapes cover a share of the steps that shrinks as L grows, so
//             MSEs at different lengths compare fairly as loss / copy, not as raw numbers.
import * as tf from '@tensorflow/tfjs';
import { Dataset, SEQ_LENGTH } from '../data/task';
import { noiseFloor } from '../data/dataset';
import { LengthSplit, checkLength, lengthTensors, lengthTestSet } from '../data/length';
import { BuiltModel, resetState } from '../models/build';
import { checkInt } from '../runtime/validate';

/** A model rebuilt at another length, or why it cannot be. */
export type Rebuilt =
  { ok: true; built: BuiltModel; reason?: undefined } | { ok: false; reason: string };

type Json = { [key: string]: unknown };
type FromJson = Parameters<typeof tf.models.modelFromJSON>[0];

/** The sequence length a built model takes: its input's second axis (100 for every kind here). */
export function modelLength(built: BuiltModel): number {
  return built.model.inputs[0].shape[1] as number;
}

/**
 * The same architecture with inputs of `length` steps, holding the trained weights. The caller
 * owns (and disposes) the new model. Not ok, with the reason, when a layer refuses the length or
 * a weight's shape changes with it; nothing is left allocated then.
 */
export async function rebuildAtLength(built: BuiltModel, length: number): Promise<Rebuilt> {
  checkLength(length);
  const from = modelLength(built);
  const topology = built.model.toJSON(undefined, false) as Json;
  const layers = (topology.config as Json).layers as { class_name: string; config: Json }[];
  const inputs = layers.filter((l) => l.class_name === 'InputLayer');
  if (inputs.length !== 1)
    throw new Error(
      `rebuildAtLength expects one input layer, '${built.kind}' has ${inputs.length}`,
    );
  const shape = inputs[0].config.batch_input_shape as (number | null)[]; // [null, 100, channels]
  inputs[0].config.batch_input_shape = [shape[0], length, ...shape.slice(2)];
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as FromJson);
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    return { ok: false, reason: `cannot be built at length ${length}: ${why}` };
  }
  const old = built.model.weights;
  const mismatch = model.weights.findIndex(
    (w, i) => w.shape.join() !== (old[i]?.shape ?? []).join(),
  );
  if (model.weights.length !== old.length || mismatch >= 0) {
    const w = old[mismatch] ?? old[0];
    const now = model.weights[mismatch]?.shape ?? [];
    model.dispose();
    return {
      ok: false,
      reason: `weight ${w.originalName} is [${w.shape}] at length ${from} but would be [${now}] at length ${length}: it is tied to the trained length`,
    };
  }
  model.setWeights(built.model.getWeights());
  return { ok: true, built: { kind: built.kind, config: built.config, model } };
}

/** MSE of the model on a length-L split, normalised units, `batchSize` samples at a time. */
export function lossOn(
  built: BuiltModel,
  ds: Dataset,
  split: LengthSplit,
  batchSize = 128,
): number {
  checkInt('batchSize', batchSize, 1);
  if (modelLength(built) !== split.length)
    throw new Error(
      `the model takes ${modelLength(built)} steps but the split has ${split.length}; rebuild it with rebuildAtLength`,
    );
  resetState(built);
  let sum = 0;
  for (let s = 0; s < split.n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, split.n - s) }, (_, k) => s + k);
    const { x, y } = lengthTensors(ds, split, idx);
    const loss = tf.tidy(() =>
      tf.mean(tf.squaredDifference(built.model.predict(x) as tf.Tensor, y)),
    );
    sum += loss.dataSync()[0] * idx.length;
    tf.dispose([x, y, loss]);
  }
  return sum / split.n;
}

/** MSE of answering the input unchanged, in normalised units (no model, no tensors). */
export function copyLoss(ds: Pick<Dataset, 'std'>, split: LengthSplit): number {
  let ss = 0;
  for (let i = 0; i < split.x.length; i++) ss += (split.x[i] - split.y[i]) ** 2;
  return ss / split.x.length / ds.std ** 2;
}

export interface LengthRow {
  length: number;
  /** 'test split' for the training length (the dataset's own test samples), else 'generated'. */
  source: 'test split' | 'generated';
  samples: number;
  /** Whether the model can run at this length at all. */
  applicable: boolean;
  /** MSE, normalised units; null when not applicable. */
  loss: number | null;
  /** loss / copy: the share of the copy-the-input error left (comparable across lengths). */
  ofCopy: number | null;
  copy: number;
  floor: number;
  /** Why not applicable; empty when it is. */
  reason: string;
}

/**
 * The model's test MSE at each length: the dataset's own test split at the trained length (the
 * model is still rebuilt there, so that row checks the rebuild against the run's test loss),
 * a generated set of `n` samples (default: the test size) at every other length.
 */
export async function lengthGeneralisation(
  built: BuiltModel,
  ds: Dataset,
  opts: { lengths?: readonly number[]; n?: number; batchSize?: number } = {},
): Promise<LengthRow[]> {
  const lengths = opts.lengths ?? [50, SEQ_LENGTH, 200];
  lengths.forEach(checkLength);
  if (opts.n !== undefined) checkInt('n', opts.n, 1);
  if (modelLength(built) !== SEQ_LENGTH)
    throw new Error(`lengthGeneralisation expects a model trained on ${SEQ_LENGTH} steps`);
  const rows: LengthRow[] = [];
  for (const length of lengths) {
    const own = length === SEQ_LENGTH;
    const split: LengthSplit = own
      ? { ...ds.test, length: SEQ_LENGTH }
      : lengthTestSet(ds, length, opts.n);
    const base = {
      length,
      source: own ? ('test split' as const) : ('generated' as const),
      samples: split.n,
      copy: copyLoss(ds, split),
      floor: noiseFloor(ds),
    };
    const r = await rebuildAtLength(built, length);
    if (!r.ok) {
      rows.push({ ...base, applicable: false, loss: null, ofCopy: null, reason: r.reason });
      continue;
    }
    try {
      const loss = lossOn(r.built, ds, split, opts.batchSize);
      rows.push({ ...base, applicable: true, loss, ofCopy: loss / base.copy, reason: '' });
    } finally {
      r.built.model.dispose();
    }
  }
  return rows;
}
