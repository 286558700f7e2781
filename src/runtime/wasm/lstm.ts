// The whole LSTM scan as one wasm kernel each way. Written as tfjs ops, an LSTM costs ~12 kernel
// dispatches per time step forward and more backward; the blog LSTM (128 steps of batch 1 per
// training step) spent 95% of its time there and ran at 4-6% of the backend's matMul speed.
// Here each direction is one kernel call: the input projection of all steps is one XNNPACK GEMM,
// each step one GEMM (h_{t-1} · U) plus a JS pass over the gates, and backward one GEMM per step
// (dgates_t · Uᵀ) plus one GEMM for all the weight gradients at once.
//
// Layout (D directions, T steps, batch B, H hidden; gates in PyTorch's order i, f, g, o):
//   forward  x [D, T, B, in], w [D, in, 4H], u [D, H, 4H], b [D, 1, 4H], h0, c0 [D, B, H]
//            → y [D, T + 1, B, H] (h of every step, then the final c), gates [D, T, B, 4H]
//              (σ(i), σ(f), tanh(g), σ(o)), c [D, T, B, H], tanh(c) [D, T, B, H]
//   backward dy [D, T + 1, B, H] and all of the above → dx, dw, du, db, dh0, dc0
// Sigmoids run on XNNPACK (a JS Math.exp costs ~35 ns); tanh is 2σ(2z) − 1: the g columns of the
// weights are doubled once per call, so one sigmoid over a step's 4H gates gives all four, and
// tanh(c) is σ(2c) the same way. That tanh is accurate to ~1e-7 absolute, not relative.
//
// `lstmScanKernels()` registers both for the wasm backend (patchWasmKernels does); the LSTM layers
// use them through `wasmLstmScan` when `wasmLstmAvailable()`.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
/** The weights of an LSTM as the scan takes them (the same layout as models/layers/lstm-weights.ts). */
type LstmWeights = { w: tf.Tensor3D; u: tf.Tensor3D; b: tf.Tensor3D };
import {
  type BackendWasm,
  type KernelArgs,
  alloc,
  ctxFor,
  dataOf,
  free,
  heapF32,
  rawTranspose,
  unview,
  view,
} from './heap';
import {
  addRows,
  cellStep,
  copyDoublingG,
  dimsOf,
  gateGrads,
  gatherRows,
  gemm,
  outputStep,
  sigmoidAt,
  sigmoidOf,
} from './lstm-steps';

export const LSTM_SCAN = 'ExploringAttentionLstmScan';
export const LSTM_SCAN_GRAD = 'ExploringAttentionLstmScanGrad';

