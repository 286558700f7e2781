// The single-batch overfit check, saved under data/results/ like a trained run, so redrawing
// its figure never repeats thousands of steps.
import * as path from 'node:path';
import { runsDir } from '../runtime/paths';
import { keyOf, readJsonChecked, writeJsonChecked } from '../runtime/store';
import { loadDataset } from '../data/dataset';
import { buildResolved } from '../models/build';
import { ModelKind } from '../models/configs';
import { OverfitPoint, keyedFit, overfitBatch } from './learner';
import { MODEL_VERSION, RunOptions, planRun } from './runs';

export interface OverfitOptions<K extends ModelKind> extends RunOptions<K> {
  items?: number;
  steps: number;
  every: number;
  retrain?: boolean;
}

/** Returns the check's points, from data/results/ when saved there, else run now and saved. */
export function overfitOrLoad<K extends ModelKind>(
  opts: OverfitOptions<K>,
): { points: OverfitPoint[]; source: 'saved' | 'trained'; seconds: number } {
  const plan = planRun(opts);
  const items = opts.items ?? 20; // the walk-through's first 20 training items
  const key = keyOf({
    version: MODEL_VERSION,
    overfit: true,
    kind: plan.kind,
    config: plan.config,
    data: plan.data,
    items,
    steps: opts.steps,
    every: opts.every,
    train: keyedFit(plan.fit),
  });
  const file = path.join(runsDir(opts), 'results', `overfit-${plan.kind}-${key}.json`);
  if (!opts.retrain) {
    const got = readJsonChecked<{ points: OverfitPoint[]; seconds: number }>(file, key);
    if (got.ok) return { ...got.value, source: 'saved' };
  }
  const data = loadDataset(plan.data, { log: () => {} }).dataset;
  const t0 = performance.now();
  const built = buildResolved(plan.kind, plan.config);
  const points = overfitBatch(built, data, {
    items,
    steps: opts.steps,
    every: opts.every,
    fit: plan.fit,
  });
  built.model.dispose();
  const seconds = (performance.now() - t0) / 1000;
  writeJsonChecked(file, key, { points, seconds });
  return { points, seconds, source: 'trained' };
}
