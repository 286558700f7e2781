/**
 * Kernel-level fixes that make *training* on tfjs' `wasm` backend correct and
 * fast, so that one model definition (plain `tf.layers` / `tf` ops) serves
 * every backend.
 *
 * What stock @tensorflow/tfjs-backend-wasm 4.22 gets wrong for training:
 *
 * - `Conv2DBackpropFilter` has no wasm kernel, so `tf.conv1d` / `tf.conv2d`
 *   (and `tf.layers.conv1d`) cannot compute weight gradients at all.
 * - `Conv2DBackpropInput` is a naive scalar C++ loop (~2 GFLOP/s).
 * - `BatchMatMul` only uses XNNPACK when *both* operands have batch size 1 and
 *   neither is transposed. Every other case (any transpose, any batch > 1)
 *   runs a naive blocked triple loop at ~1-2.5 GFLOP/s. Gradients of matMul
 *   always use transposed products, and attention uses batched products.
 * - `Identity` copies its input. The engine clones (Identity) every tensor it
 *   saves for backprop, so each training step copies most activations.
 * - `Sum` over leading axes (every bias gradient) first runs a naive
 *   transpose of the whole tensor.
 *
 * What this folder does (in JS, on top of the wasm binary's exported C entry
 * points and its XNNPACK operators; nothing is recompiled):
 *
 * - `BatchMatMul`: materialises transposed operands with the wasm `Transpose`
 *   routine (small transposed right operands — weights — are cached per
 *   tensor, because RNN backprop uses the same weight transposed once per time
 *   step), folds a shared right operand's batch into rows, and runs each
 *   remaining batch item through XNNPACK's fully-connected (GEMM) operator on
 *   zero-copy "views" into the operands' heap memory.
 * - `Conv2DBackpropFilter` (new; NHWC, stride 1, dilation 1): im2col written
 *   straight into the wasm heap (transposed, so no transposeA is needed:
 *   cols[(kh,kw,ci), (b,oh,ow)]) and one XNNPACK GEMM, dW = cols · dy.
 * - `Conv2DBackpropInput` (stride 1): a convolution of dy with the spatially
 *   flipped, in/out-swapped filter, on XNNPACK's convolution.
 * - `Identity` and same-dtype `Cast`: share the input's memory (refcount), as
 *   the cpu and webgl backends do.
 * - `Sum` over leading axes: a column sum in JS over the heap.
 * - `Slice`, `Unpack`, `SplitV`: the stock kernels copy the *whole* input out
 *   of the heap for every slice (unstacking T time steps copied the tensor T
 *   times); here they copy only the slice. `Reverse`, `Concat`, `Pack`:
 *   run copies in the heap.
 * - `Tanh`: 2·sigmoid(2x) − 1 on XNNPACK's sigmoid (stock is scalar libm).
 * - `LstmScan` (new, two kernels; see lstm.ts): a whole LSTM sequence per
 *   kernel call, forward and backward, which the LSTM layers use when present.
 * - `GreaterEqual`, `LessEqual`, `Greater`, `Less`, `LogicalAnd` with a
 *   scalar or same-shape operand (the clipByValue gradient behind the LSTM's
 *   default hardSigmoid): branch-free JS loops instead of the generic
 *   broadcasting path.
 * Anything a fast path does not cover (other dtypes, strides, broadcasting
 * patterns) falls through to the stock kernel; only Conv2DBackpropFilter,
 * which has no stock kernel, throws for what it does not support.
 *
 * Everything here depends on internals of tfjs-backend-wasm 4.22.0
 * (`backend.dataIdMap`, `backend.dataIdNextNumber`, `backend.wasm._BatchMatMul`
 * and friends; see heap.ts); `patchWasmKernels()` checks for them and throws
 * if missing.
 *
 * Files: heap.ts (those internals, shared helpers), matmul.ts, conv.ts,
 * copies.ts (the data-movement kernels and Sum), elementwise.ts (Tanh and the
 * comparisons), lstm.ts (the LSTM scan), threads.ts; this one registers the kernels.
 *
 * `initWasmBackend({threads})` / `enableWasmThreadsInNode()` make the
 * multi-threaded SIMD build load in Node (see there for why stock tfjs cannot).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { conv2DBackpropFilter, conv2DBackpropInputFast } from './conv';
import {
  concatKernel,
  packKernel,
  reverseKernel,
  shareInput,
  sliceKernel,
  splitVKernel,
  sumLeadingAxes,
  unpackKernel,
} from './copies';
import { compareKernel, tanhKernel } from './elementwise';
import { type BackendWasm, type KernelArgs, type WasmModule, ctxFor } from './heap';
import { lstmScanKernels } from './lstm';
import { fastBatchMatMul } from './matmul';
import { enableWasmThreadsInNode } from './threads';
import { requireAtRunTime } from '../lazy';

export { enableWasmThreadsInNode };

const PATCH_MARK = '__exploringAttentionWasmPatch';

/**
 * Whether the wasm backend has finished initialising. (Not tf.findBackend:
 * that *starts* initialising a registered backend as a side effect.)
 */
