// TensorFlow's ops run by name on tfjs-node (src/runtime/native/ops.ts): each must give tfjs's
// answer and leave no tensor behind once its outputs are disposed. Needs the tfjs-node backend:
// without it every test is skipped with the reason, except under CI=true, where it fails.
import '../../setup';
import assert from 'node:assert/strict';
import { before, describe, it, type TestContext } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/backend';
import { TfOps, tensorflowBackend } from '../../../src/runtime/native/ops';

let ops: TfOps | undefined;
let skipReason: string | undefined;

before(async () => {
  await initBackend({ quiet: true });
  const be = tensorflowBackend();
  if (be) ops = new TfOps(be);
  else
    skipReason = `TfOps needs the tfjs-node ('tensorflow') backend; the active backend is '${tf.getBackend()}'`;
});

/** The ops, or undefined after skipping the test (with the reason) when the native backend is missing. */
function native(t: TestContext): TfOps | undefined {
  if (skipReason && process.env.CI === 'true') assert.fail(`CI=true: ${skipReason}`);
  if (skipReason) t.skip(skipReason);
  return ops;
}

/** Runs `f`, disposes what it returns, and asserts that tfjs counts as many tensors as before. */
function leavesNothing(f: () => tf.Tensor | tf.Tensor[]): void {
  const before = tf.memory().numTensors;
  tf.dispose(f());
  assert.equal(tf.memory().numTensors, before, 'tensors left behind');
}

function assertClose(got: tf.Tensor, want: tf.Tensor): void {
  assert.deepEqual(got.shape, want.shape);
  const [g, w] = [got.dataSync(), want.dataSync()];
  for (let i = 0; i < w.length; i++)
    assert.ok(Math.abs(g[i] - w[i]) < 1e-5, `[${i}] ${g[i]} ≠ ${w[i]}`);
}

describe('native/ops', () => {
  it("finds tfjs-node's backend only while 'tensorflow' is the active one", async (t) => {
    if (!native(t)) return;
    assert.equal(tf.getBackend(), 'tensorflow');
    assert.equal(tensorflowBackend(), tf.backend());
    try {
      assert.ok(await tf.setBackend('cpu'));
      assert.equal(tensorflowBackend(), undefined);
    } finally {
      assert.ok(await tf.setBackend('tensorflow'));
    }
    assert.equal(tensorflowBackend(), tf.backend());
  });

  it('unpacks n tensors, each the slice of the leading axis', (t) => {
    const o = native(t);
    if (!o) return;
    const x = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => i * 0.5 - 3),
      [3, 2, 4],
    ); // [n, 2, 4]
    const parts = o.unpack(x, 3); // 3 × [2, 4]
    assert.equal(parts.length, 3);
    parts.forEach((p, i) => {
      const want = tf.squeeze(tf.slice(x, [i, 0, 0], [1, 2, 4]), [0]);
      assertClose(p, want);
      want.dispose();
    });
    tf.dispose(parts);
    leavesNothing(() => o.unpack(x, 3));
    x.dispose();
  });

  it('multiplies as tf.matMul for one row and for several, with and without transposeB', (t) => {
    const o = native(t);
    if (!o) return;
    const values = (n: number, k: number) =>
      Array.from({ length: n * k }, (_, i) => Math.sin(i + k));
    const b = tf.tensor2d(values(4, 4), [4, 4]); // not symmetric: transposing it changes the answer
    const bWide = tf.tensor2d(values(4, 3), [4, 3]);
    const bTall = tf.tensor2d(values(3, 4), [3, 4]); // [3, 4] · transposed → [4, 3]
    for (const rows of [1, 5]) {
      const a = tf.tensor2d(values(rows, 4), [rows, 4]);
      for (const [right, transposeB] of [
        [b, false],
        [b, true],
        [bWide, false],
        [bTall, true],
      ] as const) {
        const got = o.matMul(a, right, transposeB);
        const want = tf.matMul(a, right, false, transposeB);
        assertClose(got, want);
        tf.dispose([got, want]);
        leavesNothing(() => o.matMul(a, right, transposeB));
      }
      a.dispose();
    }
    tf.dispose([b, bWide, bTall]);
  });

  it('adds as tf.add, broadcasting a row', (t) => {
    const o = native(t);
    if (!o) return;
    const a = tf.tensor2d([1, 2, 3, -4, -5, 6.5], [2, 3]);
    const row = tf.tensor1d([10, -20, 0.25]);
    for (const [x, y] of [
      [a, a],
      [a, row],
    ]) {
      const got = o.add(x, y);
      const want = tf.add(x, y);
      assertClose(got, want);
      tf.dispose([got, want]);
      leavesNothing(() => o.add(x, y));
    }
    tf.dispose([a, row]);
  });

  it('makes an int64 scalar that holds its value and disposes cleanly', (t) => {
    const o = native(t);
    if (!o) return;
    const warn = console.warn;
    const before = tf.memory().numTensors;
    const s = o.int64Scalar(7);
    assert.equal(console.warn, warn, 'console.warn is put back');
    assert.deepEqual(s.shape, []);
    // TensorFlow casts it back to int32 for reading: tfjs cannot read an int64 handle.
    const back = o.one(
      'Cast',
      [o.type('SrcT', 'int64'), o.type('DstT', 'int32'), o.bool('Truncate', false)],
      [s],
    );
    assert.deepEqual(Array.from(back.dataSync()), [7]);
    tf.dispose([s, back]);
    assert.equal(tf.memory().numTensors, before);
    leavesNothing(() => o.int64Scalar(-3));
  });
});
