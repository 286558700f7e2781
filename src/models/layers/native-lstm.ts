// The LSTM scan of lstm.ts run by TensorFlow's kernels on the native (tfjs-node) backend.
// Forward: at batch 1 (the blog LSTM), `BlockLSTMV2` computes every time step of one direction
// in a single op. With more rows it is not used: its step products go through TensorFlow's BLAS
// path (oneDNN's sgemm), which in this build corrupts the heap when a signal reaches the process
// mid-product (a notebook interrupt, `node --cpu-prof`; a sequence-LSTM training step died after
// ~60 SIGUSR2s, before this change too). `forwardSteps` does the same per step with ops that
// take thousands of signals unharmed: one BatchMatMulV2 for h·U, then elementwise ops.
// Backward: one `LSTMBlockCellGrad` (the gate gradients of one step, elementwise) and one matrix
// product (the recurrent gradient dh_{t-1} = dgates_t · Uᵀ) per step, run on raw TensorFlow
// handles through the binding; then the weight gradients of all steps in one product each.
// TensorFlow's fused `BlockLSTMGradV2` would be one op, but it accumulates the weight gradient
// at every step (a pass over all of [in + H, 4H]) and computes dgates · wᵀ with a strided,
// unvectorised matrix-vector product: 20-28 ms of CPU for the blog LSTM's 128 steps of batch 1.
// This way a whole blog-LSTM training step takes ~23 ms of CPU instead of 43 (2 cores, load ~7,
// same losses to 7 digits over 2 epochs); the sequence LSTM costs about what it did with the
// fused ops, now without the signal hazard.
// Same signature and results as `lstmScan`.
//
// Op contract (tensorflow/core/ops/rnn_ops.cc, kernels/rnn/lstm_ops.cc):
//   BlockLSTMV2(seq_len_max: int64, x [T, B, in], cs_prev [B, H], h_prev [B, H],
//               w [in + H, 4H], wci [H], wcf [H], wco [H], b [4H]; cell_clip, use_peephole, T)
//     → i, cs, f, o, ci, co, h, each [T, B, H]
//   (forwardSteps returns the same 7 outputs.)
//   LSTMBlockCellGrad(x [B, in], cs_prev, h_prev, w, wci, wcf, wco, b, i, cs, f, o, ci, co,
//                     cs_grad, h_grad, each state [B, H]; use_peephole, T)
//     → cs_prev_grad [B, H], dicfo [B, 4H], wci_grad, wcf_grad, wco_grad
//     Elementwise only: x, h_prev, w and b are read for their shapes, not their values.
// V2 uses the IFCO gate layout (i, f, ci, o), which is PyTorch's (i, f, g, o), so our columns need
// no permutation (V1 `BlockLSTM` is ICFO and adds a forget_bias). V2 has no forget_bias, and
// cell_clip ≤ 0 means no clipping. cs is the cell state before tanh, h the output. The cell
// gradient's dicfo is in V1's ICFO order: the recurrent MatMul uses U's columns in that order,
// and the weight gradients, computed in ICFO, have their columns put back in IFCO order.
import * as tf from '@tensorflow/tfjs';
import { LstmScanResult, LstmWeights, scanDims } from './lstm-weights';
import { RawOps, forwardAttrs, nativeBackend, runWithSeqLen } from './native-ops';
import { backwardOneDirection, forwardSteps } from './native-steps';

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
    const outs =
      batch === 1
        ? runWithSeqLen(
            be,
            'BlockLSTMV2',
            forwardAttrs(be.binding),
            t,
            [xk, ck, hk, wk, zerosH, zerosH, zerosH, bk],
            FWD_OUTPUTS,
          )
        : forwardSteps(be, xk, wk, bk, hk, ck);
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
      const grads: tf.Tensor[][] = [[], [], [], [], [], []]; // x, w, u, b, h0, c0
      const ops = new RawOps(be2);
      try {
        const [xId, wuId, bId, h0Id, c0Id, dyId] = be2.getInputTensorIds([
          sx,
          swu,
          sb,
          sh0,
          sc0,
          dy,
        ]);
        // Direction k of a rank-`rank` [D, …] tensor, reshaped to what the ops take.
        const at = (id: number, rank: number, k: number, shape: number[]) =>
          ops.reshape(d === 1 ? id : ops.slice0(id, k, 1, rank), shape);
        for (let k = 0; k < d; k++) {
          const outs = be2.getInputTensorIds(fwd.slice(k * FWD_OUTPUTS, (k + 1) * FWD_OUTPUTS));
          const g = backwardOneDirection(ops, {
            t,
            batch,
            cin,
            hidden,
            x: at(xId, 4, k, [t, batch, cin]),
            wu: at(wuId, 3, k, [cin + hidden, 4 * hidden]),
            b: at(bId, 3, k, [4 * hidden]),
            h0: at(h0Id, 3, k, [batch, hidden]),
            c0: at(c0Id, 3, k, [batch, hidden]),
            outs,
            dy: at(dyId, 4, k, [t + 1, batch, hidden]),
          });
          g.forEach((id, i) => grads[i].push(ops.output(id)));
        }
      } finally {
        ops.free();
      }
      return grads.map((g) => (d === 1 ? tf.expandDims(g[0], 0) : tf.stack(g)));
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
): LstmScanResult {
  const { d, hidden, t, b } = scanDims(xs, wts);
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
