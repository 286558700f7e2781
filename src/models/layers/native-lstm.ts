// The LSTM scan of lstm.ts run by TensorFlow's fused kernels on the native (tfjs-node) backend:
// `BlockLSTMV2` computes every time step of one direction in a single op, `BlockLSTMGradV2`
// back-propagates through all of them in another, so a sequence costs two op dispatches instead
// of ~12 per step. Same signature and results as `lstmScan`.
//
// Op contract (tensorflow/core/ops/rnn_ops.cc, kernels/rnn/lstm_ops.cc):
//   BlockLSTMV2(seq_len_max: int64, x [T, B, in], cs_prev [B, H], h_prev [B, H],
//               w [in + H, 4H], wci [H], wcf [H], wco [H], b [4H]; cell_clip, use_peephole, T)
//     → i, cs, f, o, ci, co, h, each [T, B, H]
//   BlockLSTMGradV2(the 9 inputs, the 7 outputs, cs_grad [T, B, H], h_grad [T, B, H]; use_peephole, T)
//     → x_grad, cs_prev_grad, h_prev_grad, w_grad, wci_grad, wcf_grad, wco_grad, b_grad
// V2 uses the IFCO gate layout (i, f, ci, o), which is PyTorch's (i, f, g, o), so our columns need
// no permutation (V1 `BlockLSTM` is ICFO and adds a forget_bias). V2 has no forget_bias, and
// cell_clip ≤ 0 means no clipping. cs is the cell state before tanh, h the output.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from './lstm-weights';

/** The parts of tfjs-node's NodeJSKernelBackend used here (dist/nodejs_kernel_backend.js). */
interface NativeBinding {
  TF_ATTR_BOOL: number;
  TF_ATTR_FLOAT: number;
  TF_ATTR_TYPE: number;
  TF_FLOAT: number;
  TF_INT64: number;
  createTensor(shape: number[], dtype: number, values: Int32Array | Float32Array): number;
  deleteTensor(id: number): void;
  executeOp(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputIds: number[],
    numOutputs: number,
  ): unknown[];
}
interface NativeBackend {
  binding: NativeBinding;
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(metadata: unknown): tf.Tensor;
}

function nativeBackend(): NativeBackend | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const be = tf.backend() as unknown as Partial<NativeBackend>;
  return be.binding && be.getInputTensorIds && be.createOutputTensor
    ? (be as NativeBackend)
    : undefined;
}

/**
 * Runs a TensorFlow op whose first input is the int64 scalar `seqLen` (tfjs has no int64 dtype, so
 * the handle is made through the binding, as tfjs-node's Int64Scalar does, and freed right after).
 */
function runWithSeqLen(
  be: NativeBackend,
  op: string,
  attrs: { name: string; type: number; value: unknown }[],
  seqLen: number,
  inputs: tf.Tensor[],
  numOutputs: number,
): tf.Tensor[] {
  const { binding } = be;
  // Little-endian int64: low word, high word (tfjs-node's Int64Scalar makes the same layout).
  const seqId = binding.createTensor([], binding.TF_INT64, new Int32Array([seqLen, 0]));
  try {
    const out = binding.executeOp(op, attrs, [seqId, ...be.getInputTensorIds(inputs)], numOutputs);
    return out.map((m) => be.createOutputTensor(m));
  } finally {
    binding.deleteTensor(seqId);
  }
}

function forwardAttrs(b: NativeBinding) {
  return [
    { name: 'cell_clip', type: b.TF_ATTR_FLOAT, value: 0 },
    { name: 'use_peephole', type: b.TF_ATTR_BOOL, value: false },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
  ];
}

function gradAttrs(b: NativeBinding) {
  return [
    { name: 'use_peephole', type: b.TF_ATTR_BOOL, value: false },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
  ];
}

/** BlockLSTMV2's 7 outputs, in op order. */
const FWD_OUTPUTS = 7;

/**
 * One customGrad over all directions. Inputs x [D, T, B, in], w, u, b, h0, c0; the single output
 * (customGrad allows one) packs [D, T + 1, B, H]: the T outputs h, then the final cell state.
 */