function lstmForward(args: KernelArgs): TensorInfo[] {
  const backend = args.backend as unknown as BackendWasm;
  const { x, w, u, b, h0, c0 } = args.inputs as Record<string, TensorInfo>;
  const { d, t, batch: B, cin, hidden: H } = dimsOf(x, u);
  const G = 4 * H;
  const ctx = ctxFor(backend);
  const sig = sigmoidOf(backend);
  const y = backend.makeOutput([d, t + 1, B, H], 'float32');
  const gates = backend.makeOutput([d, t, B, G], 'float32');
  const cs = backend.makeOutput([d, t, B, H], 'float32');
  const tcs = backend.makeOutput([d, t, B, H], 'float32');
  // A narrow input (the sequence LSTM's 1 channel) is folded into each step's GEMM: one GEMM
  // [x_t, h_{t-1}, 1] · [w; u; b] writes the gates, instead of h·u into scratch plus a JS pass
  // adding it to the precomputed x·w + b (that pass cost more than the JS gate math).
  const fold = cin + 1 <= H / 8;
  // Scratch: the weights [w; u; b] with their g columns doubled; one step's h·u (or, folding,
  // its [x_t, h_{t-1}, 1]); and 2c.
  const w2 = alloc(ctx, [cin + H + 1, G]);
  const rec = alloc(ctx, [B, Math.max(G, cin + H + 1)]);
  const c2 = alloc(ctx, [B, H]);
  try {
    const o = (info: TensorInfo) => dataOf(ctx, info).memoryOffset; // byte offsets, re-read after
    for (let k = 0; k < d; k++) {
      // w2 rows: in rows of w, H rows of u, then the bias; g columns ×2.
      const W2 = o(w2) >>> 2;
      copyDoublingG(heapF32(ctx), (o(w) >>> 2) + k * cin * G, W2, cin, H);
      copyDoublingG(heapF32(ctx), (o(u) >>> 2) + k * H * G, W2 + cin * G, H, H);
      copyDoublingG(heapF32(ctx), (o(b) >>> 2) + k * G, W2 + (cin + H) * G, 1, H);
      const gk = o(gates) + k * t * B * G * 4;
      const ck = o(cs) + k * t * B * H * 4;
      const tk = o(tcs) + k * t * B * H * 4;
      const yk = o(y) + k * (t + 1) * B * H * 4;
      const xk = o(x) + k * t * B * cin * 4;
      // Fresh ids: XNNPACK caches the packed weights per id, and these change every call.
      const wId = view(ctx, o(w2), (fold ? cin + H + 1 : cin) * G);
      const uId = fold ? wId : view(ctx, o(w2) + cin * G * 4, H * G);
      // Without folding, the input projection of every step is one GEMM into the gates buffer.
      if (!fold) gemm(ctx, xk, t * B, cin, wId, G, gk);
      for (let s = 0; s < t; s++) {
        const hPrev = s === 0 ? o(h0) + k * B * H * 4 : yk + (s - 1) * B * H * 4;
        const g0 = (gk >>> 2) + s * B * G;
        if (fold) {
          // gates_t = [x_t, h_{t-1}, 1] · [w; u; b] in one GEMM.
          const K = cin + H + 1;
          gatherRows(heapF32(ctx), (xk >>> 2) + s * B * cin, hPrev >>> 2, o(rec) >>> 2, B, cin, H);
          gemm(ctx, o(rec), B, K, wId, G, gk + s * B * G * 4);
        } else {
          gemm(ctx, hPrev, B, H, uId, G, o(rec));
          // (heapF32 after every wasm call: XNNPACK may have grown, and so replaced, the heap.)
          addRows(heapF32(ctx), g0, o(rec) >>> 2, W2 + (cin + H) * G, B, G);
        }
        sigmoidAt(ctx, sig, gk + s * B * G * 4, B * G);
        const cPrev = s === 0 ? (o(c0) >>> 2) + k * B * H : (ck >>> 2) + (s - 1) * B * H;
        const cNow = (ck >>> 2) + s * B * H;
        cellStep(heapF32(ctx), g0, cPrev, cNow, o(c2) >>> 2, B, H);
        sigmoidAt(ctx, sig, o(c2), B * H);
        const tNow = (tk >>> 2) + s * B * H;
        const hNow = (yk >>> 2) + s * B * H;
        outputStep(heapF32(ctx), g0, o(c2) >>> 2, tNow, hNow, B, H);
      }
      const last = (ck >>> 2) + (t - 1) * B * H;
      heapF32(ctx).copyWithin((yk >>> 2) + t * B * H, last, last + B * H); // the final c
      if (uId !== wId) unview(ctx, uId);
      unview(ctx, wId);
    }
    return [y, gates, cs, tcs];
  } finally {
    free(ctx, w2);
    free(ctx, rec);
    free(ctx, c2);
  }
}

