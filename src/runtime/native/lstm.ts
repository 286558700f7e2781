// The LSTM scan on TensorFlow's fused LSTM kernels (tfjs-node), as one `tf.customGrad`. It has
// the same inputs and results as the reference scan in models/layers/lstm.ts, which the layers use
// on any other backend; a test holds the two together.
//
// Why: per-step tfjs ops cost a dispatch each, and at the blog LSTM's batch of one that is most
// of the time. Here the forward at batch 1 is ONE op for all steps (`BlockLSTMV2`); the backward
// is one `LSTMBlockCellGrad` (the gate gradients of a step, elementwise) and one product
// (dh_{t-1} = dgates_t · Uᵀ) per step, then the weight gradients of all steps in one product
// each. TensorFlow's fused `BlockLSTMGradV2` would be one op, but it accumulates the weight
// gradients at every step and was slower (20-28 ms against ~5 for the blog LSTM's 128 steps).
//
// Batches above one row never reach `BlockLSTMV2` or `MatMul`: both run their products through
// oneDNN 3.5's f32 sgemm (bundled with TensorFlow 2.18), whose generated code points the stack
// pointer into a malloc'd buffer, so a handled signal arriving mid-product (Jupyter's interrupt,
// SIGINT; `node --cpu-prof`'s SIGPROF; SIGWINCH in a terminal) writes its frame over the heap's
// bookkeeping and the process aborts ("corrupted size vs. prev_size"; oneDNN issue #4845, fixed in
// oneDNN 3.11.2). One-row products take oneDNN's matrix-vector path and `BatchMatMulV2` its newer
// primitive, neither of which moves the stack. So the forward above one row is `forwardSteps`:
// per step one BatchMatMulV2 (tfjs's matMul) and elementwise ops.
//
// Op contract (tensorflow/core/ops/rnn_ops.cc, kernels/rnn/lstm_ops.cc):
//   BlockLSTMV2(seq_len_max: int64, x [T, B, in], cs_prev [B, H], h_prev [B, H],
//               w [in + H, 4H], wci [H], wcf [H], wco [H], b [4H]; cell_clip, use_peephole, T)
//     → i, cs, f, o, ci, co, h, each [T, B, H]
//   LSTMBlockCellGrad(x [B, in], cs_prev, h_prev, w, wci, wcf, wco, b, i, cs, f, o, ci, co,
//                     cs_grad, h_grad; use_peephole, T)
//     → cs_prev_grad [B, H], dicfo [B, 4H], wci_grad, wcf_grad, wco_grad
//     Elementwise: x, h_prev, w and b are read for their shapes only.
// V2's gate order is (i, f, ci, o), PyTorch's (i, f, g, o), so the weights go in as they are, and
// cell_clip 0 means no clipping. The cell gradient's dicfo is in V1's order (i, ci, f, o).
import * as tf from '@tensorflow/tfjs';
import { TfOps, tensorflowBackend } from './ops';

/** The weights an LSTM scan reads, for D directions. */
export interface LstmWeights {
  /** [directions, in, 4·hidden] */
  w: tf.Tensor3D;
  /** [directions, hidden, 4·hidden] */
  u: tf.Tensor3D;
  /** [directions, 1, 4·hidden]: the sum of PyTorch's b_ih and b_hh. */
  b: tf.Tensor3D;
}

/** What a scan returns: the outputs [D, T, B, H] and the final states h, c [D, B, H]. */
export interface LstmScanResult {
  ys: tf.Tensor4D;
  h: tf.Tensor3D;
  c: tf.Tensor3D;
}

/** A scan's sizes from its inputs (D × [T, B, in]) and weights: D, hidden, T, B and in. */
export function scanDims(xs: tf.Tensor3D[], wts: LstmWeights) {
  const [d, , h4] = wts.w.shape;
  const [t, b, cin] = xs[0].shape;
  return { d, hidden: h4 / 4, t, b, cin };
}

/** BlockLSTMV2's outputs: i, cs, f, o, ci, co, h. */
const FWD_OUTPUTS = 7;

/** Swaps the middle two gate blocks of the last axis: (i, f, g, o) ↔ (i, g, f, o). */
function swapGates(m: tf.Tensor2D): tf.Tensor2D {
  const [rows, g4] = m.shape;
  return tf.gather(tf.reshape(m, [rows, 4, g4 / 4]), [0, 2, 1, 3], 1).reshape([rows, g4]);
}

/** Direction k of a [D, …] tensor. */
function dir(x: tf.Tensor, k: number): tf.Tensor {
  return tf.squeeze(tf.slice(x, k, 1), [0]);
}

