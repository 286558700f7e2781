// Loading tfjs' multi-threaded SIMD wasm build in Node (see initWasmBackend in ./index).
import * as tf from '@tensorflow/tfjs';
import { requireAtRunTime } from '../lazy';

let threadsPatched = false;

/** The Worker/flag half of `initWasmBackend({threads})`; see there for why. */
export function enableWasmThreadsInNode(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  if (threadsPatched) return;
  const wt = requireAtRunTime<typeof import('worker_threads')>('worker_threads');
  const mainScript =
    require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = requireAtRunTime<{ wasmWorkerContents: string }>(
    '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js',
  );
  // The template literal turned the source's "\n" escapes into newlines.
  const workerSource = wasmWorkerContents.replace(/\n/g, '\\n');
  const Base = wt.Worker;
  // Worker instances started from a blob: URL (i.e. by Emscripten's pthread pool).
  const pooled = new WeakSet<object>();
  class BlobFreeWorker extends Base {
    constructor(filename: string | URL, options?: import('worker_threads').WorkerOptions) {
      const isBlob =
        typeof filename === 'string'
          ? filename.startsWith('blob:')
          : filename instanceof URL && filename.protocol === 'blob:';
      super(
        isBlob ? workerSource : filename,
        isBlob ? { ...(options ?? {}), eval: true } : options,
      );
      if (isBlob) {
        pooled.add(this);
        this.unref();
      }
    }
    // Emscripten ref()s a worker while a pthread runs on it; XNNPACK's pool
    // threads run forever, which would keep Node from exiting.
    override ref(): void {
      if (!pooled.has(this)) super.ref();
    }
    override postMessage(
      value: unknown,
      transferList?: readonly import('worker_threads').TransferListItem[],
    ): void {
      const msg = value as { cmd?: string; urlOrBlob?: unknown } | null;
      if (msg != null && msg.cmd === 'load' && typeof msg.urlOrBlob !== 'string') {
        value = { ...msg, urlOrBlob: mainScript };
      }
      super.postMessage(value, transferList);
    }
  }
  (wt as { Worker: typeof Base }).Worker = BlobFreeWorker;
  threadsPatched = true;
}