function lstmBackward(args: KernelArgs): TensorInfo[] {
  const backend = args.backend as unknown as BackendWasm;
  const ins = args.inputs as Record<string, TensorInfo>;
  const { dy, x, w, u, h0, c0, y, gates, cs, tcs } = ins;
  const { d, t, batch: B, cin, hidden: H } = dimsOf(x, u);
  const G = 4 * H;
  const TB = t * B;
  const ctx = ctxFor(backend);
  const dx = backend.makeOutput([d, t, B, cin], 'float32');
  const dw = backend.makeOutput([d, cin, G], 'float32');
  const du = backend.makeOutput([d, H, G], 'float32');
  const db = backend.makeOutput([d, 1, G], 'float32');
  const dh0 = backend.makeOutput([d, B, H], 'float32');
  const dc0 = backend.makeOutput([d, B, H], 'float32');
  // Scratch: dgates of all steps; Uᵀ and wᵀ; [x, h_prev, 1]ᵀ; the weight gradients stacked
  // ([in + H + 1, 4H]: dw, du, db); the running dh and dc.
  const dg = alloc(ctx, [TB, G]);
  const uT = alloc(ctx, [G, H]);
  const wT = alloc(ctx, [G, cin]);
  const xh1 = alloc(ctx, [cin + H + 1, TB]);
  const dwub = alloc(ctx, [cin + H + 1, G]);
  const dh = alloc(ctx, [B, H]);
  const dc = alloc(ctx, [B, H]);
  try {
    const o = (info: TensorInfo) => dataOf(ctx, info).memoryOffset;
    /** Transposes a [rows, cols] block at `src` (bytes) into `dst` (bytes). */
    const transpose = (src: number, rows: number, cols: number, dst: number) => {
      const sId = view(ctx, src, rows * cols);
      const dId = view(ctx, dst, rows * cols);
      rawTranspose(ctx, { id: sId, memoryOffset: src }, [rows, cols], [1, 0], {
        id: dId,
        memoryOffset: dst,
      });
      unview(ctx, dId);
      unview(ctx, sId);
    };
    for (let k = 0; k < d; k++) {
      const gk = (o(gates) >>> 2) + k * TB * G;
      const ck = (o(cs) >>> 2) + k * TB * H;
      const tk = (o(tcs) >>> 2) + k * TB * H;
      const yk = o(y) + k * (t + 1) * B * H * 4; // bytes
      const dyk = (o(dy) >>> 2) + k * (t + 1) * B * H;
      transpose(o(u) + k * H * G * 4, H, G, o(uT));
      const uTId = view(ctx, o(uT), G * H);
      let heap = heapF32(ctx);
      const DH = o(dh) >>> 2;
      const DC = o(dc) >>> 2;
      heap.fill(0, DH, DH + B * H);
      heap.copyWithin(DC, dyk + t * B * H, dyk + (t + 1) * B * H); // d(final c)
      const c0k = (o(c0) >>> 2) + k * B * H;
      for (let s = t - 1; s >= 0; s--) {
        const cPrev = s === 0 ? c0k : ck + (s - 1) * B * H;
        gateGrads(heapF32(ctx), {
          g0: gk + s * B * G,
          d0: (o(dg) >>> 2) + s * B * G,
          cPrev,
          tc0: tk + s * B * H,
          dy0: dyk + s * B * H,
          dh: DH,
          dc: DC,
          B,
          H,
        });
        gemm(ctx, o(dg) + s * B * G * 4, B, G, uTId, H, o(dh)); // dh_{t-1} = dgates_t · Uᵀ
      }
      unview(ctx, uTId);
      heap = heapF32(ctx);
      heap.copyWithin((o(dh0) >>> 2) + k * B * H, DH, DH + B * H);
      heap.copyWithin((o(dc0) >>> 2) + k * B * H, DC, DC + B * H);
      // [x, h_prev, 1]ᵀ · dgates = [dw; du; db] in one GEMM.
      transpose(o(x) + k * TB * cin * 4, TB, cin, o(xh1));
      const hRows = o(xh1) + cin * TB * 4;
      // h_prev of step s is h0 for s = 0, else y[s − 1]: transpose [h0; y[0..T−2]] as [TB, H].
      const hp = alloc(ctx, [TB, H]);
      try {
        heap = heapF32(ctx);
        const HP = o(hp) >>> 2;
        const h0k = (o(h0) >>> 2) + k * B * H;
        heap.copyWithin(HP, h0k, h0k + B * H);
        heap.copyWithin(HP + B * H, yk >>> 2, (yk >>> 2) + (t - 1) * B * H);
        transpose(o(hp), TB, H, hRows);
      } finally {
        free(ctx, hp);
      }
      heap = heapF32(ctx);
      const ones = (o(xh1) >>> 2) + (cin + H) * TB;
      heap.fill(1, ones, ones + TB);
      const dgId = view(ctx, o(dg), TB * G);
      gemm(ctx, o(xh1), cin + H + 1, TB, dgId, G, o(dwub));
      unview(ctx, dgId);
      heap = heapF32(ctx);
      const R = o(dwub) >>> 2;
      heap.copyWithin((o(dw) >>> 2) + k * cin * G, R, R + cin * G);
      heap.copyWithin((o(du) >>> 2) + k * H * G, R + cin * G, R + (cin + H) * G);
      heap.copyWithin((o(db) >>> 2) + k * G, R + (cin + H) * G, R + (cin + H + 1) * G);
      // dx = dgates · wᵀ
      transpose(o(w) + k * cin * G * 4, cin, G, o(wT));
      const wTId = view(ctx, o(wT), G * cin);
      gemm(ctx, o(dg), TB, G, wTId, cin, o(dx) + k * TB * cin * 4);
      unview(ctx, wTId);
    }
    return [dx, dw, du, db, dh0, dc0];
  } finally {
    for (const s of [dg, uT, wT, xh1, dwub, dh, dc]) free(ctx, s);
  }
}