function ops(): TfOps {
  const be = tensorflowBackend();
  if (!be) throw new Error(`the native LSTM needs tfjs-node, not the '${tf.getBackend()}' backend`);
  return new TfOps(be);
}

/**
 * One customGrad over all directions. Inputs x [D, T, B, in], w, u, b, h0, c0; the one output
 * (customGrad allows one) packs [D, T + 1, B, H]: the T outputs h, then the final cell state.
 */
const fusedScan = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, u, b, h0, c0] = args as tf.Tensor[];
  const save = args[6] as tf.GradSaveFunc;
  const op = ops();
  const [d, t, batch] = x.shape;
  const hidden = u.shape[1]!;
  const zerosH = tf.zeros([hidden]); // the unused peephole weights
  const seqLen = op.int64Scalar(t);
  const packed: tf.Tensor[] = [];
  const kept: tf.Tensor[] = [];
  for (let k = 0; k < d; k++) {
    const [xk, wk, uk, bk] = [dir(x, k), dir(w, k), dir(u, k), tf.reshape(dir(b, k), [4 * hidden])];
    const outs =
      batch === 1
        ? op.run(
            'BlockLSTMV2',
            [op.float('cell_clip', 0), op.bool('use_peephole', false), op.T],
            [
              seqLen,
              xk,
              dir(c0, k),
              dir(h0, k),
              tf.concat([wk, uk], 0),
              zerosH,
              zerosH,
              zerosH,
              bk,
            ],
            FWD_OUTPUTS,
          )
        : forwardSteps(op, xk, wk, uk, bk, dir(h0, k), dir(c0, k));
    const [, cs, , , , , h] = outs;
    packed.push(tf.concat([h, tf.slice(cs, t - 1, 1)], 0));
    kept.push(...outs);
  }
  seqLen.dispose();
  save([x, w, u, b, h0, c0, ...kept]);
  return {
    value: tf.stack(packed) as tf.Tensor4D,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw, su, sb, sh0, sc0, ...fwd] = saved;
      const grads: tf.Tensor[][] = [[], [], [], [], [], []]; // x, w, u, b, h0, c0
      for (let k = 0; k < d; k++) {
        const one = backward(ops(), {
          x: dir(sx, k) as tf.Tensor3D,
          w: dir(sw, k) as tf.Tensor2D,
          u: dir(su, k) as tf.Tensor2D,
          b: tf.reshape(dir(sb, k), [4 * hidden]) as tf.Tensor1D,
          h0: dir(sh0, k) as tf.Tensor2D,
          c0: dir(sc0, k) as tf.Tensor2D,
          outs: fwd.slice(k * FWD_OUTPUTS, (k + 1) * FWD_OUTPUTS),
          dy: dir(dy, k) as tf.Tensor3D,
        });
        one.forEach((g, i) => grads[i].push(g));
      }
      return grads.map((g) => tf.stack(g));
    },
  };
}) as (...xs: tf.Tensor[]) => tf.Tensor4D;

/**
 * BlockLSTMV2's seven outputs (i, cs, f, o, ci, co, h, each [T, B, H]) for one direction, step by
 * step with ops that keep the stack where it is (see the header). x [T, B, in], w [in, 4H],
 * u [H, 4H], b [4H], h0/c0 [B, H].
 */
function forwardSteps(
  op: TfOps,
  x: tf.Tensor,
  w: tf.Tensor,
  u: tf.Tensor,
  b: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
): tf.Tensor[] {
  const [t, batch, cin] = x.shape;
  const g4 = w.shape[1]!;
  // x·w + b for every step at once: [T·B, in] · [in, 4H] → T × [B, 4H].
  const xw = op.unpack(
    tf.reshape(tf.add(tf.matMul(tf.reshape(x, [t * batch, cin]), w), b), [t, batch, g4]),
    t,
  );
  const outs: tf.Tensor[][] = [[], [], [], [], [], [], []]; // i, cs, f, o, ci, co, h
  let h = h0;
  let c = c0;
  for (let s = 0; s < t; s++) {
    const [zi, zf, zg, zo] = tf.split(tf.add(xw[s], tf.matMul(h, u)), 4, 1);
    const [i, f, g, o] = [tf.sigmoid(zi), tf.sigmoid(zf), tf.tanh(zg), tf.sigmoid(zo)];
    c = tf.add(tf.mul(f, c), tf.mul(i, g));
    const co = tf.tanh(c);
    h = tf.mul(o, co);
    [i, c, f, o, g, co, h].forEach((v, k) => outs[k].push(v));
  }
  return outs.map((steps) => tf.stack(steps));
}

