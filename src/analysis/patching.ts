// Attention patching: run a trained attention model with its attention matrix replaced, and
// score it like the learner does (test MSE in normalised units). Everything before the layer
// runs as trained; the layer's values are computed as trained, v = h · Wv; only the weights A
// that mix them change: out = A′ · v, heads joined (value-maps.ts), then whatever follows the
// layer in the model (the residual add if any, ReLU, conv, conv), applied layer by layer through
// their public `apply`. With A′ = the model's own A this is the model itself (tested).
// The replacements themselves (ideal, uniform, identity, another sample's map, knock-outs) are
// in patches.ts.
import * as tf from '@tensorflow/tfjs';
import { Dataset, SEQ_LENGTH, Shape, shapesOf } from '../data/task';
import { batchTensors, batchesOf } from '../data/dataset';
import { BuiltModel } from '../models/build';
import { Learner } from '../train/learner';
import { AttentionParts, attentionParts, valuesOf } from './value-maps';

const L = SEQ_LENGTH;
type Sym = tf.SymbolicTensor;

/** What a patch sees of one batch of test samples. */
export interface PatchBatch {
  /** The test samples of the batch, in order. */
  samples: Int32Array;
  /** Their shapes, (tri, tri, box, box) each. */
  shapes: Shape[][];
  /** The model's own attention for them: [b, heads, 100, 100]. */
  learned: tf.Tensor4D;
  data: Dataset;
  /** The model's own attention for any test samples: [n, heads, 100, 100] (the caller disposes it). */
  attentionFor(samples: Int32Array): tf.Tensor4D;
}

/** A replacement for the attention matrix. */
export interface Patch {
  name: string;
  /** [b, heads, 100, 100], or [b, 100, 100] for every head alike; rows summing to 1. */
  replace(batch: PatchBatch): tf.Tensor;
}

/**
 * The model's output ([b, 100, 1]) for the attention layer's input h ([b, 100, c]) with the
 * attention weights `a` ([b, heads, 100, 100]) in place of the layer's own.
 */
export function patchedForward(
  built: BuiltModel,
  parts: AttentionParts,
  h: tf.Tensor3D,
  a: tf.Tensor4D,
): tf.Tensor3D {
  return tf.tidy(() => {
    const v = valuesOf(parts.layer, h); // [b, heads, 100, out/heads]
    const [b, heads, l, ch] = v.shape;
    const mixed = tf.matMul(a, v); // [b, heads, 100, out/heads]
    const y = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [b, l, heads * ch]); // [b, 100, out]
    return runAfter(built.model, parts, h, y);
  });
}

/** Applies the layers after the attention, given its input h and its (patched) output y. */
function runAfter(model: tf.LayersModel, parts: AttentionParts, h: tf.Tensor, y: tf.Tensor) {
  const { layer } = parts;
  const known = new Map<number, tf.Tensor>([
    [(layer.input as Sym).id, h],
    [(layer.output as Sym).id, y],
  ]);
  for (const l of model.layers.slice(model.layers.indexOf(layer) + 1)) {
    const ins = [l.input].flat() as Sym[];
    const got = ins.map((s) => known.get(s.id));
    if (got.some((t) => t === undefined))
      throw new Error(
        `patching: layer '${l.name}' after the attention reads a tensor other than the attention's input or output`,
      );
    const out = l.apply(got.length === 1 ? got[0]! : (got as tf.Tensor[])) as tf.Tensor;
    known.set((l.output as Sym).id, out);
  }
  const out = known.get(model.outputs[0].id);
  if (!out) throw new Error("patching: the model's output does not follow from its attention");
  return out as tf.Tensor3D;
}

/** Checks a replacement's shape and rows, and brings it to [b, heads, 100, 100]. */
function asHeads(a: tf.Tensor, b: number, heads: number, name: string): tf.Tensor4D {
  const ok =
    (a.rank === 4 && a.shape[0] === b && a.shape[1] === heads) ||
    (a.rank === 3 && a.shape[0] === b);
  if (!ok || a.shape[a.rank - 1] !== L || a.shape[a.rank - 2] !== L)
    throw new Error(
      `patch '${name}': expected [${b}, ${heads}, 100, 100] or [${b}, 100, 100], got [${a.shape}]`,
    );
  return tf.tidy(() => {
    const off = tf.max(tf.abs(tf.sub(tf.sum(a, -1), 1))).dataSync()[0];
    if (!(off < 1e-3)) throw new Error(`patch '${name}': a row sums to 1 ± ${off}, not 1`);
    return (
      a.rank === 4 ? a.clone() : tf.tile(tf.expandDims(a, 1), [1, heads, 1, 1])
    ) as tf.Tensor4D;
  });
}