const fusedScan = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, u, b, h0, c0] = args as [
    tf.Tensor4D,
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor3D,
    tf.Tensor3D,
  ];
  const save = args[6] as tf.GradSaveFunc;
  const be = nativeBackend();
  if (!be)
    throw new Error(
      `nativeLstmScan needs the 'tensorflow' (tfjs-node) backend, not '${tf.getBackend()}'`,
    );
  const [d, t, batch, cin] = x.shape;
  const hidden = u.shape[1];
  const zerosH = tf.zeros([hidden]);
  const packed: tf.Tensor[] = [];
  const kept: tf.Tensor[] = [];
  const wu = tf.concat([w, u], 1); // BlockLSTM's w: [x, h] · [in + H, 4H]
  for (let k = 0; k < d; k++) {
    const xk = tf.reshape(tf.slice(x, [k, 0, 0, 0], [1, t, batch, cin]), [t, batch, cin]);
    const wk = tf.reshape(tf.slice(wu, [k, 0, 0], [1, cin + hidden, 4 * hidden]), [
      cin + hidden,
      4 * hidden,
    ]);
    const bk = tf.reshape(tf.slice(b, [k, 0, 0], [1, 1, 4 * hidden]), [4 * hidden]);
    const hk = tf.reshape(tf.slice(h0, [k, 0, 0], [1, batch, hidden]), [batch, hidden]);
    const ck = tf.reshape(tf.slice(c0, [k, 0, 0], [1, batch, hidden]), [batch, hidden]);
    const outs = runWithSeqLen(
      be,
      'BlockLSTMV2',
      forwardAttrs(be.binding),
      t,
      [xk, ck, hk, wk, zerosH, zerosH, zerosH, bk],
      FWD_OUTPUTS,
    );
    const [, cs, , , , , h] = outs;
    packed.push(tf.concat([h, tf.slice(cs, [t - 1, 0, 0], [1, batch, hidden])], 0));
    kept.push(...outs);
  }
  save([x, wu, b, h0, c0, ...kept]);
  return {
    value: tf.stack(packed) as tf.Tensor4D,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const be2 = nativeBackend();
      if (!be2)
        throw new Error(
          `nativeLstmScan's gradient needs the 'tensorflow' backend, not '${tf.getBackend()}'`,
        );
      const [sx, swu, sb, sh0, sc0, ...fwd] = saved;
      const zeros = tf.zeros([hidden]);
      const grads: tf.Tensor[][] = [[], [], [], [], [], []]; // x, w, u, b, h0, c0
      for (let k = 0; k < d; k++) {
        const xk = tf.reshape(tf.slice(sx, [k, 0, 0, 0], [1, t, batch, cin]), [t, batch, cin]);
        const wk = tf.reshape(tf.slice(swu, [k, 0, 0], [1, cin + hidden, 4 * hidden]), [
          cin + hidden,
          4 * hidden,
        ]);
        const bk = tf.reshape(tf.slice(sb, [k, 0, 0], [1, 1, 4 * hidden]), [4 * hidden]);
        const hk = tf.reshape(tf.slice(sh0, [k, 0, 0], [1, batch, hidden]), [batch, hidden]);
        const ck = tf.reshape(tf.slice(sc0, [k, 0, 0], [1, batch, hidden]), [batch, hidden]);
        const dyk = tf.reshape(tf.slice(dy, [k, 0, 0, 0], [1, t + 1, batch, hidden]), [
          t + 1,
          batch,
          hidden,
        ]);
        const hGrad = tf.slice(dyk, [0, 0, 0], [t, batch, hidden]);
        // Only the last cell state is an output of ours; earlier ones get gradient through time.
        const cLast = tf.slice(dyk, [t, 0, 0], [1, batch, hidden]);
        const csGrad = t > 1 ? tf.concat([tf.zeros([t - 1, batch, hidden]), cLast], 0) : cLast;
        const outs = fwd.slice(k * FWD_OUTPUTS, (k + 1) * FWD_OUTPUTS);
        const [dx, dcPrev, dhPrev, dwAll, , , , db] = runWithSeqLen(
          be2,
          'BlockLSTMGradV2',
          gradAttrs(be2.binding),
          t,
          [xk, ck, hk, wk, zeros, zeros, zeros, bk, ...outs, csGrad, hGrad],
          8,
        );
        grads[0].push(dx);
        grads[1].push(tf.slice(dwAll, [0, 0], [cin, 4 * hidden]));
        grads[2].push(tf.slice(dwAll, [cin, 0], [hidden, 4 * hidden]));
        grads[3].push(tf.reshape(db, [1, 4 * hidden]));
        grads[4].push(dhPrev);
        grads[5].push(dcPrev);
      }
      return grads.map((g) => tf.stack(g));
    },
  };
}) as (
  x: tf.Tensor4D,
  w: tf.Tensor3D,
  u: tf.Tensor3D,
  b: tf.Tensor3D,
  h0: tf.Tensor3D,
  c0: tf.Tensor3D,
) => tf.Tensor4D;

