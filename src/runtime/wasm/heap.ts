// The internals of tfjs-backend-wasm 4.22.0 that the patched kernels rely on: the Emscripten
// module and its heap, the backend's tensor table, and a per-backend context holding our
// scratch memory and caches. Plus thin JS wrappers over the C entry points the kernels share.
import type { DataId, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

export interface WasmModule {
  HEAPU8: Uint8Array;
  wasmMemory?: { buffer: ArrayBuffer }; // WebAssembly.Memory (tslab compiles without the DOM lib)
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  // void BatchMatMul(a_id, a_shape*, a_rank, b_id, b_shape*, b_rank, tA, tB, out_id)
  _BatchMatMul(...args: number[]): void;
  // void Transpose(x_id, x_shape*, rank, dtype, out_id, perm*, perm_len)
  _Transpose(...args: number[]): void;
  // void Conv2D(x_id, batch, in_h, in_w, filter_id, fh, fw, pad_t, pad_r, pad_b,
  //             pad_l, is_same, dil_h, dil_w, stride_h, stride_w, in_c, out_c, out_id)
  _Conv2D(...args: number[]): void;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

export interface TensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: string;
  refCount: number;
}

export interface BackendWasm {
  wasm: WasmModule;
  dataIdMap: { get(dataId: DataId): TensorData | undefined; has(dataId: DataId): boolean };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: string, memoryOffset?: number): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
  incRef(dataId: DataId): void;
}

export type KernelArgs = Parameters<KernelFunc>[0];

export const prod = (xs: readonly number[]): number => xs.reduce((p, s) => p * s, 1);

// ---------------------------------------------------------------------------
// Per-backend context

interface TransposedEntry {
  info: TensorInfo; // owned by us
  batch: number;
  rows: number; // of the original per-batch matrix
  cols: number;
}

interface WeightView {
  id: number; // C-side tensor id aliasing the data; XNNPACK caches its operator on it
  K: number;
  N: number;
}

export interface Ctx {
  backend: BackendWasm;
  scratch: number; // 64 int32 slots in the wasm heap
  origDispose: (dataId: DataId, force?: boolean) => boolean;
  transposed: Map<DataId, TransposedEntry>;
  weightViews: Map<DataId, WeightView>;
}

const contexts = new WeakMap<object, Ctx>();

export function ctxFor(backend: BackendWasm): Ctx {
  const ctx = contexts.get(backend);
  if (ctx != null) return ctx;
  const c: Ctx = {
    backend,
    scratch: backend.wasm._malloc(64 * 4),
    origDispose: backend.disposeData.bind(backend),
    transposed: new Map(),
    weightViews: new Map(),
  };
  contexts.set(backend, c);
  // Drop our caches together with the tensor data they were made from.
  backend.disposeData = (dataId: DataId, force = false): boolean => {
    const r = c.origDispose(dataId, force);
    if ((c.transposed.size > 0 || c.weightViews.size > 0) && !backend.dataIdMap.has(dataId)) {
      release(c, dataId);
    }
    return r;
  };
  return c;
}

function release(ctx: Ctx, dataId: DataId): void {
  const wv = ctx.weightViews.get(dataId);
  if (wv != null) {
    ctx.weightViews.delete(dataId);
    unview(ctx, wv.id);
  }
  const te = ctx.transposed.get(dataId);
  if (te != null) {
    ctx.transposed.delete(dataId);
    ctx.origDispose(te.info.dataId, true);
    release(ctx, te.info.dataId);
  }
}

export function heapBuffer(w: WasmModule): ArrayBufferLike {
  // In the threaded build another thread may have grown the heap;
  // wasmMemory.buffer is always current.
  return w.wasmMemory != null ? w.wasmMemory.buffer : w.HEAPU8.buffer;
}

export function heapF32(ctx: Ctx): Float32Array {
  return new Float32Array(heapBuffer(ctx.backend.wasm));
}

function writeInts(ctx: Ctx, slot: number, values: number[]): number {
  const ptr = ctx.scratch + slot * 4;
  const v = new Int32Array(heapBuffer(ctx.backend.wasm), ptr, values.length);
  for (let i = 0; i < values.length; i++) v[i] = values[i];
  return ptr;
}

