// Where a training step's time goes, kernel by kernel, on the active backend (`bench --ops`).
// Each tfjs kernel is timed (the outermost one, when a kernel calls others); kernels run
// synchronously on tfjs-node and cpu, so the time around a call is the kernel's time. The ops the
// native LSTM runs inside its custom gradient (runtime/native/lstm.ts) are not kernels: their
// time shows as the step's time outside kernels.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { batchTensors, loadDataset } from '../data/dataset';
import { buildModel } from '../models/build';
import { ModelKind } from '../models/configs';
import { DEFAULT_FIT, Learner } from './learner';

export interface OpRow {
  op: string;
  msPerStep: number;
  callsPerStep: number;
  /** Of the step's wall time. */
  share: number;
}

export interface OpProfile {
  model: ModelKind;
  backend: string;
  stepMs: number;
  /** Time inside the ops; the rest of the step is JavaScript (tfjs's engine, the tape, ours). */
  opsMs: number;
  callsPerStep: number;
  rows: OpRow[];
  load: number;
}

type Tally = Map<string, { ms: number; calls: number }>;

function count(tally: Tally, op: string, ms: number): void {
  const t = tally.get(op);
  if (t) {
    t.ms += ms;
    t.calls++;
  } else tally.set(op, { ms, calls: 1 });
}

/**
 * Times every kernel of the active backend until the returned function is called, by wrapping
 * each registered kernel through tfjs's public registry (and restoring it after).
 */
function watchKernels(tally: Tally): () => void {
  const backendName = tf.getBackend();
  const originals = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        if (depth > 0) return config.kernelFunc(args);
        depth++;
        const t0 = performance.now();
        try {
          return config.kernelFunc(args);
        } finally {
          depth--;
          count(tally, config.kernelName, performance.now() - t0);
        }
      },
    });
  }
  return () => {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  };
}

/**
 * Profiles `steps` training steps of a model at batch 128, after untimed warm-up steps for 1 s
 * (at most 30), as the benchmark does.
 */
export function profileOps(
  kind: ModelKind,
  backend: string,
  opts: { steps?: number } = {},
): OpProfile {
  const steps = opts.steps ?? 20;
  const batch = DEFAULT_FIT.batchSize;
  const data = loadDataset({ nTrain: 2 * batch + 32, nTest: 10 }, { log: () => {} }).dataset;
  const built = buildModel(kind);
  const learner = new Learner(built, data);
  const idx = Int32Array.from({ length: batch }, (_, i) => i);
  const { x, y } = batchTensors(data, 'train', idx);
  const tally: Tally = new Map();
  try {
    const warm0 = performance.now();
    for (let i = 0; i < 30 && performance.now() - warm0 < 1000; i++) learner.trainStep(x, y);
    const stop = watchKernels(tally);
    const t0 = performance.now();
    try {
      for (let i = 0; i < steps; i++) learner.trainStep(x, y);
    } finally {
      stop();
    }
    const stepMs = (performance.now() - t0) / steps;
    const rows = [...tally.entries()]
      .map(([op, t]) => ({
        op,
        msPerStep: t.ms / steps,
        callsPerStep: t.calls / steps,
        share: t.ms / steps / stepMs,
      }))
      .sort((a, b) => b.msPerStep - a.msPerStep);
    return {
      model: kind,
      backend,
      stepMs,
      opsMs: rows.reduce((s, r) => s + r.msPerStep, 0),
      callsPerStep: rows.reduce((s, r) => s + r.callsPerStep, 0),
      rows,
      load: os.loadavg()[0],
    };
  } finally {
    tf.dispose([x, y]);
    learner.optimizer.dispose();
    built.model.dispose();
  }
}
