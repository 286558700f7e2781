// A grid of model configs, trained one point at a time and recorded in long format.
// Resumable: every finished point is saved (its weights by results.ts, its outcome here), so a
// sweep stopped by Ctrl-C or a kernel restart picks up where it stopped. Safe: a point that
// fails (NaN loss, a bad config) is recorded as failed with its reason and the sweep goes on.
import * as path from 'node:path';
import { activeBackend } from '../runtime/backend';
import { DataConfig } from '../data/task';
import { Frame, recordsFrame } from '../viz/frames';
import { TrainConfig } from './learner';
import { ModelConfigs, ModelKind, resolveConfig } from '../models/build';
import { ProgressFn } from './progress';
import { trainOrLoad } from './runs';
import { dataDir } from '../runtime/paths';
import { keyOf, readJsonChecked, writeJsonChecked } from '../runtime/store';

export interface SweepPoint<K extends ModelKind = ModelKind> {
  kind: K;
  config: Partial<ModelConfigs[K]>;
  /** A short name for charts, e.g. "attention k5 c32". */
  label: string;
}

export interface SweepResult {
  label: string;
  kind: ModelKind;
  /** The config as asked (the resolved one when it was valid). */
  config: Record<string, unknown>;
  status: 'done' | 'failed';
  error?: string;
  params?: number;
  /** Per epoch: train (mean over the epoch's batches) and valid loss. */
  epochs: { epoch: number; train: number; valid: number }[];
  testLoss?: number;
  seconds: number;
  backend: string;
}

const short: Record<string, string> = {
  kernelSize: 'k',
  keyChannels: 'c',
  channels: 'ch',
  hidden: 'h',
};

export function labelOf(kind: ModelKind, config: Record<string, unknown>): string {
  const parts = Object.entries(config).map(([k, v]) => `${short[k] ?? k + '='}${v}`);
  return [kind, ...parts].join(' ');
}

/** Every combination of the given values, e.g. grid('attention', {kernelSize: [3, 5], keyChannels: [8, 16]}). */
export function grid<K extends ModelKind>(
  kind: K,
  axes: { [P in keyof ModelConfigs[K]]?: ModelConfigs[K][P][] },
  base: Partial<ModelConfigs[K]> = {},
): SweepPoint<K>[] {
  let configs: Record<string, unknown>[] = [{}];
  for (const [field, values] of Object.entries(axes) as [string, unknown[]][]) {
    if (!Array.isArray(values) || values.length === 0)
      throw new Error(`grid: axis '${field}' needs at least one value`);
    configs = configs.flatMap((c) => values.map((v) => ({ ...c, [field]: v })));
  }
  return configs.map((c) => ({
    kind,
    config: { ...base, ...c } as Partial<ModelConfigs[K]>,
    label: labelOf(kind, c),
  }));
}

export interface SweepOptions {
  data: Partial<DataConfig>;
  train: Partial<TrainConfig>;
  profile?: string;
  /** Called after each point, finished or failed (a throw here stops the sweep, like Ctrl-C). */
  onPoint?: (r: SweepResult, done: number, total: number) => void;
  /** Progress of the point being trained. */
  progress?: (
    point: SweepPoint,
    index: number,
    total: number,
    etaSeconds: number | undefined,
  ) => ProgressFn | undefined;
  log?: (msg: string) => void;
}

function outcomeFile(point: SweepPoint, opts: SweepOptions): { file: string; key: string } {
  const key = keyOf({ kind: point.kind, config: point.config, data: opts.data, train: opts.train });
  return { key, file: path.join(dataDir(), 'sweeps', `${point.kind}-${key}.json`) };
}

/** Trains every point not already finished; returns one result per point, in grid order. */
export async function runSweep(points: SweepPoint[], opts: SweepOptions): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  const trainedSeconds: number[] = [];
  for (const [i, point] of points.entries()) {
    const { file, key } = outcomeFile(point, opts);
    const saved = readJsonChecked<SweepResult>(file, key);
    let result: SweepResult;
    if (saved.ok) {
      result = saved.value;
    } else {
      const left = points.length - i;
      const eta = trainedSeconds.length
        ? (trainedSeconds.reduce((a, b) => a + b, 0) / trainedSeconds.length) * left
        : undefined;
      result = await trainPoint(point, opts, opts.progress?.(point, i, points.length, eta));
      if (result.status === 'done') trainedSeconds.push(result.seconds);
      writeJsonChecked(file, key, result);
    }
    results.push(result);
    opts.onPoint?.(result, i + 1, points.length);
  }
  return results;
}

async function trainPoint(
  point: SweepPoint,
  opts: SweepOptions,
  onProgress: ProgressFn | undefined,
): Promise<SweepResult> {
  const t0 = performance.now();
  const base = {
    label: point.label,
    kind: point.kind,
    backend: activeBackend(),
    epochs: [] as SweepResult['epochs'],
  };
  try {
    const config = resolveConfig(point.kind, point.config) as unknown as Record<string, unknown>;
    const run = await trainOrLoad({
      kind: point.kind,
      config: point.config,
      data: opts.data,
      train: opts.train,
      profile: opts.profile,
      onProgress,
      log: opts.log,
    });
    const r = run.record;
    const epochs = r.history
      .filter((p) => p.split === 'valid')
      .map((v) => {
        const batches = r.history.filter((p) => p.split === 'train' && p.epoch === v.epoch);
        return {
          epoch: v.epoch,
          train: batches.reduce((a, p) => a + p.loss, 0) / batches.length,
          valid: v.loss,
        };
      });
    return {
      ...base,
      config,
      status: 'done',
      params: r.params,
      epochs,
      testLoss: r.testLoss,
      seconds: r.epochSeconds.reduce((a, b) => a + b, 0),
      backend: r.backend,
    };
  } catch (err) {
    if (!(err instanceof Error)) throw err; // a DivergedError or a config error: record it, go on
    return {
      ...base,
      config: point.config as Record<string, unknown>,
      status: 'failed',
      error: err.message.split('\n')[0],
      seconds: (performance.now() - t0) / 1000,
    };
  }
}

/**
 * Sweep results in long format: one row per (point, epoch) with the config's fields, params,
 * train and valid loss, plus the point's test loss, seconds, backend and status. A failed
 * point gives one row with status 'failed' and its error.
 */
export function sweepFrame(results: readonly SweepResult[]): Frame {
  const fields = [...new Set(results.flatMap((r) => Object.keys(r.config)))].filter(
    (f) => f !== 'seed' && f !== 'inChannels',
  );
  const rows = results.flatMap((r) => {
    const common = {
      label: r.label,
      model: r.kind,
      ...Object.fromEntries(
        fields.map((f) => [f, (r.config[f] as number | string | undefined) ?? '']),
      ),
      params: r.params ?? 0,
      test: r.testLoss ?? NaN,
      seconds: r.seconds,
      backend: r.backend,
      status: r.status,
      error: r.error ?? '',
    };
    if (r.status === 'failed' || r.epochs.length === 0)
      return [{ ...common, epoch: -1, train: NaN, valid: NaN }];
    return r.epochs.map((e) => ({ ...common, epoch: e.epoch, train: e.train, valid: e.valid }));
  });
  return recordsFrame(rows, [
    'label',
    'model',
    ...fields,
    'params',
    'epoch',
    'train',
    'valid',
    'test',
    'seconds',
    'backend',
    'status',
    'error',
  ]);
}

/** The last epoch of each finished point: what the sweep heatmap and scatter plot show. */
export function finalRows(results: readonly SweepResult[]): SweepResult[] {
  return results.filter((r) => r.status === 'done' && r.epochs.length > 0);
}
