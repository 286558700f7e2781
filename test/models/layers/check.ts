// What the layer tests share: closeness, a gradient probe, a tensor-leak check and a save/load
// round trip through a tfjs model.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';

/** The largest |a − b|. Empty tensors are refused: their "difference" would be −∞, a vacuous pass. */
export function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  assert.ok(a.size > 0, `comparing empty tensors of shape [${a.shape}]`);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

export function assertClose(a: tf.Tensor, b: tf.Tensor, tol = 1e-5, what = 'tensors'): void {
  const diff = maxDiff(a, b);
  assert.ok(diff <= tol, `${what} differ by ${diff} > ${tol}`);
}

/** Compares a tensor with nested arrays of expected numbers. */
export function assertValues(t: tf.Tensor, want: number[] | number[][] | number[][][], tol = 1e-6) {
  assertClose(t, tf.tensor(want), tol, 'values');
}

/** A scalar that weighs every output differently, so every gradient path counts. */
export function probe(y: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', seed)));
}

/** d probe(layer(x)) / d x, then / d each trainable weight (in `getWeights` order), if any. */
export function layerGrads(layer: tf.layers.Layer, x: tf.Tensor, seed: number): tf.Tensor[] {
  const dx = tf.grad((input: tf.Tensor) => probe(layer.apply(input) as tf.Tensor, seed))(x);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) return [dx]; // a weightless layer: tfjs refuses variableGrads([])
  const { value, grads } = tf.variableGrads(() => probe(layer.apply(x) as tf.Tensor, seed), vars);
  value.dispose();
  return [dx, ...vars.map((v) => grads[v.name])];
}

/** d probe(plain(x, ...weights)) / d x and / d each weight. */
export function plainGrads(
  plain: (x: tf.Tensor, ...weights: tf.Tensor[]) => tf.Tensor,
  x: tf.Tensor,
  weights: tf.Tensor[],
  seed: number,
): tf.Tensor[] {
  return tf.grads((...args: tf.Tensor[]) => probe(plain(args[0], ...args.slice(1)), seed))([
    x,
    ...weights,
  ]);
}

/** Asserts the layer's gradients equal the plain version's, and that none is vacuously ~0. */
export function assertSameGrads(ours: tf.Tensor[], ref: tf.Tensor[], names: string[], tol = 1e-4) {
  assert.equal(ours.length, ref.length);
  ours.forEach((g, i) => {
    const scale = tf.tidy(() => tf.max(tf.abs(ref[i])).dataSync()[0]);
    assert.ok(scale > 1e-3, `d/d${names[i]} is ~0: a vacuous comparison`);
    assertClose(g, ref[i], tol * Math.max(1, scale), `d/d${names[i]}`);
  });
}

/** Runs `fn` twice (the first run may create lasting state) and asserts the second leaves no tensor behind. */
export function assertNoLeak(fn: () => void): void {
  fn();
  const before = tf.memory().numTensors;
  fn();
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
}

/**
 * Saves a one-layer model to memory and loads it back, which goes through getConfig, the class
 * registry and fromConfig; returns both models' predictions for x.
 */
export async function savedAndLoaded(
  layer: tf.layers.Layer,
  x: tf.Tensor,
): Promise<{ before: tf.Tensor; after: tf.Tensor; loaded: tf.LayersModel }> {
  const input = tf.input({ shape: x.shape.slice(1) });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  return {
    before: model.predict(x) as tf.Tensor,
    after: loaded.predict(x) as tf.Tensor,
    loaded,
  };
}
