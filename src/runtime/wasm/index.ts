// Registers the kernel-level fixes that make training on tfjs' wasm backend correct and fast
// (a Conv2DBackpropFilter kernel, XNNPACK matMuls for every transpose and batch, zero-copy
// slices, a whole-sequence LSTM kernel, …), and loads the multi-threaded build in Node. What
// each fix is and why: README.md in this folder.
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
