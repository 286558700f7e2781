// Weight snapshots along one training run, for watching the attention emerge (notebook 09): the
// initial weights, `perEpoch` in each of the first `fineEpochs` epochs (where the fast recipe
// changes the model most), then every epoch's end, taken through the learner's public callbacks
// (`onProgress` after every batch, `onEpochEnd` after validation). Each keeps its validation loss
// at full precision and its weights as float16 (float16.ts: half the bytes, 2⁻¹¹ relative error;
// the file gives the final validation loss at both precisions): 116 KB per snapshot of the
// attention model, 1.5 MB for the fast recipe's 13. Like a run (runs.ts): keyed by its configs and
// schedule, saved under data/snapshots/, loaded when finished, resumed from its last epoch when
// interrupted. Mid-epoch validation leaves the training state alone (the batch order is seeded
// per epoch), so the weights are those of the same run trained without snapshots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, requireTrainingBackend } from '../runtime/backend';
import { runsDir } from '../runtime/paths';
import { keyOf, quarantine, readBlob, writeBlob } from '../runtime/store';
import { ConfigError, checkInt } from '../runtime/validate';
import { Dataset } from '../data/task';
import { loadDataset } from '../data/dataset';
import { buildResolved } from '../models/build';
import { ModelConfigs, ModelKind } from '../models/configs';
import { checkpointFile, lockRun, restoreCheckpoint, saveCheckpoint } from './checkpoint';
import { bitsOf, cut, fromFloat16, toFloat16 } from './float16';
import { FitConfig, Learner, ProgressEvent } from './learner';
import { RunOptions, RunPlan, planRun } from './runs';

export interface SnapshotSchedule {
  fineEpochs: number; // the first epochs, snapshotted `perEpoch` times each
  perEpoch: number; // snapshots per fine epoch, its end included: 4 is every quarter epoch
}

export const DEFAULT_SCHEDULE: Readonly<SnapshotSchedule> = {
  fineEpochs: 2, // the fast recipe's validation MSE falls 0.033 → 0.0066 over its first 2 epochs
  perEpoch: 4, // quarter epochs: 156 steps apart at batch 32 on 20,000 samples
};

export const MAX_BYTES = 5_000_000; // one file's budget: small enough to commit beside the runs

/** When a snapshot was taken and how good the model was then. */
export interface SnapshotInfo {
  position: number; // epochs done: 0, 0.25, …, 1, …: after j/perEpoch of an epoch's batches
  step: number;
  validLoss: number; // validation MSE at full precision, normalised units
}

export interface Snapshot extends SnapshotInfo {
  weights: Float32Array[]; // in `model.weights` order, decoded from float16
}

interface Header<K extends ModelKind = ModelKind> {
  kind: K;
  config: ModelConfigs[K];
  data: RunPlan['data'];
  fit: FitConfig;
  schedule: SnapshotSchedule;
  weights: { name: string; shape: number[] }[];
  snapshots: SnapshotInfo[];
  trainLoss: number[]; // every step's, to 5 significant digits
  epochValid: number[]; // every epoch's
  epochSeconds: number[];
  testLoss: number;
  validLossFloat16: number; // the last snapshot's, with its weights rounded to float16
  resumedFromEpoch: number;
  backend: string;
  finishedAt: string;
}

export interface SnapshotSet<K extends ModelKind = ModelKind> extends Omit<Header<K>, 'snapshots'> {
  snapshots: Snapshot[];
  source: 'saved' | 'trained';
  file: string;
}

export interface SnapshotOptions<K extends ModelKind> extends RunOptions<K> {
  schedule?: Partial<SnapshotSchedule>;
  retrain?: boolean;
  /** The file's size limit in bytes; a schedule that would exceed it is refused before training. */
  maxBytes?: number;
  onProgress?: (e: ProgressEvent) => void;
  log?: (msg: string) => void;
}

/** Where a snapshot run lives, its key, and the positions it will snapshot. */
export interface SnapshotPlan<K extends ModelKind = ModelKind> {
  run: RunPlan<K>;
  schedule: SnapshotSchedule;
  key: string;
  file: string;
  positions: number[];
  bytes: number; // the payload: snapshots × weights × 2 bytes
}

