// The steps of the native LSTM scan that run one direction at a time: the gate-column swap
// between PyTorch's and TensorFlow's orders, the forward per step for batches above one, and
// the backward pass of one direction (used by native-lstm.ts's custom gradient).
import * as tf from '@tensorflow/tfjs';
import { NativeBackend, RawOps } from './native-ops';

/** Column order that takes IFCO-ordered gate columns to ICFO (and, applied to ICFO, back). */
export function swapGates(hidden: number): number[] {
  const block = (k: number) => Array.from({ length: hidden }, (_, j) => k * hidden + j);
  return [...block(0), ...block(2), ...block(1), ...block(3)];
}

/**
 * Back-propagates one direction. Handles: x [T, B, in], wu [in + H, 4H] (IFCO), b [4H],
 * h0/c0 [B, H], outs = BlockLSTMV2's 7 outputs, dy [T + 1, B, H] (dh of the T outputs, then dc of
 * the final cell state). Returns handles of dx [T, B, in], dw [in, 4H], du [H, 4H], db [1, 4H],
 * dh0 [B, H], dc0 [B, H].
 */
export function backwardOneDirection(
  ops: RawOps,
  a: {
    t: number;
    batch: number;
    cin: number;
    hidden: number;
    x: number;
    wu: number;
    b: number;
    h0: number;
    c0: number;
    outs: number[];
    dy: number;
  },
): number[] {
  const { t, batch, cin, hidden } = a;
  const swap = swapGates(hidden);
  // Uᵀ with its rows in ICFO order: dh_{t-1} = dicfo_t · Uᵀ, [B, 4H] · [4H, H].
  const u = ops.slice0(a.wu, cin, hidden, 2); // [H, 4H], IFCO columns
  const uT = ops.transpose2(ops.gather(u, swap, 1)); // [4H, H], ICFO rows
  const [iS, csS, fS, oS, ciS, coS] = a.outs.slice(0, 6).map((id) => ops.unpack(id, t));
  const hGrad = ops.unpack(ops.slice0(a.dy, 0, t, 3), t); // T × [B, H]
  let csGrad = ops.reshape(ops.slice0(a.dy, t, 1, 3), [batch, hidden]);
  // The cell gradient reads x, h_prev, w and b for their shapes only (see the header).
  const xShape = ops.reshape(ops.slice0(a.x, 0, 1, 3), [batch, cin]);
  const zerosH = ops.zeros(hidden); // the unused peephole weights
  const cellAttrs = [ops.bool('use_peephole', false), ops.T];
  const dicfo: number[] = new Array<number>(t);
  let dhRec: number | undefined;
  for (let s = t - 1; s >= 0; s--) {
    const hg = dhRec === undefined ? hGrad[s] : ops.add(hGrad[s], dhRec);
    const csPrev = s > 0 ? csS[s - 1] : a.c0;
    const [dcsPrev, dg] = ops.run(
      'LSTMBlockCellGrad',
      cellAttrs,
      [
        xShape,
        csPrev,
        a.h0,
        a.wu,
        zerosH,
        zerosH,
        zerosH,
        a.b,
        iS[s],
        csS[s],
        fS[s],
        oS[s],
        ciS[s],
        coS[s],
        csGrad,
        hg,
      ],
      5,
    );
    dicfo[s] = dg;
    csGrad = dcsPrev;
    dhRec = batch === 1 ? ops.rowTimesMatrix(dg, uT) : ops.matMul(dg, uT);
  }
  // All steps at once, still in ICFO order (a column permutation of all of dgates cost more
  // than the rest of the backward pass): one MatMul per weight, whose small results are then
  // permuted back to IFCO.
  const dg = ops.reshape(ops.pack(dicfo), [t * batch, 4 * hidden]); // [T·B, 4H], ICFO
  const x2 = ops.reshape(a.x, [t * batch, cin]);
  const hPrev =
    t === 1
      ? a.h0
      : ops.concat0([
          a.h0,
          ops.reshape(ops.slice0(a.outs[6], 0, t - 1, 3), [(t - 1) * batch, hidden]),
        ]);
  const wIcfo = ops.gather(ops.slice0(a.wu, 0, cin, 2), swap, 1); // [in, 4H]
  return [
    ops.reshape(ops.matMul(dg, wIcfo, false, true), [t, batch, cin]), // dx = dg · wᵀ
    ops.gather(ops.matMul(x2, dg, true, false), swap, 1), // dw = xᵀ · dg
    ops.gather(ops.matMul(hPrev, dg, true, false), swap, 1), // du = h_prevᵀ · dg
    ops.reshape(ops.gather(ops.sum0(dg), swap, 0), [1, 4 * hidden]), // db
    dhRec!, // dh0
    csGrad, // dc0
  ];
}

/**
 * BlockLSTMV2's seven outputs for one direction with more than one row, from ops that stay
 * sound when a signal arrives: BlockLSTMV2 does its step products through TensorFlow's BLAS
 * path (oneDNN's sgemm), which corrupts the heap under signals when the batch has several rows
 * (see RawOps.matMul; a sequence-LSTM training step died after ~60 SIGUSR2s). Per step: one
 * BatchMatMulV2 for h·U, then the gates, c and h as elementwise ops. x [T, B, in], w [in + H, 4H],
 * b [4H], h0/c0 [B, H] (tfjs tensors); returns i, cs, f, o, ci, co, h, each [T, B, H].
 */
export function forwardSteps(
  be: NativeBackend,
  x: tf.Tensor,
  wu: tf.Tensor,
  b: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
): tf.Tensor[] {
  const [t, batch, cin] = x.shape;
  const [rows, g4] = wu.shape;
  const hidden = rows - cin;
  const ops = new RawOps(be);
  try {
    const [xId, wuId, bId, h0Id, c0Id] = be.getInputTensorIds([x, wu, b, h0, c0]);
    const w = ops.slice0(wuId, 0, cin, 2); // [in, 4H]
    const u = ops.slice0(wuId, cin, hidden, 2); // [H, 4H]
    // x·w + b for every step at once: [T·B, in] · [in, 4H] → T × [B, 4H].
    const xw = ops.add(ops.matMul(ops.reshape(xId, [t * batch, cin]), w), bId);
    const steps = ops.unpack(ops.reshape(xw, [t, batch, g4]), t);
    const outs: number[][] = [[], [], [], [], [], [], []]; // i, cs, f, o, ci, co, h
    let h = h0Id;
    let c = c0Id;
    for (let s = 0; s < t; s++) {
      const [zi, zf, zg, zo] = ops.split1(ops.add(steps[s], ops.matMul(h, u)), 4);
      const i = ops.unary('Sigmoid', zi);
      const f = ops.unary('Sigmoid', zf);
      const g = ops.unary('Tanh', zg);
      const o = ops.unary('Sigmoid', zo);
      c = ops.add(ops.mul(f, c), ops.mul(i, g));
      const co = ops.unary('Tanh', c);
      h = ops.mul(o, co);
      [i, c, f, o, g, co, h].forEach((id, k) => outs[k].push(id));
    }
    return outs.map((l) => ops.output(ops.pack(l)));
  } finally {
    ops.free();
  }
}
