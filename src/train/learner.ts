// The training loop: what fastai's Learner does for the walk-through, in TypeScript.
// Adam at 1e-3, MSE on normalised data, batch 128, a flat learning rate (or a named recipe's
// schedule: recipes.ts, schedule.ts); the training loss is
// recorded per batch and the validation loss per epoch (see history.ts). One loop serves every
// model and backend; the blog LSTM's state is reset at each epoch and before validation, as
// the blog does it (and before every batch in its control run, `carryState: false`).
// The learner's whole state (weights, Adam's moments, history, epoch) can be saved after any
// epoch and restored, so an interrupted run resumes exactly (see checkpoint.ts).
import * as tf from '@tensorflow/tfjs';
import { Dataset, SEQ_LENGTH, inputChannels } from '../data/task';
import { SplitName, batchTensors, batchesOf, indicesOf } from '../data/dataset';
import { rngFrom } from '../data/random';
import { BuiltModel, modelInChannels, resetState, resetsEveryBatch } from '../models/build';
import { checkInt, checkNumber, ConfigError } from '../runtime/validate';
import { LossPoint } from './history';
import { SCHEDULES, Schedule, ScheduledAdam, learningRateAt } from './schedule';

/** How to fit: the optimiser and the schedule. */
export interface FitConfig {
  epochs: number;
  batchSize: number;
  /** Adam's learning rate: the flat rate, or the one-cycle schedule's peak. */
  lr: number;
  /** How the rate moves over the run (schedule.ts). */
  schedule: Schedule;
  /** 'onecycle': the fraction of all steps spent rising to the peak. */
  warmup: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Seed of the batch order: epoch e shuffles with the PRNG seeded `${seed}/epoch/${e}`. */
  seed: number;
}

export const DEFAULT_FIT: Readonly<FitConfig> = {
  epochs: 50, // the walk-through trains 50 epochs
  batchSize: 128, // the walk-through's batch
  lr: 1e-3, // the walk-through's flat learning rate
  schedule: 'flat', // the walk-through's
  warmup: 0.3, // PyTorch's OneCycleLR default (pct_start); unused by 'flat'
  // fastai's Adam defaults, as the blog trains with fastai (PyTorch's would be 0.999 and 1e-8)
  beta1: 0.9,
  beta2: 0.99,
  epsilon: 1e-5,
  seed: 0,
};

/**
 * The fit config as saved runs' keys hash it: the schedule's fields, added after the first runs
 * were saved, are left out while they hold the walk-through's flat defaults, so those keys stay.
 */
export function keyedFit<F extends Partial<FitConfig>>(fit: F): Partial<FitConfig> {
  const { schedule, warmup, ...rest } = fit;
  return schedule === undefined || schedule === DEFAULT_FIT.schedule
    ? warmup === undefined || warmup === DEFAULT_FIT.warmup
      ? rest
      : { ...rest, warmup }
    : { ...rest, schedule, warmup };
}

/** Checks every field; throws a ConfigError naming the first bad one. */
export function validateFitConfig(c: FitConfig): FitConfig {
  checkInt('fit.epochs', c.epochs, 1);
  checkInt('fit.batchSize', c.batchSize, 1);
  checkNumber('fit.lr', c.lr, { min: 0, minOpen: true });
  if (!(SCHEDULES as readonly string[]).includes(c.schedule))
    throw new ConfigError(
      'fit.schedule',
      `fit.schedule must be one of ${SCHEDULES.join(', ')}, got '${c.schedule}'`,
    );
  checkNumber('fit.warmup', c.warmup, { min: 0, max: 1, minOpen: true, maxOpen: true });
  checkNumber('fit.beta1', c.beta1, { min: 0, max: 1, maxOpen: true });
  checkNumber('fit.beta2', c.beta2, { min: 0, max: 1, maxOpen: true });
  checkNumber('fit.epsilon', c.epsilon, { min: 0, minOpen: true });
  checkInt('fit.seed', c.seed, 0);
  return c;
}

/** What a progress display is told after every batch and epoch. */
export interface ProgressEvent {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  trainLoss: number;
  validLoss?: number;
  epochSeconds?: number;
}

/** Thrown when the loss stops being a finite number; the sweep records it as a failed point. */
export class DivergedError extends Error {}

export function mse(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(pred, target)) as tf.Scalar;
}

export interface FitCallbacks {
  onProgress?: (e: ProgressEvent) => void;
  /** After every finished epoch (validation included): where checkpoints are written. */
  onEpochEnd?: (learner: Learner) => void | Promise<void>;
}

export class Learner {
  readonly fitConfig: FitConfig;
  readonly optimizer: ScheduledAdam;
  /** Optimiser steps in the whole run: what the schedule spans. */
  readonly totalSteps: number;
  /** Optimiser steps taken so far. */
  step = 0;
  epochsDone = 0;
  /** Every batch's training loss and every epoch's validation loss so far. */
  history: LossPoint[] = [];
  /** Wall time of each finished epoch, validation included. */
  epochSeconds: number[] = [];

