// The training loop: what fastai's Learner does for the walk-through, in TypeScript.
// Adam at 1e-3, MSE on normalised data, batch 128, a flat learning rate; the training loss is
// recorded per batch and the validation loss per epoch (long format, see frames.ts).
// One loop serves every model and backend; the blog LSTM's state is reset at each epoch and
// before validation, exactly as the blog does it.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { Dataset, SEQ_LENGTH, inputChannels } from '../data/task';
import { SplitName, batchTensors, batchesOf, indicesOf } from '../data/dataset';
import { LossPoint } from '../viz/frames';
import { BuiltModel, modelInChannels, resetState } from '../models/build';

export interface TrainConfig {
  /** Default 50 (the `full` profile). */
  epochs: number;
  /** Default 128. */
  batchSize: number;
  /** Adam's learning rate, flat. Default 1e-3. */
  lr: number;
  /** fastai's Adam defaults (the blog trains with fastai): β1 0.9, β2 0.99, ε 1e-5. */
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Seed for the batch shuffling. Default 0. */
  seed: number;
}

export const DEFAULT_TRAIN: Readonly<TrainConfig> = {
  epochs: 50,
  batchSize: 128,
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.99,
  epsilon: 1e-5,
  seed: 0,
};

export function validateTrainConfig(c: TrainConfig): TrainConfig {
  if (!Number.isInteger(c.epochs) || c.epochs < 0)
    throw new Error(`train config: epochs must be an integer >= 0, got ${c.epochs}`);
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1)
    throw new Error(`train config: batchSize must be a positive integer, got ${c.batchSize}`);
  if (!(c.lr > 0 && Number.isFinite(c.lr)))
    throw new Error(`train config: lr must be a positive number, got ${c.lr}`);
  if (!Number.isInteger(c.seed) || c.seed < 0)
    throw new Error(`train config: seed must be a non-negative integer, got ${c.seed}`);
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

export interface FitResult {
  history: LossPoint[];
  /** Wall time of each epoch, validation included. */
  epochSeconds: number[];
  /** Mean training loss over the last epoch's batches. */
  trainLoss: number;
  /** Validation loss after the last epoch. */
  validLoss: number;
}

/** Thrown when the loss stops being a finite number; the sweep records it as a failed point. */
export class DivergedError extends Error {}

export function mse(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(pred, target)) as tf.Scalar;
}

export class Learner {
  readonly train: TrainConfig;
  readonly optimizer: tf.AdamOptimizer;
  /** Optimiser steps taken so far. */
  step = 0;
  epochsDone = 0;

  constructor(
    readonly built: BuiltModel,
    readonly data: Dataset,
    train: Partial<TrainConfig> = {},
  ) {
    this.train = validateTrainConfig({ ...DEFAULT_TRAIN, ...train });
    const want = inputChannels(data.config);
    const has = modelInChannels(built);
    if (want !== has) {
      throw new Error(
        `model '${built.kind}' takes ${has} input channel(s) but the data has ${want}${data.config.positionalEncoding ? ' (positional encoding adds 7)' : ''}; set inChannels: ${want}`,
      );
    }
    this.optimizer = tf.train.adam(
      this.train.lr,
      this.train.beta1,
      this.train.beta2,
      this.train.epsilon,
    );
  }

  /** One optimiser step on (x, y); returns the batch loss. */
  trainStep(x: tf.Tensor3D, y: tf.Tensor3D): number {
    const loss = this.optimizer.minimize(
      () => mse(this.built.model.apply(x, { training: true }) as tf.Tensor, y),
      true,
    );
    const value = loss!.dataSync()[0];
    loss!.dispose();
    this.step++;
    if (!Number.isFinite(value))
      throw new DivergedError(`training diverged: loss is ${value} at step ${this.step}`);
    return value;
  }

  /** Trains for `epochs` more epochs (default: the config's), validating after each. */
  fit(epochs = this.train.epochs, onProgress?: (e: ProgressEvent) => void): FitResult {
    const history: LossPoint[] = [];
    const epochSeconds: number[] = [];
    let trainLoss = NaN;
    let validLoss = NaN;
    for (let e = 0; e < epochs; e++) {
      const epoch = this.epochsDone;
      const t0 = performance.now();
      const rng = seedrandom.alea(`${this.train.seed}/epoch/${epoch}`);
      const batches = batchesOf(indicesOf(this.data, 'train'), this.train.batchSize, rng);
      resetState(this.built);
      let sum = 0;
      batches.forEach((idx, b) => {
        const { x, y } = batchTensors(this.data, 'train', idx);
        let loss: number;
        try {
          loss = this.trainStep(x, y);
        } finally {
          x.dispose();
          y.dispose();
        }
        sum += loss;
        history.push({ step: this.step, epoch, split: 'train', loss });
        onProgress?.({ epoch, epochs, batch: b + 1, batches: batches.length, trainLoss: loss });
      });
      trainLoss = sum / batches.length;
      validLoss = this.evaluate('valid');
      history.push({ step: this.step, epoch, split: 'valid', loss: validLoss });
      epochSeconds.push((performance.now() - t0) / 1000);
      this.epochsDone++;
      onProgress?.({
        epoch,
        epochs,
        batch: batches.length,
        batches: batches.length,
        trainLoss,
        validLoss,
        epochSeconds: epochSeconds[e],
      });
    }
    return { history, epochSeconds, trainLoss, validLoss };
  }

  /** Normalised predictions for a split, [n, 100] row-major, in the split's order. */
  predict(split: SplitName, idx: ArrayLike<number> = indicesOf(this.data, split)): Float32Array {
    resetState(this.built);
    const out = new Float32Array(idx.length * SEQ_LENGTH);
    const all = Int32Array.from(idx as ArrayLike<number>);
    let o = 0;
    for (const batch of batchesOf(all, this.train.batchSize)) {
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
    for (const batch of batchesOf(indicesOf(this.data, split), this.train.batchSize)) {
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
  opts: { items?: number; steps: number; every: number; train?: Partial<TrainConfig> },
): OverfitPoint[] {
  const items = opts.items ?? 20;
  if (!Number.isInteger(opts.every) || opts.every < 1)
    throw new Error(`overfit: every must be a positive integer, got ${opts.every}`);
  const learner = new Learner(built, data, opts.train);
  const { x, y } = batchTensors(
    data,
    'train',
    Int32Array.from({ length: Math.min(items, data.train.n) }, (_, i) => i),
  );
  const points: OverfitPoint[] = [];
  try {
    for (let s = 0; s < opts.steps; s++) {
      const loss = learner.trainStep(x, y);
      if (s % opts.every === 0) points.push({ step: s, loss });
    }
  } finally {
    tf.dispose([x, y]);
  }
  return points;
}