/** Checks everything (configs, schedule, size) before any work; a bad field throws here. */
export function planSnapshots<K extends ModelKind>(opts: SnapshotOptions<K>): SnapshotPlan<K> {
  const run = planRun(opts);
  const schedule = { ...DEFAULT_SCHEDULE, ...opts.schedule };
  const fail = (field: string, why: string) => {
    throw new ConfigError(field, `${field} is ${why}`);
  };
  checkInt('schedule.fineEpochs', schedule.fineEpochs, 0);
  checkInt('schedule.perEpoch', schedule.perEpoch, 1);
  const fitted = run.data.nTrain - Math.floor(run.data.nTrain * run.data.validFraction);
  const batches = Math.ceil(fitted / run.fit.batchSize);
  const { fineEpochs: fine, perEpoch: per } = schedule;
  if (fine > run.fit.epochs) fail('schedule.fineEpochs', `${fine}, over ${run.fit.epochs} epochs`);
  if (per > batches) fail('schedule.perEpoch', `${per}, over the ${batches} batches of an epoch`);
  if (run.kind === 'lstm-blog' && per > 1 && fine > 0)
    fail('schedule.perEpoch', `${per}: mid-epoch validation resets the blog LSTM's state`);
  const positions = [0];
  for (let e = 0; e < run.fit.epochs; e++) {
    const n = e < schedule.fineEpochs ? schedule.perEpoch : 1;
    for (let j = 1; j <= n; j++) positions.push(e + j / n);
  }
  const probe = buildResolved(run.kind, run.config).model;
  const bytes = positions.length * sizesOf(specsOf(probe)).reduce((a, n) => a + n, 0) * 2;
  probe.dispose();
  const maxBytes = opts.maxBytes ?? MAX_BYTES;
  if (bytes > maxBytes)
    fail('maxBytes', `${maxBytes} bytes, under ${bytes} for ${positions.length} snapshots`);
  const key = keyOf({ version: 1, run: run.key, schedule, format: 'float16' });
  const file = path.join(runsDir({ tryIt: opts.tryIt }), 'snapshots', `${run.kind}-${key}.bin`);
  return { run, schedule, key, file, positions, bytes };
}

/** Each weight's name and shape in `model.weights` order (trainable or not): what a snapshot holds. */
const specsOf = (model: tf.LayersModel) =>
  model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[] }));
const sizesOf = (specs: Header['weights']) => specs.map((w) => w.shape.reduce((a, b) => a * b, 1));

/** Gives the model these weights (same order and sizes as `model.weights`). */
function setWeightsFrom(model: tf.LayersModel, weights: Float32Array[]): void {
  const tensors = model.weights.map((w, i) => tf.tensor(weights[i], w.shape as number[]));
  model.setWeights(tensors); // copies into the model's variables
  tf.dispose(tensors);
}

/** Loads a finished snapshot file, or says why it cannot. */
export function loadSnapshots<K extends ModelKind>(
  plan: SnapshotPlan<K>,
): { ok: true; set: SnapshotSet<K>; reason?: undefined } | { ok: false; reason: string } {
  const got = readBlob<Header<K>>(plan.file, plan.key);
  if (!got.ok) return { ok: false, reason: got.reason };
  const { header, payload } = got.blob;
  const bits = bitsOf(payload);
  const sizes = sizesOf(header.weights);
  const per = sizes.reduce((a, b) => a + b, 0);
  const snapshots = header.snapshots.map((info, i) => ({
    ...info,
    weights: cut(fromFloat16(bits.subarray(i * per, (i + 1) * per)), sizes),
  }));
  return { ok: true, set: { ...header, snapshots, source: 'saved', file: plan.file } };
}

/**
 * The run's snapshots: loaded from data/snapshots/ when finished there, else trained now
 * (resuming an interrupted attempt from its last epoch) and saved.
 */
export async function snapshotsOrTrain<K extends ModelKind>(
  opts: SnapshotOptions<K>,
): Promise<SnapshotSet<K>> {
  const plan = planSnapshots(opts);
  const log = opts.log ?? ((m: string) => console.error(m));
  if (!opts.retrain) {
    const got = loadSnapshots(plan);
    if (got.ok) return got.set;
    if (got.reason !== 'missing') {
      const moved = quarantine(plan.file);
      log(`${plan.file} is unusable (${got.reason}): moved to ${moved}, training again`);
    }
  }
  requireTrainingBackend();
  const ckpt = checkpointFile(`snapshots-${plan.run.kind}-${plan.key}`);
  const unlock = lockRun(ckpt, `snapshots of ${plan.run.name}`);
  try {
    const data = loadDataset(plan.run.data, { log }).dataset;
    return await train({ plan, ckpt, data, opts, log }, false);
  } finally {
    unlock();
  }
}

interface Job<K extends ModelKind> {
  plan: SnapshotPlan<K>;
  ckpt: string;
  data: Dataset;
  opts: SnapshotOptions<K>;
  log: (m: string) => void;
}

