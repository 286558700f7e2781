// The pieces of the wasm LSTM kernels (lstm.ts): sigmoid and GEMM on XNNPACK, moving rows on the
// wasm heap, and one time step forward (cell and output) and backward (the gate gradients).
import type { TensorInfo } from '@tensorflow/tfjs';
import { type BackendWasm, type Ctx, type WasmModule, unview, view, xnnMatMul } from './heap';

export type Sigmoid = (xId: number, outId: number) => void;

export function sigmoidOf(backend: BackendWasm): Sigmoid {
  const w = backend.wasm as WasmModule & { _Sigmoid?: Sigmoid };
  if (typeof w._Sigmoid !== 'function') throw new Error('wasm LSTM: the backend has no _Sigmoid');
  return w._Sigmoid.bind(w);
}

/** In-place sigmoid of `n` floats at byte offset `at`. */
export function sigmoidAt(ctx: Ctx, sig: Sigmoid, at: number, n: number): void {
  const id = view(ctx, at, n);
  sig(id, id);
  unview(ctx, id);
}

/** out[M, N] = a[M, K] · b[K, N] on float offsets (bytes); `bId` may be a cached weights view. */
export function gemm(
  ctx: Ctx,
  a: number,
  M: number,
  K: number,
  bId: number,
  N: number,
  out: number,
) {
  const aId = view(ctx, a, M * K);
  const oId = view(ctx, out, M * N);
  xnnMatMul(ctx, aId, M, K, bId, N, oId);
  unview(ctx, oId);
  unview(ctx, aId);
}

export interface Dims {
  d: number;
  t: number;
  batch: number;
  cin: number;
  hidden: number;
}

export function dimsOf(x: TensorInfo, u: TensorInfo): Dims {
  const [d, t, batch, cin] = x.shape;
  return { d, t, batch, cin, hidden: u.shape[1] };
}

/** Copies `rows` rows of 4H gate columns from `src` to `dst` (float indices), doubling g's. */
export function copyDoublingG(
  heap: Float32Array,
  src: number,
  dst: number,
  rows: number,
  H: number,
) {
  const G = 4 * H;
  heap.copyWithin(dst, src, src + rows * G);
  for (let r = 0; r < rows; r++) {
    const row = dst + r * G;
    for (let j = 2 * H; j < 3 * H; j++) heap[row + j] *= 2;
  }
}

/** Rows [x_n, h_n, 1] for n < B into `dst` (float indices). */
export function gatherRows(
  heap: Float32Array,
  x0: number,
  h0: number,
  dst: number,
  B: number,
  cin: number,
  H: number,
) {
  const K = cin + H + 1;
  for (let n = 0; n < B; n++) {
    const row = dst + n * K;
    heap.copyWithin(row, x0 + n * cin, x0 + (n + 1) * cin);
    heap.copyWithin(row + cin, h0 + n * H, h0 + (n + 1) * H);
    heap[row + cin + H] = 1;
  }
}

/** gates[n, :] += rec[n, :] + bias for each of B rows of G (float indices). */
export function addRows(
  heap: Float32Array,
  g0: number,
  r0: number,
  bias: number,
  B: number,
  G: number,
) {
  for (let n = 0; n < B; n++) {
    const gr = g0 + n * G;
    const rr = r0 + n * G;
    for (let j = 0; j < G; j++) heap[gr + j] += heap[rr + j] + heap[bias + j];
  }
}

/** From the sigmoided gates: g = tanh, c = f·c_prev + i·g, and 2c for tanh(c)'s sigmoid. */
export function cellStep(
  heap: Float32Array,
  g0: number,
  cPrev: number,
  cNow: number,
  twoC: number,
  B: number,
  H: number,
) {
  const G = 4 * H;
  for (let n = 0; n < B; n++) {
    const gr = g0 + n * G;
    const hr = n * H;
    for (let j = 0; j < H; j++) {
      const g = 2 * heap[gr + 2 * H + j] - 1; // tanh(z_g) = 2σ(2 z_g) − 1
      heap[gr + 2 * H + j] = g;
      const c = heap[gr + H + j] * heap[cPrev + hr + j] + heap[gr + j] * g;
      heap[cNow + hr + j] = c;
      heap[twoC + hr + j] = 2 * c;
    }
  }
}

/** tanh(c) = 2σ(2c) − 1 from the sigmoided 2c, and h = o · tanh(c). */
export function outputStep(
  heap: Float32Array,
  g0: number,
  sig2c: number,
  tNow: number,
  hNow: number,
  B: number,
  H: number,
) {
  const G = 4 * H;
  for (let n = 0; n < B; n++) {
    const go = g0 + n * G + 3 * H;
    const hr = n * H;
    for (let j = 0; j < H; j++) {
      const tc = 2 * heap[sig2c + hr + j] - 1;
      heap[tNow + hr + j] = tc;
      heap[hNow + hr + j] = heap[go + j] * tc;
    }
  }
}

/**
 * One step back: with dh = dy_t + the recurrent dh and dc carried in, writes dgates_t
 * (di, df, dg, do) and leaves dc_{t-1} in `dc`. All offsets are float indices.
 */
export function gateGrads(
  heap: Float32Array,
  a: {
    g0: number;
    d0: number;
    cPrev: number;
    tc0: number;
    dy0: number;
    dh: number;
    dc: number;
    B: number;
    H: number;
  },
) {
  const { g0, d0, cPrev, tc0, dy0, dh, dc, B, H } = a;
  const G = 4 * H;
  for (let n = 0; n < B; n++) {
    const gr = g0 + n * G;
    const dr = d0 + n * G;
    const hr = n * H;
    for (let j = 0; j < H; j++) {
      const gi = heap[gr + j];
      const gf = heap[gr + H + j];
      const gg = heap[gr + 2 * H + j];
      const go = heap[gr + 3 * H + j];
      const tc = heap[tc0 + hr + j];
      const dhj = heap[dy0 + hr + j] + heap[dh + hr + j];
      const dcj = heap[dc + hr + j] + dhj * go * (1 - tc * tc);
      heap[dr + j] = dcj * gg * gi * (1 - gi); // di
      heap[dr + H + j] = dcj * heap[cPrev + hr + j] * gf * (1 - gf); // df
      heap[dr + 2 * H + j] = dcj * gi * (1 - gg * gg); // dg
      heap[dr + 3 * H + j] = dhj * tc * go * (1 - go); // do
      heap[dc + hr + j] = dcj * gf; // dc_{t-1}
    }
  }
}