/** The two kernels, for patchWasmKernels to register. */
export function lstmScanKernels(): { name: string; fn: (args: KernelArgs) => TensorInfo[] }[] {
  return [
    { name: LSTM_SCAN, fn: lstmForward },
    { name: LSTM_SCAN_GRAD, fn: lstmBackward },
  ];
}

/** Whether the active backend has the whole-sequence LSTM kernels. */
export function wasmLstmAvailable(): boolean {
  return tf.getKernel(LSTM_SCAN, tf.getBackend()) !== undefined;
}

/** One customGrad over the two kernels; the single output packs [D, T + 1, B, H] as above. */
const kernelScan = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, u, b, h0, c0] = args as tf.Tensor[];
  const save = args[6] as tf.GradSaveFunc;
  const [y, gates, cs, tcs] = tf
    .engine()
    .runKernel(LSTM_SCAN, { x, w, u, b, h0, c0 }) as tf.Tensor[];
  save([x, w, u, b, h0, c0, y, gates, cs, tcs]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw, su, sb, sh0, sc0, sy, sg, scs, stcs] = saved;
      return tf.engine().runKernel(LSTM_SCAN_GRAD, {
        dy,
        x: sx,
        w: sw,
        u: su,
        b: sb,
        h0: sh0,
        c0: sc0,
        y: sy,
        gates: sg,
        cs: scs,
        tcs: stcs,
      }) as tf.Tensor[];
    },
  };
});

/**
 * `lstmScan` (models/layers/lstm.ts) as one wasm kernel call each way: D directions over
 * time-major inputs xs: D × [T, B, in], h0/c0 [D, B, H] → outputs [D, T, B, H], final states.
 */
export function wasmLstmScan(
  xs: tf.Tensor3D[],
  wts: LstmWeights,
  h0: tf.Tensor3D,
  c0: tf.Tensor3D,
): { ys: tf.Tensor4D; h: tf.Tensor3D; c: tf.Tensor3D } {
  const [d, , h4] = wts.w.shape;
  const hidden = h4 / 4;
  const [t, b] = xs[0].shape;
  const packed = kernelScan(tf.stack(xs), wts.w, wts.u, wts.b, h0, c0) as tf.Tensor4D;
  return {
    ys: tf.slice(packed, [0, 0, 0, 0], [d, t, b, hidden]),
    h: tf.reshape(tf.slice(packed, [0, t - 1, 0, 0], [d, 1, b, hidden]), [d, b, hidden]),
    c: tf.reshape(tf.slice(packed, [0, t, 0, 0], [d, 1, b, hidden]), [d, b, hidden]),
  };
}