function wasmInitialised(): boolean {
  const wasmPkg = requireAtRunTime<typeof import('@tensorflow/tfjs-backend-wasm')>(
    '@tensorflow/tfjs-backend-wasm',
  );
  try {
    return wasmPkg.getThreadsCount() > 0;
  } catch {
    return false;
  }
}

function requireInternals(backend: unknown): BackendWasm {
  const b = backend as Partial<BackendWasm> | null;
  const w = b?.wasm as Partial<WasmModule> | undefined;
  const missing: string[] = [];
  if (b == null) missing.push('backend');
  else {
    if (typeof b.makeOutput !== 'function') missing.push('makeOutput');
    if (typeof b.incRef !== 'function') missing.push('incRef');
    if (b.dataIdMap == null) missing.push('dataIdMap');
    if (typeof b.dataIdNextNumber !== 'number') missing.push('dataIdNextNumber');
    if (w == null) missing.push('wasm');
    else {
      for (const f of ['_BatchMatMul', '_Transpose', '_Conv2D', '_malloc', '_free'] as const) {
        if (typeof w[f] !== 'function') missing.push(`wasm.${f}`);
      }
      if (w.tfjs == null) missing.push('wasm.tfjs');
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `patchWasmKernels: the wasm backend lacks ${missing.join(', ')} ` +
        '(written against @tensorflow/tfjs-backend-wasm 4.22.0; call it after ' +
        "`await tf.setBackend('wasm')`).",
    );
  }
  return b as BackendWasm;
}

function replaceKernel(name: string, make: (orig: KernelConfig | undefined) => KernelFunc): void {
  const orig = tf.getKernel(name, 'wasm');
  if (orig != null && (orig as unknown as Record<string, unknown>)[PATCH_MARK]) return;
  if (orig != null) tf.unregisterKernel(name, 'wasm');
  const config: KernelConfig = {
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: make(orig),
    // keep the stock setupFunc so a re-initialised backend still wires up the
    // stock kernel we fall back to
    ...(orig?.setupFunc != null ? { setupFunc: orig.setupFunc } : {}),
  };
  (config as unknown as Record<string, unknown>)[PATCH_MARK] = true;
  tf.registerKernel(config);
}

function stock(orig: KernelConfig | undefined, name: string): KernelConfig {
  if (orig == null)
    throw new Error(`patchWasmKernels: stock wasm ${name} kernel is not registered`);
  return orig;
}

export const PATCHABLE_KERNELS = [
  'BatchMatMul',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'Identity',
  'Cast',
  'Sum',
  'Slice',
  'Unpack',
  'SplitV',
  'Reverse',
  'Concat',
  'Pack',
  'Tanh',
  'GreaterEqual',
  'LessEqual',
  'Greater',
  'Less',
  'LogicalAnd',
  'LstmScan',
] as const;
export type PatchableKernel = (typeof PATCHABLE_KERNELS)[number];

/**
 * Re-registers the wasm kernels described at the top of this file (all of
 * them unless `opts.kernels` names a subset; the subset exists for
 * before/after benchmarks). Call once, after `await tf.setBackend('wasm')`;
 * calling it again is a no-op.
 */
