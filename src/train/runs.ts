// Trained runs, saved under data/models/ and keyed by model, data and fit config (seeds
// included). A notebook or CLI call reuses a saved run unless asked to retrain, so every figure
// can be redrawn without training again. A run in progress writes a checkpoint after every
// epoch and resumes from it when started again (checkpoint.ts); once it finishes, the
// checkpoint is folded into the saved run and removed. Saves are atomic; a corrupt or
// incompatible file is moved aside and retrained, with a message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, requireTrainingBackend } from '../runtime/backend';
import { runsDir } from '../runtime/paths';
import { keyOf, quarantine, readBlob, writeBlob } from '../runtime/store';
import { DEFAULT_DATA, DataConfig, validateDataConfig } from '../data/task';
import { LoadedDataset, loadDataset } from '../data/dataset';
import { BuiltModel, buildResolved } from '../models/build';
import { DEFAULTS, ModelConfigs, ModelKind, resolveConfig } from '../models/configs';
import { checkpointFile, lockRun, restoreCheckpoint, saveCheckpoint } from './checkpoint';
import { EpochLoss, LossPoint, epochLosses, finalLosses } from './history';
import { recipeFit } from './recipes';
import {
  DEFAULT_FIT,
  FitConfig,
  Learner,
  ProgressEvent,
  keyedFit,
  validateFitConfig,
} from './learner';

/** Bumped when model code changes in a way that makes old weights meaningless. */
export const MODEL_VERSION = 1;

/** Everything recorded about one training run, next to its weights. */
export interface RunRecord<K extends ModelKind = ModelKind> {
  kind: K;
  config: ModelConfigs[K];
  data: DataConfig;
  fit: FitConfig;
  params: number;
  backend: string;
  /** The profile whose sizes the run used, or 'custom'. */
  profile: string;
  history: LossPoint[];
  epochSeconds: number[];
  trainLoss: number;
  validLoss: number;
  testLoss: number;
  /** The epoch the run resumed from after an interruption; 0 when it ran unbroken. */
  resumedFromEpoch: number;
  finishedAt: string;
}

/** A run's configs, resolved and validated once, and where it lives on disk. */
export interface RunPlan<K extends ModelKind = ModelKind> {
  kind: K;
  config: ModelConfigs[K];
  data: DataConfig;
  fit: FitConfig;
  profile: string;
  key: string;
  file: string;
  /** A short readable name for messages: "attention k5 c96 (50 epochs, 25,000 samples)". */
  name: string;
}

// Fields added to a config after the first full run join the key only when they differ from
// their defaults, so the committed runs keep their keys (and their files) while a tweak of a
// new field still gets a run of its own.
const LATER_FIELDS = [
  'heads',
  'window',
  'positionEncoding',
  'carryState',
  'concat',
  'pooling',
  'positionAt',
];

export function runKey(kind: ModelKind, config: object, data: DataConfig, fit: FitConfig): string {
  const defaults = DEFAULTS[kind] as unknown as Record<string, unknown>;
  const keyed = Object.fromEntries(
    Object.entries(config).filter(([k, v]) => !(LATER_FIELDS.includes(k) && defaults[k] === v)),
  );
  return keyOf({ version: MODEL_VERSION, kind, config: keyed, data, train: keyedFit(fit) });
}

export function runFile(kind: ModelKind, key: string, tryIt = false): string {
  return path.join(runsDir({ tryIt }), 'models', `${kind}-${key}.bin`);
}

export interface RunOptions<K extends ModelKind> {
  kind: K;
  config?: Partial<ModelConfigs[K]>;
  data?: Partial<DataConfig>;
  fit?: Partial<FitConfig>;
  /** Recorded with the run; 'custom' unless the caller knows the sizes are a profile's. */
  profile?: string;
  /** A notebook's "try it" run: saved under data/tmp/try-it/ (git-ignored), not data/models/. */
  tryIt?: boolean;
  /** A named training recipe (recipes.ts) under `fit`'s own fields; the walk-through's by default. */
  recipe?: string;
}

/** Resolves and validates every config of a run, before any work: a bad field throws here. */
export function planRun<K extends ModelKind>(opts: RunOptions<K>): RunPlan<K> {
  const config = resolveConfig(opts.kind, opts.config);
  const data = validateDataConfig({ ...DEFAULT_DATA, ...opts.data });
  const fit = validateFitConfig({
    ...DEFAULT_FIT,
    ...recipeFit(opts.recipe ?? 'blog'),
    ...opts.fit,
  });
  const key = runKey(opts.kind, config, data, fit);
  const name = `${opts.kind} (${fit.epochs} epochs, ${data.nTrain.toLocaleString('en')} samples)`;
  return {
    kind: opts.kind,
    config,
    data,
    fit,
    profile: opts.profile ?? 'custom',
    key,
    file: runFile(opts.kind, key, opts.tryIt),
    name,
  };
}

interface SavedHeader {
  record: RunRecord;
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
}

export async function saveRun(
  file: string,
  key: string,
  built: BuiltModel,
  record: RunRecord,
): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await built.model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const header: SavedHeader = {
    record,
    modelTopology: artifacts!.modelTopology as object,
    weightSpecs: artifacts!.weightSpecs!,
  };
  writeBlob(file, key, header, new Uint8Array(artifacts!.weightData as ArrayBuffer));
}

