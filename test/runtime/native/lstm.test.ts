// The native LSTM scan (src/runtime/native/lstm.ts): TensorFlow's BlockLSTMV2 forward and its
// per-step LSTMBlockCellGrad backward must give jsLstmScan's outputs, final states and gradients.
// Needs the tfjs-node backend: without it every test is skipped with the reason, except under
// CI=true, where a missing native backend fails them (CI must test the engine the project trains on).
import '../../setup';
import assert from 'node:assert/strict';
import { before, describe, it, type TestContext } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend';
import { jsLstmScan } from '../../../src/models/layers/lstm';
import { nativeLstmAvailable, nativeLstmScan } from '../../../src/runtime/native/lstm';

let skipReason: string | undefined;

before(async () => {
  await initBackend({ quiet: true });
  if (tf.getBackend() !== 'tensorflow')
    skipReason = `native LSTM needs the tfjs-node ('tensorflow') backend; the active backend is '${tf.getBackend()}'`;
  else if (!nativeLstmAvailable()) skipReason = "the 'tensorflow' backend is active but unusable";
});

/** Skips the test (with the reason) when the native backend is missing; true if skipped. */
function skipped(t: TestContext): boolean {
  if (skipReason && process.env.CI === 'true') assert.fail(`CI=true: ${skipReason}`);
  if (skipReason) t.skip(skipReason);
  return skipReason !== undefined;
}

const TOL = 1e-4;

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/**
 * The reference is always the JS loop `jsLstmScan`, never `lstmScan`: that one dispatches to the
 * native scan on this backend, and comparing native with native would prove nothing.
 */
type Scan = typeof jsLstmScan;

/**
 * One LSTM step with plain tfjs ops: the gradient reference for T = 1, where jsLstmScan's own
 * gradient fails (tfjs's Unpack gradient breaks when the unstacked axis has length 1).
 */
const oneStep: Scan = (xs, wts, h0, c0) => {
  const x = tf.stack(xs.map((x) => tf.squeeze(x, [0]))); // [D, B, in]
  const z = tf.add(tf.add(tf.matMul(x, wts.w), tf.matMul(h0, wts.u)), wts.b);
  const [i, f, g, o] = tf.split(z, 4, 2);
  const c = tf.add(tf.mul(tf.sigmoid(f), c0), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor3D;
  const h = tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor3D;
  return { ys: tf.expandDims(h, 1) as tf.Tensor4D, h, c };
};

/** Random inputs for D directions, with nonzero initial states so h0/c0 gradients are exercised. */
function inputs(
  d: number,
  t: number,
  b: number,
  cin: number,
  hidden: number,
  seed: number,
): tf.Tensor[] {
  const n = (shape: number[], k: number, sd = 1) =>
    tf.randomNormal(shape, 0, sd, 'float32', seed + k);
  const xs = Array.from({ length: d }, (_, k) => n([t, b, cin], k));
  return [
    ...xs,
    n([d, cin, 4 * hidden], 10, 0.5),
    n([d, hidden, 4 * hidden], 11, 0.5),
    n([d, 1, 4 * hidden], 12, 0.5),
    n([d, b, hidden], 13),
    n([d, b, hidden], 14),
  ];
}

/** Runs a scan on the flat argument list produced by `inputs`. */
function run(scan: Scan, d: number, args: tf.Tensor[]) {
  const [w, u, b, h0, c0] = args.slice(d) as tf.Tensor3D[];
  return scan(args.slice(0, d) as tf.Tensor3D[], { w, u, b }, h0, c0);
}

/** A scalar that depends on every output with distinct weights, so each gradient path counts. */
function loss(scan: Scan, d: number, seed: number) {
  return (...args: tf.Tensor[]) => {
    const { ys, h, c } = run(scan, d, args);
    const m = (x: tf.Tensor, k: number) =>
      tf.sum(tf.mul(x, tf.randomNormal(x.shape, 0, 1, 'float32', seed + k)));
    return tf.addN([m(ys, 0), m(h, 1), m(c, 2)]) as tf.Scalar;
  };
}

const NAMES = ['w', 'u', 'b', 'h0', 'c0'];

// Batch 1 takes BlockLSTMV2 (the blog LSTM); larger batches the step-by-step forward.
for (const [d, t, b, cin, hidden] of [
  [1, 9, 1, 5, 4],
  [1, 6, 3, 4, 5],
  [2, 7, 2, 3, 4],
  [1, 1, 2, 3, 4],
]) {
  describe(`nativeLstmScan, D=${d}, T=${t}, B=${b}, in=${cin}, H=${hidden}`, () => {
    it('matches jsLstmScan: outputs and final states', (ctx) => {
      if (skipped(ctx)) return;
      tf.tidy(() => {
        const args = inputs(d, t, b, cin, hidden, 100 * d + t);
        const ref = run(jsLstmScan, d, args);
        const nat = run(nativeLstmScan, d, args);
        assert.deepEqual(nat.ys.shape, [d, t, b, hidden]);
        for (const k of ['ys', 'h', 'c'] as const) {
          const diff = maxDiff(nat[k], ref[k]);
          assert.ok(diff < TOL, `${k} differs by ${diff}`);
        }
      });
    });

    it(`matches ${t === 1 ? 'a one-step tfjs reference' : 'jsLstmScan'}: gradients w.r.t. every input`, (ctx) => {
      if (skipped(ctx)) return;
      tf.tidy(() => {
        const args = inputs(d, t, b, cin, hidden, 100 * d + t + 50);
        const ref = tf.grads(loss(t === 1 ? oneStep : jsLstmScan, d, 7))(args);
        const nat = tf.grads(loss(nativeLstmScan, d, 7))(args);
        const names = [...Array.from({ length: d }, (_, k) => `xs[${k}]`), ...NAMES];
        nat.forEach((g, i) => {
          const diff = maxDiff(g, ref[i]);
          assert.ok(diff < TOL, `d/d${names[i]} differs by ${diff}`);
          assert.ok(
            tf.tidy(() => tf.max(tf.abs(ref[i])).dataSync()[0]) > 1e-3,
            `d/d${names[i]} is ~0: a vacuous comparison`,
          );
        });
      });
    });
  });
}

describe('nativeLstmScan bookkeeping', () => {
  it('leaves no tensors behind after forward + backward', (ctx) => {
    if (skipped(ctx)) return;
    const args = inputs(2, 5, 2, 3, 4, 1);
    const f = loss(nativeLstmScan, 2, 3);
    tf.tidy(() => {
      tf.grads(f)(args); // warm-up (the availability probe already ran)
    });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads(f)(args);
      run(nativeLstmScan, 2, args);
    });
    assert.equal(tf.memory().numTensors, before);
    tf.dispose(args);
  });
});