export function patchWasmKernels(opts: { kernels?: readonly PatchableKernel[] } = {}): void {
  if (!wasmInitialised()) {
    throw new Error(
      "patchWasmKernels: call it after `await tf.setBackend('wasm')` (or use initWasmBackend()).",
    );
  }
  const backend = requireInternals(tf.findBackend('wasm'));
  ctxFor(backend);
  const want = new Set<string>(opts.kernels ?? PATCHABLE_KERNELS);

  if (want.has('BatchMatMul')) {
    replaceKernel('BatchMatMul', (orig) => {
      const o = stock(orig, 'BatchMatMul');
      return (args) => {
        const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
        const { transposeA, transposeB } = args.attrs as {
          transposeA: boolean;
          transposeB: boolean;
        };
        return (
          fastBatchMatMul(
            args.backend as unknown as BackendWasm,
            a,
            b,
            !!transposeA,
            !!transposeB,
          ) ?? o.kernelFunc(args)
        );
      };
    });
  }
  if (want.has('Conv2DBackpropInput')) {
    replaceKernel('Conv2DBackpropInput', (orig) => {
      const o = stock(orig, 'Conv2DBackpropInput');
      return (args) => conv2DBackpropInputFast(args) ?? o.kernelFunc(args);
    });
  }
  if (want.has('Conv2DBackpropFilter'))
    replaceKernel('Conv2DBackpropFilter', () => conv2DBackpropFilter);
  if (want.has('Identity')) {
    replaceKernel('Identity', (orig) => {
      const o = stock(orig, 'Identity');
      return (args) =>
        (args.inputs.x as TensorInfo).dtype === 'string' ? o.kernelFunc(args) : shareInput(args);
    });
  }
  if (want.has('Cast')) {
    replaceKernel('Cast', (orig) => {
      const o = stock(orig, 'Cast');
      return (args) => {
        const x = args.inputs.x as TensorInfo;
        const same =
          x.dtype === (args.attrs as { dtype: string }).dtype &&
          x.dtype !== 'string' &&
          x.dtype !== 'complex64';
        return same ? shareInput(args) : o.kernelFunc(args);
      };
    });
  }
  if (want.has('Sum')) {
    replaceKernel('Sum', (orig) => {
      const o = stock(orig, 'Sum');
      return (args) => sumLeadingAxes(args) ?? o.kernelFunc(args);
    });
  }
  const simple: Array<[PatchableKernel, (args: KernelArgs) => TensorInfo | TensorInfo[] | null]> = [
    ['Slice', sliceKernel],
    ['Unpack', unpackKernel],
    ['SplitV', splitVKernel],
    ['Reverse', reverseKernel],
    ['Concat', concatKernel],
    ['Pack', packKernel],
    ['Tanh', tanhKernel],
    ...(['GreaterEqual', 'LessEqual', 'Greater', 'Less', 'LogicalAnd'] as const).map(
      (k): [PatchableKernel, (args: KernelArgs) => TensorInfo | null] => [k, compareKernel(k)],
    ),
  ];
  for (const [name, fn] of simple) {
    if (!want.has(name)) continue;
    replaceKernel(name, (orig) => {
      const o = stock(orig, name);
      return (args) => fn(args) ?? o.kernelFunc(args);
    });
  }
  if (want.has('LstmScan')) {
    for (const k of lstmScanKernels()) replaceKernel(k.name, () => k.fn as unknown as KernelFunc);
  }
}

/**
 * Makes `tf.setBackend('wasm')` load the multi-threaded SIMD binary in Node.
 * Must be called BEFORE the wasm backend is initialised; pass the number of
 * XNNPACK threads you want (e.g. `os.cpus().length`).
 *
 * Why stock tfjs cannot do it:
 * 1. the `WASM_HAS_MULTITHREAD_SUPPORT` flag is hard-wired to false in Node
 *    (tfjs issue #3830);
 * 2. the pthread worker script is handed to `new Worker()` as a `blob:` URL,
 *    which Node's `worker_threads.Worker` rejects (ERR_WORKER_PATH), and the
 *    main script is passed to the worker as a Blob, which the worker's
 *    `importScripts` shim (fs.readFileSync) cannot read;
 * 3. the C++ side caps the pool at `logical cores / 2` (it assumes
 *    hyper-threading), i.e. 1 thread on a 2-vCPU machine.
 *
 * The fix: set the flag; wrap `worker_threads.Worker` so a `blob:` URL starts
 * the same worker source (exported by the package) with `eval: true` and the
 * main-script Blob is replaced by the path of the package's on-disk copy of
 * the same Emscripten module; report `2 × threads` CPUs from `os.cpus()` only
 * while the backend initialises. Workers are unref'd so they do not keep the
 * process alive.
 */
export async function initWasmBackend(
  opts: { threads?: number; kernels?: readonly PatchableKernel[] } = {},
): Promise<void> {
  const threads = opts.threads ?? 1;
  const wasmPkg = requireAtRunTime<typeof import('@tensorflow/tfjs-backend-wasm')>(
    '@tensorflow/tfjs-backend-wasm',
  );
  if (wasmInitialised()) {
    // Already initialised: the binary (and its thread pool) is fixed.
    const have = wasmPkg.getThreadsCount();
    if (threads > 1 && have !== threads) {
      throw new Error(
        `initWasmBackend: the wasm backend is already initialised with ${have} thread(s); ` +
          'call initWasmBackend({threads}) before anything else initialises it.',
      );
    }
  } else if (threads > 1) {
    enableWasmThreadsInNode();
  }
  const os = requireAtRunTime<typeof import('os')>('os');
  const origCpus = os.cpus;
  if (threads > 1) {
    wasmPkg.setThreadsCount(threads);
    (os as { cpus: typeof os.cpus }).cpus = () => {
      const c = origCpus();
      const want = 2 * threads;
      const out = [...c];
      while (out.length < want) out.push(c[out.length % c.length]);
      return out;
    };
  }
  try {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error("tf.setBackend('wasm') failed");
  } finally {
    (os as { cpus: typeof os.cpus }).cpus = origCpus;
  }
  await tf.ready();
  patchWasmKernels({ kernels: opts.kernels });
}
