// Trained models and their histories, saved under data/models/ and keyed by model config,
// data config and training config (seeds included). A notebook or CLI call reuses a saved run
// unless asked to retrain, so every figure can be redrawn without training again. Saves are
// atomic; a corrupt or incompatible file is moved aside and retrained, with a message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { activeBackend } from '../runtime/backend';
import { DEFAULT_DATA, DataConfig, validateDataConfig } from '../data/task';
import { LoadedDataset, loadDataset } from '../data/dataset';
import { LossPoint } from '../viz/frames';
import {
  DEFAULT_TRAIN,
  FitResult,
  Learner,
  OverfitPoint,
  ProgressEvent,
  TrainConfig,
  overfitBatch,
  validateTrainConfig,
} from './learner';
import { BuiltModel, ModelConfigs, ModelKind, buildModel, resolveConfig } from '../models/build';
import { dataDir } from '../runtime/paths';
import {
  keyOf,
  quarantine,
  readBlob,
  readJsonChecked,
  writeAtomic,
  writeBlob,
  writeJsonChecked,
} from '../runtime/store';

/** Bumped when model code changes in a way that makes old weights meaningless. */
export const MODEL_VERSION = 1;

/** Everything recorded about one training run, next to its weights. */
export interface RunRecord<K extends ModelKind = ModelKind> {
  kind: K;
  config: ModelConfigs[K];
  data: DataConfig;
  train: TrainConfig;
  params: number;
  backend: string;
  profile?: string;
  history: LossPoint[];
  epochSeconds: number[];
  trainLoss: number;
  validLoss: number;
  testLoss: number;
  finishedAt: string;
}

export interface TrainedRun<K extends ModelKind = ModelKind> {
  built: BuiltModel<K>;
  learner: Learner;
  record: RunRecord<K>;
  /** Whether the weights came from data/models/ or were trained now. */
  source: 'saved' | 'trained';
  loaded: LoadedDataset;
}

export function runKey(
  kind: ModelKind,
  config: object,
  data: DataConfig,
  train: TrainConfig,
): string {
  return keyOf({ version: MODEL_VERSION, kind, config, data, train });
}

export function runFile(kind: ModelKind, key: string): string {
  return path.join(dataDir(), 'models', `${kind}-${key}.bin`);
}

interface Header {
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
    tf.io.withSaveHandler(
      async (a) => (
        (artifacts = a),
        { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
      ),
    ),
  );
  const weights = artifacts!.weightData as ArrayBuffer;
  const header: Header = {
    record,
    modelTopology: artifacts!.modelTopology as object,
    weightSpecs: artifacts!.weightSpecs!,
  };
  writeBlob(file, key, header, new Uint8Array(weights));
}

export async function loadRun(
  file: string,
  key: string,
): Promise<
  | { ok: true; header: Header; model: tf.LayersModel; reason?: undefined }
  | { ok: false; reason: string }
> {
  const got = readBlob<Header>(file, key);
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
    return { ok: true, header, model };
  } catch (err) {
    return { ok: false, reason: `incompatible (${(err as Error).message.split('\n')[0]})` };
  }
}

export interface TrainOptions<K extends ModelKind> {
  kind: K;
  config?: Partial<ModelConfigs[K]>;
  data?: Partial<DataConfig>;
  train?: Partial<TrainConfig>;
  /** Train again even when a saved run exists (the old file is replaced only once the new run finishes). */
  retrain?: boolean;
  /** Recorded with the run. */
  profile?: string;
  onProgress?: (e: ProgressEvent) => void;
  log?: (msg: string) => void;
}

/** The resolved configs of a run and where it is saved; nothing is generated or loaded. */
function runLocation<K extends ModelKind>(
  opts: Pick<TrainOptions<K>, 'kind' | 'config' | 'data' | 'train'>,
) {
  const config = resolveConfig(opts.kind, opts.config);
  const data = validateDataConfig({ ...DEFAULT_DATA, ...opts.data });
  const train = validateTrainConfig({ ...DEFAULT_TRAIN, ...opts.train });
  const key = runKey(opts.kind, config, data, train);
  return { config, data, train, key, file: runFile(opts.kind, key) };
}

/** Whether a usable saved run exists for exactly these configs (so `trainOrLoad` would not train). */
export function hasSavedRun<K extends ModelKind>(
  opts: Pick<TrainOptions<K>, 'kind' | 'config' | 'data' | 'train'>,
): boolean {
  const { key, file } = runLocation(opts);
  return readBlob(file, key).ok;
}

/**
 * Returns the trained model for this exact (model, data, training) config: from data/models/
 * when saved there, else trained now and saved when it finishes.
 */