/**
 * `lstmScan` (lstm.ts) on TensorFlow's fused BlockLSTMV2 kernels: D directions of an LSTM over
 * time-major inputs. xs: D tensors [T, B, in] (direction d already in its own time order),
 * h0/c0: [D, B, H]. Returns the outputs [D, T, B, H] and the final states [D, B, H].
 * Needs the 'tensorflow' backend; see `nativeLstmAvailable`.
 */
export function nativeLstmScan(
  xs: tf.Tensor3D[],
  wts: LstmWeights,
  h0: tf.Tensor3D,
  c0: tf.Tensor3D,
): { ys: tf.Tensor4D; h: tf.Tensor3D; c: tf.Tensor3D } {
  const [d, , h4] = wts.w.shape;
  const hidden = h4 / 4;
  const [t, b] = xs[0].shape;
  if (xs.length !== d) throw new Error(`nativeLstmScan: ${xs.length} inputs for ${d} directions`);
  if (t < 1) throw new Error('nativeLstmScan: the sequence must have at least one step');
  const packed = fusedScan(tf.stack(xs) as tf.Tensor4D, wts.w, wts.u, wts.b, h0, c0); // [D, T + 1, B, H]
  return {
    ys: tf.slice(packed, [0, 0, 0, 0], [d, t, b, hidden]),
    h: tf.reshape(tf.slice(packed, [0, t - 1, 0, 0], [d, 1, b, hidden]), [d, b, hidden]),
    c: tf.reshape(tf.slice(packed, [0, t, 0, 0], [d, 1, b, hidden]), [d, b, hidden]),
  };
}

const probed = new WeakMap<object, boolean>();

/** True when the active backend is tfjs-node ('tensorflow') and its BlockLSTMV2 kernels run. */
export function nativeLstmAvailable(): boolean {
  const be = nativeBackend();
  if (!be) return false;
  let ok = probed.get(be);
  if (ok === undefined) {
    try {
      ok = tf.tidy(() => {
        const one = tf.ones([1, 1, 1, 1]) as tf.Tensor4D;
        const w = tf.fill([1, 1, 4], 0.5) as tf.Tensor3D;
        const zero = tf.zeros([1, 1, 1]) as tf.Tensor3D;
        const g = tf.grads((x: tf.Tensor) =>
          fusedScan(x as tf.Tensor4D, w, w, w, zero, zero).sum(),
        );
        const [dx] = g([one]);
        // h = σ(1)·tanh(σ(1)·tanh(1)) for x = 1, zero state, all weights and the bias 0.5.
        const s = 1 / (1 + Math.exp(-1));
        const want = s * Math.tanh(s * Math.tanh(1));
        const got = fusedScan(one, w, w, w, zero, zero).dataSync();
        return Math.abs(got[0] - want) < 1e-5 && Number.isFinite(dx.dataSync()[0]);
      });
    } catch {
      ok = false;
    }
    probed.set(be, ok);
  }
  return ok;
}
