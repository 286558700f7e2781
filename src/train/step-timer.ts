// Times training steps of a model on the active backend: one warm-up step (which also builds
// Adam's slots and compiles kernels), then up to `maxSteps` timed steps, stopping early once
// `budgetS` seconds have passed. The benchmark and reproduce's "how long will this take" both
// use it, so they agree.
import * as tf from '@tensorflow/tfjs';
import { batchTensors, loadDataset } from '../data/dataset';
import { BuiltModel, buildModel } from '../models/build';
import { ModelConfigs, ModelKind } from '../models/configs';
import { DEFAULT_FIT, Learner } from './learner';

export interface StepTiming {
  params: number;
  /** Median seconds per training step at the default batch size. */
  stepS: number;
  steps: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function timeTrainSteps<K extends ModelKind>(
  kind: K,
  opts: {
    maxSteps: number;
    budgetS: number;
    config?: Partial<ModelConfigs[K]>;
    inspect?: (m: BuiltModel<K>) => void;
  },
): StepTiming {
  const batch = DEFAULT_FIT.batchSize;
  const data = loadDataset({ nTrain: 2 * batch + 32, nTest: 10 }, { log: () => {} }).dataset;
  const built = buildModel(kind, opts.config);
  opts.inspect?.(built);
  const learner = new Learner(built, data);
  const { x, y } = batchTensors(
    data,
    'train',
    Int32Array.from({ length: batch }, (_, i) => i),
  );
  try {
    learner.trainStep(x, y);
    const times: number[] = [];
    const start = performance.now();
    while (
      times.length < opts.maxSteps &&
      (times.length < 1 || (performance.now() - start) / 1000 < opts.budgetS)
    ) {
      const t0 = performance.now();
      learner.trainStep(x, y);
      times.push((performance.now() - t0) / 1000);
    }
    return { params: built.model.countParams(), stepS: median(times), steps: times.length };
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
