// Times training steps of a model on the active backend: warm-up steps (the first builds Adam's
// slots and compiles kernels; V8 needs a few dozen more before the JavaScript around the ops is
// optimised), then timed steps until both `maxSteps` steps and `minSeconds` have passed, or
// `budgetS` runs out. The benchmark and reproduce's "how long will this take" both use it, so
// they agree. The machine is often shared, so the process's CPU time per step is reported too:
// it moves much less than the wall time when other jobs compete for the cores.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { batchTensors, loadDataset } from '../data/dataset';
import { BuiltModel, buildModel } from '../models/build';
import { ModelConfigs, ModelKind } from '../models/configs';
import { median } from '../runtime/stats';
import { DEFAULT_FIT, Learner } from './learner';

export interface StepTiming {
  params: number;
  /** Median seconds per training step at the batch size asked for (default 128). */
  stepS: number;
  /** Fastest timed step. */
  minStepS: number;
  /** Process CPU seconds (all threads) per timed step. */
  cpuStepS: number;
  steps: number;
  /** One-minute load average when the timing ended. */
  load: number;
}

/** Hard cap on timed steps, so a very fast model cannot turn `minSeconds` into thousands. */
const MAX_TIMED_STEPS = 500;

export function timeTrainSteps<K extends ModelKind>(
  kind: K,
  opts: {
    maxSteps: number;
    budgetS: number;
    /** Keep timing until this long has passed (default 0: stop after `maxSteps`). */
    minSeconds?: number;
    /** Warm up until this long has passed, up to 30 steps (default 0: one warm-up step). */
    warmupSeconds?: number;
    config?: Partial<ModelConfigs[K]>;
    inspect?: (m: BuiltModel<K>) => void;
    /** Samples per step (default: the walk-through's 128). */
    batchSize?: number;
  },
): StepTiming {
  const batch = opts.batchSize ?? DEFAULT_FIT.batchSize;
  const data = loadDataset({ nTrain: 2 * batch + 32, nTest: 10 }, { log: () => {} }).dataset;
  const built = buildModel(kind, opts.config);
  opts.inspect?.(built);
  const learner = new Learner(built, data);
  const { x, y } = batchTensors(
    data,
    'train',
    Int32Array.from({ length: batch }, (_, i) => i),
  );
  const since = (t0: number) => (performance.now() - t0) / 1000;
  try {
    const warm0 = performance.now();
    let warm = 0;
    do {
      learner.trainStep(x, y);
      warm++;
    } while (warm < 30 && since(warm0) < (opts.warmupSeconds ?? 0) && since(warm0) < opts.budgetS);
    const times: number[] = [];
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    while (
      times.length < 1 ||
      (times.length < MAX_TIMED_STEPS &&
        since(start) < opts.budgetS &&
        (times.length < opts.maxSteps || since(start) < (opts.minSeconds ?? 0)))
    ) {
      const t0 = performance.now();
      learner.trainStep(x, y);
      times.push(since(t0));
    }
    const cpu = process.cpuUsage(cpu0);
    return {
      params: built.model.countParams(),
      stepS: median(times),
      minStepS: Math.min(...times),
      cpuStepS: (cpu.user + cpu.system) / 1e6 / times.length,
      steps: times.length,
      load: os.loadavg()[0],
    };
  } finally {
    tf.dispose([x, y]);
    learner.optimizer.dispose();
    built.model.dispose();
  }
}

/** Optimiser steps in one epoch of `nTrain` samples after the validation hold-out. */
export function stepsPerEpoch(nTrain: number, validFraction: number): number {
  return Math.ceil((nTrain - Math.floor(nTrain * validFraction)) / DEFAULT_FIT.batchSize);
}
