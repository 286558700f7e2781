// Elementwise kernels: Tanh on XNNPACK's sigmoid, and branch-free comparisons.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import {
  type BackendWasm,
  type Ctx,
  type KernelArgs,
  type WasmModule,
  alloc,
  ctxFor,
  dataOf,
  elemShift,
  free,
  heapBuffer,
  heapF32,
  prod,
} from './heap';

/** tanh(x) = 2·sigmoid(2x) − 1 on XNNPACK's sigmoid (the stock Tanh is scalar libm, ~8x slower); odd Taylor series near 0. */
export function tanhKernel(args: KernelArgs): TensorInfo | null {
  const backend = args.backend as unknown as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  const w = backend.wasm as WasmModule & { _Sigmoid?: (xId: number, outId: number) => void };
  if (x.dtype !== 'float32' || typeof w._Sigmoid !== 'function') return null;
  const n = prod(x.shape);
  if (n === 0) return null;
  const ctx = ctxFor(backend);
  const out = backend.makeOutput(x.shape, 'float32');
  const tmp = alloc(ctx, x.shape);
  try {
    let heap = heapF32(ctx);
    const xs = dataOf(ctx, x).memoryOffset >>> 2;
    const ts = dataOf(ctx, tmp).memoryOffset >>> 2;
    for (let i = 0; i < n; i++) heap[ts + i] = 2 * heap[xs + i];
    w._Sigmoid(dataOf(ctx, tmp).id, dataOf(ctx, out).id);
    heap = heapF32(ctx);
    const os = dataOf(ctx, out).memoryOffset >>> 2;
    for (let i = 0; i < n; i++) {
      // branch-free select of the series for |v| < 1/16
      const v = heap[xs + i];
      const v2 = v * v;
      const series = v * (1 + v2 * (-1 / 3 + v2 * (2 / 15 - v2 * (17 / 315))));
      const t = 2 * heap[os + i] - 1;
      heap[os + i] = t + +(v2 < 0.00390625) * (series - t);
    }
    return out;
  } finally {
    free(ctx, tmp);
  }
}

/**
 * Comparisons and LogicalAnd where one side is a scalar or both have the same
 * shape (e.g. the gradient of clipByValue, i.e. of the LSTM's default
 * hardSigmoid). The stock kernels take a generic broadcasting path (~5 ns per
 * element).
 */
export type CompareOp = 'GreaterEqual' | 'LessEqual' | 'Greater' | 'Less' | 'LogicalAnd';

function typedView(
  ctx: Ctx,
  info: TensorInfo,
  n: number,
): Float32Array | Int32Array | Uint8Array | null {
  const buf = heapBuffer(ctx.backend.wasm);
  const off = dataOf(ctx, info).memoryOffset;
  switch (info.dtype) {
    case 'float32':
      return new Float32Array(buf, off, n);
    case 'int32':
      return new Int32Array(buf, off, n);
    case 'bool':
      return new Uint8Array(buf, off, n);
    default:
      return null;
  }
}

export function compareKernel(op: CompareOp) {
  return (args: KernelArgs): TensorInfo | null => {
    const backend = args.backend as unknown as BackendWasm;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== b.dtype || elemShift(a.dtype) == null) return null;
    if (op === 'LogicalAnd' && a.dtype !== 'bool') return null;
    const na = prod(a.shape);
    const nb = prod(b.shape);
    let outShape: number[];
    try {
      outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    } catch {
      return null;
    }
    const n = prod(outShape);
    if (n === 0 || !((na === n || na === 1) && (nb === n || nb === 1))) return null;
    const ctx = ctxFor(backend);
    const out = backend.makeOutput(outShape, 'bool');
    const x = typedView(ctx, a, na) as Float32Array; // (int32 / bool compare the same way)
    const y = typedView(ctx, b, nb) as Float32Array;
    const o = typedView(ctx, out, n) as Uint8Array;
    const sx = na === 1 && n > 1;
    const sy = nb === 1 && n > 1;
    const xs = x[0];
    const ys = y[0];
    // +(boolean) keeps the loops branch-free (a data-dependent ?: is ~4x slower).
    switch (op) {
      case 'GreaterEqual':
        if (sy) for (let i = 0; i < n; i++) o[i] = +(x[i] >= ys);
        else if (sx) for (let i = 0; i < n; i++) o[i] = +(xs >= y[i]);
        else for (let i = 0; i < n; i++) o[i] = +(x[i] >= y[i]);
        break;
      case 'LessEqual':
        if (sy) for (let i = 0; i < n; i++) o[i] = +(x[i] <= ys);
        else if (sx) for (let i = 0; i < n; i++) o[i] = +(xs <= y[i]);
        else for (let i = 0; i < n; i++) o[i] = +(x[i] <= y[i]);
        break;
      case 'Greater':
        if (sy) for (let i = 0; i < n; i++) o[i] = +(x[i] > ys);
        else if (sx) for (let i = 0; i < n; i++) o[i] = +(xs > y[i]);
        else for (let i = 0; i < n; i++) o[i] = +(x[i] > y[i]);
        break;
      case 'Less':
        if (sy) for (let i = 0; i < n; i++) o[i] = +(x[i] < ys);
        else if (sx) for (let i = 0; i < n; i++) o[i] = +(xs < y[i]);
        else for (let i = 0; i < n; i++) o[i] = +(x[i] < y[i]);
        break;
      case 'LogicalAnd':
        if (sy) for (let i = 0; i < n; i++) o[i] = +(x[i] !== 0) & +(ys !== 0);
        else if (sx) for (let i = 0; i < n; i++) o[i] = +(xs !== 0) & +(y[i] !== 0);
        else for (let i = 0; i < n; i++) o[i] = +(x[i] !== 0) & +(y[i] !== 0);
        break;
    }
    return out;
  };
}