/** Records saved before the fit config had its name (`train`) or a resume count. */
function upgradeRecord(r: RunRecord & { train?: FitConfig }): RunRecord {
  const { train, ...rest } = r;
  return { ...rest, fit: r.fit ?? train!, resumedFromEpoch: r.resumedFromEpoch ?? 0 };
}

export async function loadRun(
  file: string,
  key: string,
): Promise<
  | { ok: true; record: RunRecord; model: tf.LayersModel; reason?: undefined }
  | { ok: false; reason: string }
> {
  const got = readBlob<SavedHeader>(file, key);
  if (!got.ok) return { ok: false, reason: got.reason };
  const { header, payload } = got.blob;
  try {
    const weightData = payload.buffer.slice(
      payload.byteOffset,
      payload.byteOffset + payload.byteLength,
    ) as ArrayBuffer;
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: header.modelTopology,
        weightSpecs: header.weightSpecs,
        weightData,
      }),
    );
    return { ok: true, record: upgradeRecord(header.record), model };
  } catch (err) {
    return { ok: false, reason: `incompatible (${(err as Error).message.split('\n')[0]})` };
  }
}

/** Whether a usable saved run exists for this plan (so `trainOrLoad` would not train). */
export function hasSavedRun(plan: RunPlan): boolean {
  return readBlob(plan.file, plan.key).ok;
}

export interface TrainedRun<K extends ModelKind = ModelKind> {
  built: BuiltModel<K>;
  learner: Learner;
  record: RunRecord<K>;
  /** Whether the weights came from data/models/ or were trained now. */
  source: 'saved' | 'trained';
  loaded: LoadedDataset;
}

export interface TrainCallbacks {
  /** Train again even when a saved run exists (the old file is replaced only once the new run finishes). */
  retrain?: boolean;
  onProgress?: (e: ProgressEvent) => void;
  log?: (msg: string) => void;
}

/** A run's losses, one row per epoch, and the final one. */
export function runEpochs(r: Pick<RunRecord, 'history'>): EpochLoss[] {
  return epochLosses(r.history);
}

/**
 * Returns the trained model for this plan: from data/models/ when saved there, else trained
 * now, resuming from its checkpoint when an earlier attempt was interrupted, and saved when it
 * finishes.
 */
export async function trainOrLoad<K extends ModelKind>(
  plan: RunPlan<K>,
  cb: TrainCallbacks = {},
): Promise<TrainedRun<K>> {
  const log = cb.log ?? ((m: string) => console.error(m));
  const got = cb.retrain ? undefined : await loadRun(plan.file, plan.key);
  if (!got?.ok) requireTrainingBackend(); // before the data are built or anything is moved
  const loaded = loadDataset(plan.data, { log });
  if (got?.ok) {
    const built: BuiltModel<K> = { kind: plan.kind, config: plan.config, model: got.model };
    const learner = new Learner(built, loaded.dataset, plan.fit);
    learner.epochsDone = plan.fit.epochs;
    learner.history = got.record.history;
    return { built, learner, record: got.record as RunRecord<K>, source: 'saved', loaded };
  }
  if (got && got.reason !== 'missing') {
    const moved = quarantine(plan.file);
    log(
      `saved run ${path.basename(plan.file)} is unusable: ${got.reason}; moved it to ${moved && path.basename(moved)} and retraining`,
    );
  }
  return trainNow(plan, cb, loaded, log);
}

/** Trains the plan's model (resuming from its checkpoint), saves the run and returns it. */
async function trainNow<K extends ModelKind>(
  plan: RunPlan<K>,
  cb: TrainCallbacks,
  loaded: LoadedDataset,
  log: (m: string) => void,
): Promise<TrainedRun<K>> {
  const ckpt = checkpointFile(`${plan.kind}-${plan.key}`);
  const unlock = lockRun(ckpt, plan.name);
  try {
    const built = buildResolved(plan.kind, plan.config);
    const learner = new Learner(built, loaded.dataset, plan.fit);
    const resumedFromEpoch = await restoreCheckpoint(ckpt, plan.key, learner, log);
    if (resumedFromEpoch > 0)
      log(`${plan.name}: resuming from the checkpoint after epoch ${resumedFromEpoch}`);
    await learner.fit(plan.fit.epochs, {
      onProgress: cb.onProgress,
      onEpochEnd: (l) =>
        l.epochsDone < plan.fit.epochs ? saveCheckpoint(ckpt, plan.key, l) : undefined,
    });
    const last = finalLosses(epochLosses(learner.history));
    const record: RunRecord<K> = {
      kind: plan.kind,
      config: plan.config,
      data: plan.data,
      fit: plan.fit,
      params: built.model.countParams(),
      backend: activeBackend(),
      profile: plan.profile,
      history: learner.history,
      epochSeconds: learner.epochSeconds,
      trainLoss: last.train,
      validLoss: last.valid,
      testLoss: learner.evaluate('test'),
      resumedFromEpoch,
      finishedAt: new Date().toISOString(),
    };
    await saveRun(plan.file, plan.key, built, record);
    fs.rmSync(ckpt, { force: true }); // folded into the saved run
    return { built, learner, record, source: 'trained', loaded };
  } finally {
    unlock();
  }
}
