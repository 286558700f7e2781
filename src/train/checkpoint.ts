// Checkpoints: the whole state of a learner after a finished epoch (model weights, Adam's
// moments and step count, the loss history, the epoch times and the epoch number), written
// atomically under data/checkpoints/, so a run killed at any moment resumes from its last
// finished epoch. The batch order needs no saved PRNG state: epoch e always shuffles with the
// PRNG seeded `${seed}/epoch/${e}` (learner.ts), so the epoch number is the shuffling position.
// A lock file next to the checkpoint keeps two processes from training the same run at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { dataDir } from '../runtime/paths';
import { quarantine, readBlob, writeBlob } from '../runtime/store';
import { LossPoint } from './history';
import { Learner } from './learner';

interface CheckpointHeader {
  epochsDone: number;
  step: number;
  history: LossPoint[];
  epochSeconds: number[];
  modelSpecs: tf.io.WeightsManifestEntry[];
  optimizerSpecs: tf.io.WeightsManifestEntry[];
  /** Bytes of the model's weights at the start of the payload; the optimizer's follow. */
  modelBytes: number;
}

export function checkpointFile(name: string): string {
  return path.join(dataDir(), 'checkpoints', `${name}.ckpt`);
}

const bytesOf = (data: tf.io.WeightData) =>
  new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);

/** Writes the learner's state after its last finished epoch (atomic: the old checkpoint or the new one). */
export async function saveCheckpoint(file: string, key: string, learner: Learner): Promise<void> {
  const model = learner.built.model.weights.map((w) => ({
    name: w.originalName,
    tensor: w.read(),
  }));
  const optimizer = await learner.optimizer.getWeights();
  const m = await tf.io.encodeWeights(model);
  const o = await tf.io.encodeWeights(optimizer);
  optimizer[0].tensor.dispose(); // the iteration count, a fresh scalar; the rest are Adam's own variables
  const mb = bytesOf(m.data);
  const ob = bytesOf(o.data);
  const payload = new Uint8Array(mb.byteLength + ob.byteLength);
  payload.set(mb, 0);
  payload.set(ob, mb.byteLength);
  const header: CheckpointHeader = {
    epochsDone: learner.epochsDone,
    step: learner.step,
    history: learner.history,
    epochSeconds: learner.epochSeconds,
    modelSpecs: m.specs,
    optimizerSpecs: o.specs,
    modelBytes: mb.byteLength,
  };
  writeBlob(file, key, header, payload);
}

/**
 * Restores a checkpoint into a fresh learner of the same run. Returns the epoch it resumes
 * from, 0 when there is none; an unusable checkpoint is moved aside (never deleted) and the
 * run starts over, with a message.
 */
export async function restoreCheckpoint(
  file: string,
  key: string,
  learner: Learner,
  log: (msg: string) => void,
): Promise<number> {
  const got = readBlob<CheckpointHeader>(file, key);
  if (!got.ok) {
    if (got.reason !== 'missing') {
      const moved = quarantine(file);
      log(
        `checkpoint ${path.basename(file)} is unusable: ${got.reason}; moved it to ${moved && path.basename(moved)}, starting over`,
      );
    }
    return 0;
  }
  const h = got.blob.header;
  const buf = got.blob.payload;
  const slice = (from: number, to: number) =>
    buf.buffer.slice(buf.byteOffset + from, buf.byteOffset + to) as ArrayBuffer;
  const weights = tf.io.decodeWeights(slice(0, h.modelBytes), h.modelSpecs);
  const moments = tf.io.decodeWeights(slice(h.modelBytes, buf.byteLength), h.optimizerSpecs);
  const modelWeights = learner.built.model.weights;
  if (modelWeights.length !== h.modelSpecs.length) {
    tf.dispose([...Object.values(weights), ...Object.values(moments)]);
    throw new Error(
      `checkpoint ${file} holds ${h.modelSpecs.length} weights, the model has ${modelWeights.length}`,
    );
  }
  learner.built.model.setWeights(h.modelSpecs.map((s) => weights[s.name]));
  // Adam's moments are matched to variables by position, so keep the saved order.
  await learner.optimizer.setWeights(
    h.optimizerSpecs.map((s) => ({ name: s.name, tensor: moments[s.name] })),
  );
  tf.dispose(Object.values(weights));
  // setWeights copied the moments into new variables (all but the iteration count, a scalar it read).
  tf.dispose(Object.values(moments));
  learner.epochsDone = h.epochsDone;
  learner.step = h.step;
  learner.history = h.history;
  learner.epochSeconds = h.epochSeconds;
  return h.epochsDone;
}

/** Thrown when another live process holds a run's lock. */
export class RunLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock of one run (`<checkpoint>.lock`, holding the owner's pid). A lock left by a
 * process that has died (a kill) is taken over; one held by a live process is refused with
 * a message that says which. Returns the function that releases it.
 */
export function lockRun(file: string, what: string): () => void {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lock, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new RunLockedError(
          `${what} is being trained by another process (pid ${owner}); wait for it to finish and run this again, or stop that process (lock: ${lock})`,
        );
      }
      fs.rmSync(lock, { force: true }); // stale: its owner died
    }
  }
  throw new RunLockedError(`could not take the lock ${lock}`);
}