export function dataOf(ctx: Ctx, info: TensorInfo): TensorData {
  const d = ctx.backend.dataIdMap.get(info.dataId);
  if (d == null) throw new Error('wasm-kernels: tensor data not found on the wasm backend');
  return d;
}

export function alloc(ctx: Ctx, shape: number[]): TensorInfo {
  return ctx.backend.makeOutput(shape, 'float32');
}

export function free(ctx: Ctx, info: TensorInfo): void {
  ctx.backend.disposeData(info.dataId);
}

/** Registers a C-side tensor id aliasing `size` floats at byte `offset` (no copy). */
export function view(ctx: Ctx, offset: number, size: number): number {
  const id = ctx.backend.dataIdNextNumber++;
  ctx.backend.wasm.tfjs.registerTensor(id, size, offset);
  return id;
}

export function unview(ctx: Ctx, id: number): void {
  // Also runs the C-side disposal callbacks, i.e. deletes XNNPACK operators
  // cached on `id`.
  ctx.backend.wasm.tfjs.disposeData(id);
}

/** log2 of the element size for dtypes we can move as raw bits, else null. */
export function elemShift(dtype: string): number | null {
  return dtype === 'float32' || dtype === 'int32' ? 2 : dtype === 'bool' ? 0 : null;
}

/**
 * A view of the whole heap for raw copies. Take it only AFTER the last
 * allocation: malloc may grow the memory, which detaches older views.
 */
export function heapOf(ctx: Ctx, shift: number): Int32Array | Uint8Array {
  const buf = heapBuffer(ctx.backend.wasm);
  return shift === 2 ? new Int32Array(buf) : new Uint8Array(buf);
}

/**
 * out[M,N] = a[M,K] · b[K,N] with XNNPACK's fully-connected operator (the
 * stock BatchMatMul fast path: batch 1, no transposes).
 */
export function xnnMatMul(
  ctx: Ctx,
  aId: number,
  M: number,
  K: number,
  bId: number,
  N: number,
  outId: number,
): void {
  const sa = writeInts(ctx, 0, [1, M, K]);
  const sb = writeInts(ctx, 4, [1, K, N]);
  ctx.backend.wasm._BatchMatMul(aId, sa, 3, bId, sb, 3, 0, 0, outId);
}

/** A C-side tensor id and the byte offset of its data (a tensor's, or a `view`'s). */
export interface Mem {
  id: number;
  memoryOffset: number;
}

/** Transposes float32 `x` (given shape) into `out` with the wasm Transpose routine. */
export function rawTranspose(ctx: Ctx, x: Mem, shape: number[], perm: number[], out: Mem): void {
  // Drop size-1 dims first (as the wasm Transpose kernel does): a transpose
  // that only moves size-1 dims is a plain copy.
  const rShape = shape.filter((s) => s !== 1);
  const rAxes = perm.filter((p) => shape[p] !== 1);
  const sorted = [...rAxes].sort((p, q) => p - q);
  const rPerm = rAxes.map((p) => sorted.indexOf(p));
  const rank = rShape.length;
  if (rPerm.every((p, i) => p === i)) {
    const heap = heapF32(ctx);
    const o = x.memoryOffset >>> 2;
    heap.copyWithin(out.memoryOffset >>> 2, o, o + prod(shape));
    return;
  }
  const sp = writeInts(ctx, 8, rShape);
  const pp = writeInts(ctx, 16, rPerm);
  ctx.backend.wasm._Transpose(x.id, sp, rank, 0 /* CppDType.float32 */, out.id, pp, rank);
}

/** Transposes a float32 tensor into a freshly allocated one. */
export function transposeInto(
  ctx: Ctx,
  x: TensorInfo,
  shape: number[],
  perm: number[],
): TensorInfo {
  const out = alloc(
    ctx,
    perm.map((p) => shape[p]),
  );
  rawTranspose(ctx, dataOf(ctx, x), shape, perm, dataOf(ctx, out));
  return out;
}