export async function trainOrLoad<K extends ModelKind>(
  opts: TrainOptions<K>,
): Promise<TrainedRun<K>> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const { config, train, key, file } = runLocation(opts);
  const loaded = loadDataset(opts.data, { log });
  const data = loaded.dataset.config;
  if (!opts.retrain) {
    const got = await loadRun(file, key);
    if (got.ok) {
      const built: BuiltModel<K> = {
        kind: opts.kind,
        config,
        model: got.model,
        stateful: opts.kind === 'lstm-blog',
      };
      const learner = new Learner(built, loaded.dataset, train);
      learner.epochsDone = train.epochs;
      return { built, learner, record: got.header.record as RunRecord<K>, source: 'saved', loaded };
    }
    if (got.reason !== 'missing') {
      const moved = quarantine(file);
      log(
        `saved run ${path.basename(file)} is unusable: ${got.reason}; moved it to ${moved && path.basename(moved)} and retraining`,
      );
    }
  }
  const built = buildModel(opts.kind, config);
  const learner = new Learner(built, loaded.dataset, train);
  const fit: FitResult = learner.fit(train.epochs, opts.onProgress);
  const record: RunRecord<K> = {
    kind: opts.kind,
    config,
    data,
    train,
    params: built.model.countParams(),
    backend: activeBackend(),
    profile: opts.profile ?? 'custom',
    history: fit.history,
    epochSeconds: fit.epochSeconds,
    trainLoss: fit.trainLoss,
    validLoss: fit.validLoss,
    testLoss: learner.evaluate('test'),
    finishedAt: new Date().toISOString(),
  };
  await saveRun(file, key, built, record);
  return { built, learner, record, source: 'trained', loaded };
}

/** data/results/summary.json: one entry per walk-through model, from the latest reproduction. */
export function summaryFile(): string {
  return path.join(dataDir(), 'results', 'summary.json');
}

export interface SummaryEntry {
  params: number;
  train_loss: number;
  valid_loss: number;
  test_loss: number;
  epoch_s: number[];
  backend: string;
  profile?: string;
  config: object;
  data: DataConfig;
  train: TrainConfig;
}

/**
 * Adds (or replaces) one model's entry in summary.json under its profile, keeping every other
 * entry, so a quick or smoke reproduction never overwrites the full one. Atomic.
 */
export function recordSummary(name: string, r: RunRecord): void {
  const file = summaryFile();
  let doc: Record<string, Record<string, SummaryEntry>> = {};
  if (fs.existsSync(file)) {
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      quarantine(file); // never overwrite what we cannot read; keep it aside
    }
  }
  const profile = r.profile ?? 'custom';
  doc[profile] ??= {};
  doc[profile][name] = {
    params: r.params,
    train_loss: r.trainLoss,
    valid_loss: r.validLoss,
    test_loss: r.testLoss,
    epoch_s: r.epochSeconds,
    backend: r.backend,
    profile: r.profile,
    config: r.config,
    data: r.data,
    train: r.train,
  };
  writeAtomic(file, JSON.stringify(doc, null, 2) + '\n');
}

export interface OverfitOptions<K extends ModelKind> {
  kind: K;
  config?: Partial<ModelConfigs[K]>;
  data?: Partial<DataConfig>;
  items?: number;
  steps: number;
  every: number;
  train?: Partial<TrainConfig>;
  retrain?: boolean;
}

/**
 * The single-batch overfit check, saved under data/results/ like a trained run, so redrawing
 * its figure never repeats thousands of steps. Returns the points and whether they were saved.
 */
export function overfitOrLoad<K extends ModelKind>(
  opts: OverfitOptions<K>,
): { points: OverfitPoint[]; source: 'saved' | 'trained'; seconds: number } {
  const config = resolveConfig(opts.kind, opts.config);
  const loaded = loadDataset(opts.data, { log: () => {} });
  const train = validateTrainConfig({ ...DEFAULT_TRAIN, ...opts.train });
  const key = keyOf({
    version: MODEL_VERSION,
    overfit: true,
    kind: opts.kind,
    config,
    data: loaded.dataset.config,
    items: opts.items ?? 20,
    steps: opts.steps,
    every: opts.every,
    train,
  });
  const file = path.join(dataDir(), 'results', `overfit-${opts.kind}-${key}.json`);
  if (!opts.retrain) {
    const got = readJsonChecked<{ points: OverfitPoint[]; seconds: number }>(file, key);
    if (got.ok) return { ...got.value, source: 'saved' };
  }
  const t0 = performance.now();
  const points = overfitBatch(buildModel(opts.kind, config), loaded.dataset, {
    items: opts.items,
    steps: opts.steps,
    every: opts.every,
    train: opts.train,
  });
  const seconds = (performance.now() - t0) / 1000;
  writeJsonChecked(file, key, { points, seconds });
  return { points, seconds, source: 'trained' };
}
