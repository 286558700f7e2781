// BatchMatMul on XNNPACK's GEMM for every transpose and batch combination (stock wasm only
// takes that path for unbatched, untransposed products).
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import {
  type BackendWasm,
  type Ctx,
  ctxFor,
  dataOf,
  free,
  prod,
  transposeInto,
  unview,
  view,
  xnnMatMul,
} from './heap';

/**
 * Right-hand matMul operands up to this many floats keep their packed XNNPACK
 * operator (and, if used transposed, their transposed copy) until the tensor
 * is disposed; larger ones are packed per call and not kept.
 */
const CACHE_MAX_FLOATS = 1 << 18;

/** Batched products smaller than this (2·M·K·N FLOPs per item) stay on the stock kernel. */
const SMALL_BATCHED_FLOPS = 2 * 24 * 24 * 24;

/**
 * The id to pass as XNNPACK "weights" for a [K, N] right operand. XNNPACK
 * caches the packed operator on that id, keyed by id only, so we never pass a
 * tensor's own id (a reshape shares it with another [K, N] split): small
 * operands get a cached view per (data, K, N), large ones a throwaway view.
 */
function weightsId(
  ctx: Ctx,
  info: TensorInfo,
  K: number,
  N: number,
): { id: number; temp: boolean } {
  const d = dataOf(ctx, info);
  if (K * N > CACHE_MAX_FLOATS) return { id: view(ctx, d.memoryOffset, K * N), temp: true };
  const wv = ctx.weightViews.get(info.dataId);
  if (wv != null && wv.K === K && wv.N === N) return { id: wv.id, temp: false };
  if (wv != null) unview(ctx, wv.id);
  const id = view(ctx, d.memoryOffset, K * N);
  ctx.weightViews.set(info.dataId, { id, K, N });
  return { id, temp: false };
}

function transposedRight(
  ctx: Ctx,
  b: TensorInfo,
  batch: number,
  rows: number,
  cols: number,
): TensorInfo {
  // b holds `batch` row-major [rows, cols] matrices; returns [batch, cols, rows].
  const cached = ctx.transposed.get(b.dataId);
  if (cached != null && cached.batch === batch && cached.rows === rows && cached.cols === cols) {
    return cached.info;
  }
  if (cached != null) {
    ctx.transposed.delete(b.dataId);
    free(ctx, cached.info);
  }
  const t = transposeInto(ctx, b, [batch, rows, cols], [0, 2, 1]);
  ctx.transposed.set(b.dataId, { info: t, batch, rows, cols });
  return t;
}

export function fastBatchMatMul(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ar = a.shape.length;
  const br = b.shape.length;
  if (ar < 2 || br < 2) return null;
  const M = transposeA ? a.shape[ar - 1] : a.shape[ar - 2];
  const K = transposeA ? a.shape[ar - 2] : a.shape[ar - 1];
  const Kb = transposeB ? b.shape[br - 1] : b.shape[br - 2];
  const N = transposeB ? b.shape[br - 2] : b.shape[br - 1];
  if (K !== Kb || M === 0 || N === 0 || K === 0) return null; // the stock kernel reports / handles these
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  let outOuter: number[];
  try {
    outOuter = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return null;
  }
  const batchA = prod(outerA);
  const batchB = prod(outerB);
  const batch = prod(outOuter);
  if (!((batchA === batch || batchA === 1) && (batchB === batch || batchB === 1))) return null;
  if (batchB > 1 && 2 * M * K * N < SMALL_BATCHED_FLOPS) return null;

  const ctx = ctxFor(backend);
  const temps: TensorInfo[] = [];
  try {
    // Left operand as row-major [batchA, M, K] (a [K, M] matrix with K or M
    // equal to 1 already is one).
    let aT: TensorInfo = a;
    if (transposeA && M > 1 && K > 1) {
      aT = transposeInto(ctx, a, [batchA, K, M], [0, 2, 1]);
      temps.push(aT);
    }
    // Right operand as row-major [batchB, K, N].
    let bT: TensorInfo = b;
    if (transposeB && K > 1 && N > 1) {
      if (batchB * K * N <= CACHE_MAX_FLOATS) {
        bT = transposedRight(ctx, b, batchB, N, K);
      } else {
        bT = transposeInto(ctx, b, [batchB, N, K], [0, 2, 1]);
        temps.push(bT);
      }
    }
    const out = backend.makeOutput([...outOuter, M, N], 'float32');
    const ad = dataOf(ctx, aT);
    const od = dataOf(ctx, out);
    if (batchB === 1) {
      // Shared right operand: fold the batch into rows -> one GEMM.
      const w = weightsId(ctx, bT, K, N);
      xnnMatMul(ctx, ad.id, batchA * M, K, w.id, N, od.id);
      if (w.temp) unview(ctx, w.id);
    } else {
      const bd = dataOf(ctx, bT);
      for (let j = 0; j < batch; j++) {
        const aId = batchA === 1 ? ad.id : view(ctx, ad.memoryOffset + j * M * K * 4, M * K);
        const bId = view(ctx, bd.memoryOffset + j * K * N * 4, K * N);
        const oId = view(ctx, od.memoryOffset + j * M * N * 4, M * N);
        xnnMatMul(ctx, aId, M, K, bId, N, oId);
        unview(ctx, oId);
        unview(ctx, bId);
        if (batchA !== 1) unview(ctx, aId);
      }
    }
    return out;
  } finally {
    for (const t of temps) free(ctx, t);
  }
}