  constructor(
    readonly built: BuiltModel,
    readonly data: Dataset,
    fit: Partial<FitConfig> = {},
  ) {
    this.fitConfig = validateFitConfig({ ...DEFAULT_FIT, ...fit });
    const want = inputChannels(data.config);
    const has = modelInChannels(built);
    if (want !== has) {
      const why = data.config.positionalEncoding ? ' (positional encoding adds 7)' : '';
      throw new ConfigError(
        `${built.kind}.inChannels`,
        `model '${built.kind}' takes ${has} input channel(s) but the data has ${want}${why}; set inChannels: ${want}`,
      );
    }
    const f = this.fitConfig;
    this.optimizer = new ScheduledAdam(f.lr, f.beta1, f.beta2, f.epsilon);
    const perEpoch = Math.ceil(indicesOf(data, 'train').length / f.batchSize);
    this.totalSteps = f.epochs * Math.max(1, perEpoch);
  }

  /** One optimiser step on (x, y); returns the batch loss. */
  trainStep(x: tf.Tensor3D, y: tf.Tensor3D): number {
    const f = this.fitConfig;
    this.optimizer.rate = learningRateAt(f.schedule, f.lr, f.warmup, this.step, this.totalSteps);
    const loss = this.optimizer.minimize(
      () => mse(this.built.model.apply(x, { training: true }) as tf.Tensor, y),
      true,
    );
    const value = loss!.dataSync()[0];
    loss!.dispose();
    this.step++;
    if (!Number.isFinite(value)) {
      throw new DivergedError(`training diverged: loss is ${value} at step ${this.step}`);
    }
    return value;
  }

  /** Trains until `epochs` epochs are done in all (default: the config's), validating after each. */
  async fit(epochs = this.fitConfig.epochs, cb: FitCallbacks = {}): Promise<void> {
    const reset = resetsEveryBatch(this.built);
    while (this.epochsDone < epochs) {
      const epoch = this.epochsDone;
      const t0 = performance.now();
      // The batch order depends only on (seed, epoch), so a resumed run shuffles as an unbroken one.
      const rng = rngFrom(`${this.fitConfig.seed}/epoch/${epoch}`);
      const batches = batchesOf(indicesOf(this.data, 'train'), this.fitConfig.batchSize, rng);
      resetState(this.built);
      let sum = 0;
      batches.forEach((idx, b) => {
        if (reset) resetState(this.built);
        const { x, y } = batchTensors(this.data, 'train', idx);
        let loss: number;
        try {
          loss = this.trainStep(x, y);
        } finally {
          tf.dispose([x, y]);
        }
        sum += loss;
        this.history.push({ step: this.step, epoch, split: 'train', loss });
        cb.onProgress?.({ epoch, epochs, batch: b + 1, batches: batches.length, trainLoss: loss });
      });
      const validLoss = this.evaluate('valid');
      this.history.push({ step: this.step, epoch, split: 'valid', loss: validLoss });
      const seconds = (performance.now() - t0) / 1000;
      this.epochSeconds.push(seconds);
      this.epochsDone++;
      cb.onProgress?.({
        epoch,
        epochs,
        batch: batches.length,
        batches: batches.length,
        trainLoss: sum / batches.length,
        validLoss,
        epochSeconds: seconds,
      });
      await cb.onEpochEnd?.(this);
    }
  }

  /** Normalised predictions for a split, [n, 100] row-major, in the split's order. */
  predict(split: SplitName, idx: ArrayLike<number> = indicesOf(this.data, split)): Float32Array {
    resetState(this.built);
    const out = new Float32Array(idx.length * SEQ_LENGTH);
    let o = 0;
    for (const batch of batchesOf(Int32Array.from(idx), this.fitConfig.batchSize)) {
      const { x, y } = batchTensors(this.data, split, batch);
      const p = this.built.model.predict(x) as tf.Tensor;
      out.set(p.dataSync(), o);
      o += p.size;
      tf.dispose([x, y, p]);
    }
    return out;
  }

  /** Mean squared error over a whole split (normalised units), batch by batch in order. */
  evaluate(split: SplitName): number {
    resetState(this.built);
    let sum = 0;
    let n = 0;
    for (const batch of batchesOf(indicesOf(this.data, split), this.fitConfig.batchSize)) {
      const { x, y } = batchTensors(this.data, split, batch);
      const loss = tf.tidy(() => mse(this.built.model.predict(x) as tf.Tensor, y));
      sum += loss.dataSync()[0] * batch.length;
      n += batch.length;
      tf.dispose([x, y, loss]);
    }
    return sum / n;
  }
}

export interface OverfitPoint {
  step: number;
  loss: number;
}

/**
 * The single-batch overfit check: train on the first `items` training samples for `steps`
 * steps, and report the loss at step 0 and every `every` steps. A model that cannot drive
 * this loss towards 0 has a bug, not a capacity problem.
 */
export function overfitBatch(
  built: BuiltModel,
  data: Dataset,
  opts: { items?: number; steps: number; every: number; fit?: Partial<FitConfig> },
): OverfitPoint[] {
  const items = checkInt('overfit.items', opts.items ?? 20, 1);
  checkInt('overfit.steps', opts.steps, 1);
  checkInt('overfit.every', opts.every, 1);
  const learner = new Learner(built, data, opts.fit);
  const first = Int32Array.from({ length: Math.min(items, data.pool.n) }, (_, i) => i);
  const { x, y } = batchTensors(data, 'train', first);
  const points: OverfitPoint[] = [];
  try {
    for (let s = 0; s < opts.steps; s++) {
      const loss = learner.trainStep(x, y);
      if (s % opts.every === 0) points.push({ step: s, loss });
    }
  } finally {
    tf.dispose([x, y]);
    learner.optimizer.dispose();
  }
  return points;
}
