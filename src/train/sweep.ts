// A grid of model configs, trained one point at a time and recorded in long format.
// Resumable: every finished point is saved (its weights by results.ts, its outcome here), so a
// sweep stopped by Ctrl-C or a kernel restart picks up where it stopped. Safe: a point that
// fails (NaN loss, a bad config) is recorded as failed with its reason and the sweep goes on.
import * as path from 'node:path';
import { activeBackend } from '../runtime/backend';
import { DataConfig } from '../data/task';
import { ModelConfigs, ModelKind } from '../models/configs';
import { ConfigError, collectErrors } from '../runtime/validate';
import { EpochLoss, epochLosses } from './history';
import { DivergedError, FitConfig, keyedFit } from './learner';
import { RunPlan, planRun, trainOrLoad } from './runs';
import { ProgressFn } from './progress';
import { runsDir } from '../runtime/paths';
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
  epochs: EpochLoss[];
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
  fit: Partial<FitConfig>;
  profile?: string;
  /** A notebook's "try it" sweep: its points and outcomes go under data/tmp/try-it/ (git-ignored). */
  tryIt?: boolean;
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
  const key = keyOf({
    kind: point.kind,
    config: point.config,
    data: opts.data,
    train: opts.fit && keyedFit(opts.fit),
  });
  const dir = runsDir({ tryIt: opts.tryIt });
  return { key, file: path.join(dir, 'sweeps', `${point.kind}-${key}.json`) };
}

/**
 * Resolves every point's configs before anything trains. A grid with bad values is refused
 * whole, with every bad value listed, so a typo never costs the minutes of the good points.
 */
export function planSweep(points: readonly SweepPoint[], opts: SweepOptions): RunPlan[] {
  const plans: RunPlan[] = [];
  const errors = collectErrors(
    points.map(
      (p) => () =>
        plans.push(
          planRun({
            kind: p.kind,
            config: p.config,
            data: opts.data,
            fit: opts.fit,
            profile: opts.profile,
            tryIt: opts.tryIt,
          }),
        ),
    ),
  );
  if (errors.length > 0) {
    const list = errors.map((e) => e.message).join('; ');
    throw new ConfigError(
      errors[0].field,
      `the sweep has ${errors.length} bad point(s), nothing was trained: ${list}`,
    );
  }
  return plans;
}

/** Trains every point not already finished; returns one result per point, in grid order. */
export async function runSweep(points: SweepPoint[], opts: SweepOptions): Promise<SweepResult[]> {
  const plans = planSweep(points, opts);
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
      result = await trainPoint(
        point,
        plans[i],
        opts,
        opts.progress?.(point, i, points.length, eta),
      );
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
  plan: RunPlan,
  opts: SweepOptions,
  onProgress: ProgressFn | undefined,
): Promise<SweepResult> {
  const t0 = performance.now();
  const base = {
    label: point.label,
    kind: point.kind,
    backend: activeBackend(),
    epochs: [] as EpochLoss[],
  };
  try {
    const run = await trainOrLoad(plan, { onProgress, log: opts.log });
    const r = run.record;
    return {
      ...base,
      config: plan.config as unknown as Record<string, unknown>,
      status: 'done',
      params: r.params,
      epochs: epochLosses(r.history),
      testLoss: r.testLoss,
      seconds: r.epochSeconds.reduce((a, b) => a + b, 0),
      backend: r.backend,
    };
  } catch (err) {
    // A diverged point is an outcome worth recording; anything else (a lock, a full disk) stops the sweep.
    if (!(err instanceof DivergedError)) throw err;
    return {
      ...base,
      config: point.config as Record<string, unknown>,
      status: 'failed',
      error: err.message.split('\n')[0],
      seconds: (performance.now() - t0) / 1000,
    };
  }
}