/**
 * Back-propagates one direction: x [T, B, in], w [in, 4H], u [H, 4H], b [4H], h0/c0 [B, H], outs
 * = BlockLSTMV2's outputs, dy [T + 1, B, H] (dh of the T outputs, then dc of the final cell
 * state). Returns dx [T, B, in], dw [in, 4H], du [H, 4H], db [1, 4H], dh0 [B, H], dc0 [B, H].
 */
function backward(
  op: TfOps,
  a: {
    x: tf.Tensor3D;
    w: tf.Tensor2D;
    u: tf.Tensor2D;
    b: tf.Tensor1D;
    h0: tf.Tensor2D;
    c0: tf.Tensor2D;
    outs: tf.Tensor[];
    dy: tf.Tensor3D;
  },
): tf.Tensor[] {
  const [t, batch, cin] = a.x.shape;
  const hidden = a.u.shape[0];
  const uIcfo = swapGates(a.u); // [H, 4H], columns in dicfo's order
  const wu = tf.concat([a.w, a.u], 0); // read for its shape only
  const xShape = tf.reshape(tf.slice(a.x, 0, 1), [batch, cin]); // read for its shape only
  const zerosH = tf.zeros([hidden]);
  const [iS, csS, fS, oS, ciS, coS] = a.outs.slice(0, 6).map((o) => op.unpack(o, t)); // T × [B, H]
  const hGrad = op.unpack(tf.slice(a.dy, 0, t), t);
  let csGrad = tf.reshape(tf.slice(a.dy, t, 1), [batch, hidden]);
  const attrs = [op.bool('use_peephole', false), op.T];
  const dicfo = new Array<tf.Tensor>(t);
  let dhRec: tf.Tensor | undefined;
  for (let s = t - 1; s >= 0; s--) {
    const hg = dhRec === undefined ? hGrad[s] : op.add(hGrad[s], dhRec);
    const csPrev = s > 0 ? csS[s - 1] : a.c0;
    const [dcsPrev, dg, ...peepholes] = op.run(
      'LSTMBlockCellGrad',
      attrs,
      [xShape, csPrev, a.h0, wu, zerosH, zerosH, zerosH, a.b]
        .concat([iS[s], csS[s], fS[s], oS[s], ciS[s], coS[s]])
        .concat([csGrad, hg]),
      5,
    );
    tf.dispose(peepholes);
    dicfo[s] = dg;
    csGrad = dcsPrev;
    dhRec = op.matMul(dg, uIcfo, true); // [B, 4H] · [H, 4H]ᵀ → [B, H]
  }
  // All steps at once, back in PyTorch's gate order: [T·B, 4H].
  const dg = swapGates(tf.reshape(tf.stack(dicfo), [t * batch, 4 * hidden]));
  const x2 = tf.reshape(a.x, [t * batch, cin]);
  const h = a.outs[6];
  const hPrev =
    t === 1
      ? a.h0
      : tf.concat([a.h0, tf.reshape(tf.slice(h, 0, t - 1), [(t - 1) * batch, hidden])]);
  return [
    tf.reshape(tf.matMul(dg, a.w, false, true), [t, batch, cin]), // dx = dg · wᵀ
    tf.matMul(x2, dg, true, false), // dw = xᵀ · dg
    tf.matMul(hPrev, dg, true, false), // du = h_prevᵀ · dg
    tf.sum(dg, 0, true), // db
    dhRec!, // dh0
    csGrad, // dc0
  ];
}

/** True when the native scan can run: tfjs-node is the active backend. */
export function nativeLstmAvailable(): boolean {
  return tensorflowBackend() !== undefined;
}

/**
 * D directions of an LSTM over time-major inputs on TensorFlow's kernels. xs: D tensors [T, B, in]
 * (direction d already in its own time order), h0/c0: [D, B, H]. Returns the outputs
 * [D, T, B, H] and the final states [D, B, H].
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
  const packed = fusedScan(tf.stack(xs), wts.w, wts.u, wts.b, h0, c0); // [D, T + 1, B, H]
  return {
    ys: tf.slice(packed, [0, 0, 0, 0], [d, t, b, hidden]),
    h: tf.reshape(tf.slice(packed, [0, t - 1, 0, 0], [d, 1, b, hidden]), [d, b, hidden]),
    c: tf.reshape(tf.slice(packed, [0, t, 0, 0], [d, 1, b, hidden]), [d, b, hidden]),
  };
}