/** Trains the plan's run, snapshotting as it goes; `fresh` ignores any checkpoint. */
async function train<K extends ModelKind>(job: Job<K>, fresh: boolean): Promise<SnapshotSet<K>> {
  const { plan, ckpt, data, opts, log } = job;
  const { run, schedule } = plan;
  const partial = `${ckpt}.snapshots`;
  const built = buildResolved(run.kind, run.config);
  const learner = new Learner(built, data, run.fit);
  const sizes = sizesOf(specsOf(built.model));
  const per = sizes.reduce((a, b) => a + b, 0);
  const taken: { info: SnapshotInfo; bits: Uint16Array }[] = [];
  const take = (position: number, validLoss: number) => {
    const all = new Float32Array(per);
    built.model.getWeights().reduce((o, w) => (all.set(w.dataSync(), o), o + w.size), 0);
    taken.push({ info: { position, step: learner.step, validLoss }, bits: toFloat16(all) });
  };
  const save = (file: string, header: object) => {
    const bits = new Uint16Array(taken.length * per);
    taken.forEach((t, i) => bits.set(t.bits, i * per));
    const payload = new Uint8Array(bits.buffer);
    writeBlob(file, plan.key, { ...header, snapshots: taken.map((t) => t.info) }, payload);
  };
  try {
    const resumed = fresh ? 0 : await restoreCheckpoint(ckpt, plan.key, learner, log);
    if (resumed > 0) {
      const got = readBlob<{ snapshots: SnapshotInfo[] }>(partial, plan.key);
      if (!got.ok) {
        log(`${run.name}: the checkpoint's snapshots are ${got.reason}; starting over`);
        return train(job, true);
      }
      // Keep what the checkpoint's epochs produced (the file may be one epoch ahead of it).
      const bits = bitsOf(got.blob.payload);
      got.blob.header.snapshots.forEach((info, i) => {
        if (info.position <= resumed)
          taken.push({ info, bits: bits.slice(i * per, (i + 1) * per) });
      });
      log(`${run.name}: snapshots resume after epoch ${resumed}`);
    }
    if (resumed === 0) take(0, learner.evaluate('valid'));
    const fractions = (e: ProgressEvent) => {
      opts.onProgress?.(e);
      if (e.validLoss !== undefined || e.epoch >= schedule.fineEpochs) return;
      for (let j = 1; j < schedule.perEpoch; j++)
        if (e.batch === Math.round((j * e.batches) / schedule.perEpoch))
          take(e.epoch + j / schedule.perEpoch, learner.evaluate('valid'));
    };
    await learner.fit(run.fit.epochs, {
      onProgress: fractions,
      onEpochEnd: async (l) => {
        take(l.epochsDone, l.history[l.history.length - 1].loss); // the validation just done
        if (l.epochsDone < run.fit.epochs) {
          save(partial, {}); // first the snapshots, then the checkpoint: never a checkpoint ahead of them
          await saveCheckpoint(ckpt, plan.key, l);
        }
      },
    });
    const lossesOf = (split: string) => learner.history.filter((p) => p.split === split);
    const testLoss = learner.evaluate('test');
    // Last: this sets the model's weights to the float16-rounded ones.
    setWeightsFrom(built.model, cut(fromFloat16(taken[taken.length - 1].bits), sizes));
    const validLossFloat16 = learner.evaluate('valid');
    const header: Omit<Header<K>, 'snapshots'> = {
      kind: run.kind,
      config: run.config,
      data: run.data,
      fit: run.fit,
      schedule,
      weights: specsOf(built.model),
      trainLoss: lossesOf('train').map((p) => Number(p.loss.toPrecision(5))),
      epochValid: lossesOf('valid').map((p) => p.loss),
      epochSeconds: learner.epochSeconds,
      testLoss,
      validLossFloat16,
      resumedFromEpoch: resumed,
      backend: activeBackend(),
      finishedAt: new Date().toISOString(),
    };
    save(plan.file, header);
    fs.rmSync(ckpt, { force: true });
    fs.rmSync(partial, { force: true });
    const loaded = loadSnapshots(plan);
    if (!loaded.ok) throw new Error(`snapshots ${plan.file} did not read back: ${loaded.reason}`);
    return { ...loaded.set, source: 'trained' };
  } finally {
    built.model.dispose();
    learner.optimizer.dispose();
  }
}

/**
 * Each snapshot in turn, applied to one model of the run's architecture and wrapped in a learner
 * on `data` (the run's dataset): `learner.evaluate('valid')`, `attentionMaps(learner, samples)`
 * and the rest of the analysis work on it as on a trained run. The model is freed at the end.
 */
export function* replaySnapshots<K extends ModelKind>(
  set: SnapshotSet<K>,
  data: Dataset,
): Generator<{ snapshot: Snapshot; learner: Learner }> {
  const built = buildResolved(set.kind, set.config);
  const learner = new Learner(built, data, set.fit);
  try {
    for (const snapshot of set.snapshots) {
      setWeightsFrom(built.model, snapshot.weights);
      yield { snapshot, learner };
    }
  } finally {
    built.model.dispose();
    learner.optimizer.dispose();
  }
}