/** One patch's result over the samples. */
export interface PatchResult {
  patch: string;
  /** Test MSE in normalised units, as the learner reports it. */
  mse: number;
  /** Mean total-variation distance of the replacement's rows to the learned rows (0 = unchanged). */
  moved: number;
}

/** Runs `fn` on each batch of the samples with the layer's input h and the targets y. */
function eachBatch(
  learner: Learner,
  samples: Int32Array,
  fn: (batch: PatchBatch, parts: AttentionParts, h: tf.Tensor3D, y: tf.Tensor3D) => void,
): void {
  const data = learner.data;
  if (samples.length === 0) throw new Error('patching: no samples');
  for (const s of samples)
    if (!Number.isInteger(s) || s < 0 || s >= data.test.n)
      throw new RangeError(`sample ${s} is outside the test split (0..${data.test.n - 1})`);
  const parts = attentionParts(learner.built);
  const attentionFor = (idx: Int32Array) => {
    const { x, y } = batchTensors(data, 'test', idx);
    const a = tf.tidy(() => parts.layer.attention(parts.before.predict(x) as tf.Tensor3D));
    tf.dispose([x, y]);
    return a;
  };
  for (const idx of batchesOf(samples, learner.fitConfig.batchSize)) {
    const { x, y } = batchTensors(data, 'test', idx);
    const h = parts.before.predict(x) as tf.Tensor3D;
    const learned = parts.layer.attention(h);
    const shapes = Array.from(idx, (s) => shapesOf(data.test, s));
    try {
      fn({ samples: idx, shapes, learned, data, attentionFor }, parts, h, y);
    } finally {
      tf.dispose([x, y, h, learned]);
    }
  }
}

const allTest = (learner: Learner, samples?: readonly number[]) =>
  Int32Array.from(samples ?? Array.from({ length: learner.data.test.n }, (_, i) => i));

/**
 * Each patch's test MSE over the given test samples (default: the whole test set), batch by batch
 * at the learner's batch size. The learned attention is computed once per batch and shared.
 */
export function patchingTable(
  learner: Learner,
  patches: readonly Patch[],
  opts: { samples?: readonly number[] } = {},
): PatchResult[] {
  if (patches.length === 0) throw new Error('patchingTable: no patches');
  const samples = allTest(learner, opts.samples);
  const se = new Float64Array(patches.length);
  const moved = new Float64Array(patches.length);
  let heads = 1;
  eachBatch(learner, samples, (batch, parts, h, y) => {
    heads = parts.layer.heads;
    patches.forEach((p, k) => {
      const a = replacement(p, batch, heads);
      const [err, tv] = tf.tidy(() => [
        tf.sum(tf.squaredDifference(patchedForward(learner.built, parts, h, a), y)).dataSync()[0],
        tf.sum(tf.abs(tf.sub(a, batch.learned))).dataSync()[0] / 2,
      ]);
      a.dispose();
      se[k] += err;
      moved[k] += tv;
    });
  });
  return patches.map((p, k) => ({
    patch: p.name,
    mse: se[k] / (samples.length * L),
    moved: moved[k] / (samples.length * heads * L),
  }));
}

/** The model's normalised predictions under a patch for the given test samples: [samples × 100]. */
export function patchedPredictions(
  learner: Learner,
  patch: Patch,
  samples: readonly number[],
): Float32Array {
  const idx = allTest(learner, samples);
  const out = new Float32Array(idx.length * L);
  let o = 0;
  eachBatch(learner, idx, (batch, parts, h) => {
    const a = replacement(patch, batch, parts.layer.heads);
    const p = patchedForward(learner.built, parts, h, a);
    out.set(p.dataSync(), o);
    o += p.size;
    tf.dispose([a, p]);
  });
  return out;
}

/** A patch's replacement for a batch, checked and brought to [b, heads, 100, 100]. */
function replacement(p: Patch, batch: PatchBatch, heads: number): tf.Tensor4D {
  const raw = p.replace(batch);
  try {
    return asHeads(raw, batch.samples.length, heads, p.name);
  } finally {
    raw.dispose();
  }
}
