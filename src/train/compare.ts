// The experiment harness: train every variant under every seed, and read the result as long-format
// rows and a per-variant summary over seeds. Each (variant, seed) is an ordinary saved run
// (runs.ts), so a comparison resumes point by point: finished runs load, an interrupted one
// continues from its checkpoint. A seed changes the initial weights and the batch order; with
// `varyData` it also draws another dataset (the generator's seed moves by the same amount).
import { DataConfig, DEFAULT_DATA } from '../data/task';
import { ModelConfigs, ModelKind } from '../models/configs';
import { checkInt } from '../runtime/validate';
import { median } from '../runtime/stats';
import { epochLosses } from './history';
import { FitConfig } from './learner';
import { RunPlan, TrainCallbacks, planRun, trainOrLoad } from './runs';

export interface Variant<K extends ModelKind = ModelKind> {
  /** The name rows and summaries carry. */
  name: string;
  kind: K;
  config?: Partial<ModelConfigs[K]>;
}

export interface CompareOptions {
  /** The seeds, or how many (0, 1, …, n − 1). At least one. */
  seeds: number | readonly number[];
  /** A named recipe (recipes.ts); the walk-through's by default. */
  recipe?: string;
  data?: Partial<DataConfig>;
  /** Overrides of the recipe's fit (e.g. `epochs`, the budget). */
  fit?: Partial<FitConfig>;
  /** Also vary the data draw with the seed. */
  varyData?: boolean;
  /** Save under the ignored try-it folder. */
  tryIt?: boolean;
  retrain?: boolean;
  log?: TrainCallbacks['log'];
  /** Told after each (variant, seed) whether its run was trained now or loaded. */
  onRun?: (variant: string, seed: number, source: 'trained' | 'saved') => void;
}

/** One row per variant, seed and finished epoch. */
export interface CompareRow {
  variant: string;
  seed: number;
  epoch: number;
  train: number;
  valid: number;
  /** Whether this epoch counts towards the run's final loss (see `finalEpochs`). */
  final: boolean;
}

/** Under a flat learning rate, the epochs whose median validation loss is a run's final one. */
export const FINAL_EPOCHS = 5;

/**
 * How many last epochs stand for a run's final loss. Under a flat learning rate the validation
 * loss swings by up to 2× from epoch to epoch near convergence, so the median of the last 5 is
 * robust where the last epoch is luck. A one-cycle run anneals its rate to ~0 (PyTorch's
 * OneCycleLR: peak / 25 / 10⁴) and its loss still falls until the last epoch, so the median of
 * its last 5 of 6 epochs would be an earlier, higher point: there, its last epoch is the final.
 */
export function finalEpochs(fit: Pick<FitConfig, 'schedule'>): number {
  return fit.schedule === 'onecycle' ? 1 : FINAL_EPOCHS;
}

function seedList(seeds: CompareOptions['seeds']): number[] {
  const list = typeof seeds === 'number' ? Array.from({ length: seeds }, (_, i) => i) : [...seeds];
  if (!list.length) throw new Error('compare: give at least one seed');
  list.forEach((s) => checkInt('compare.seed', s, 0));
  return list;
}

/** Every (variant, seed) run planned and validated before any trains: a bad one fails them all. */
export function planCompare(
  variants: readonly Variant[],
  opts: CompareOptions,
): { variant: string; seed: number; plan: RunPlan }[] {
  if (!variants.length) throw new Error('compare: give at least one variant');
  const names = variants.map((v) => v.name);
  if (new Set(names).size !== names.length)
    throw new Error(`compare: variant names repeat (${names.join(', ')})`);
  const baseSeed = opts.data?.seed ?? DEFAULT_DATA.seed;
  return variants.flatMap((v) =>
    seedList(opts.seeds).map((seed) => ({
      variant: v.name,
      seed,
      plan: planRun({
        kind: v.kind,
        config: { ...v.config, seed } as Partial<ModelConfigs[ModelKind]>,
        data: opts.varyData ? { ...opts.data, seed: baseSeed + seed } : opts.data,
        fit: { ...opts.fit, seed },
        recipe: opts.recipe,
        tryIt: opts.tryIt,
      }),
    })),
  );
}

/** Trains (or loads) every variant under every seed; returns their epochs as long-format rows. */
export async function compare(
  variants: readonly Variant[],
  opts: CompareOptions,
): Promise<CompareRow[]> {
  const rows: CompareRow[] = [];
  for (const { variant, seed, plan } of planCompare(variants, opts)) {
    const run = await trainOrLoad(plan, { retrain: opts.retrain, log: opts.log });
    opts.onRun?.(variant, seed, run.source);
    const epochs = epochLosses(run.record.history);
    const firstFinal = epochs.length - finalEpochs(plan.fit);
    epochs.forEach((e, i) =>
      rows.push({
        variant,
        seed,
        epoch: e.epoch + 1,
        train: e.train,
        valid: e.valid,
        final: i >= firstFinal,
      }),
    );
    run.built.model.dispose();
    run.learner.optimizer.dispose();
  }
  return rows;
}

/** One seed's final loss: the median validation loss of its epochs marked `final`. */
export interface SeedFinal {
  variant: string;
  seed: number;
  final: number;
}

/** Each (variant, seed)'s final loss, in first-seen order. */
export function seedFinals(rows: readonly CompareRow[]): SeedFinal[] {
  const runs = new Map<string, { variant: string; seed: number; rows: CompareRow[] }>();
  for (const r of rows) {
    const key = JSON.stringify([r.variant, r.seed]);
    const run = runs.get(key) ?? { variant: r.variant, seed: r.seed, rows: [] };
    runs.set(key, run);
    run.rows.push(r);
  }
  return [...runs.values()].map(({ variant, seed, rows: rs }) => ({
    variant,
    seed,
    final: median(rs.filter((r) => r.final).map((r) => r.valid)),
  }));
}

export interface SeedSummary {
  variant: string;
  seeds: number;
  /** Each seed's final loss (seedFinals), in seed order as first seen. */
  finals: number[];
  median: number;
  min: number;
  max: number;
}

/** Per variant, in first-seen order: the seeds' final losses, their median and their range. */
export function summarizeSeeds(rows: readonly CompareRow[]): SeedSummary[] {
  const byVariant = new Map<string, number[]>();
  for (const f of seedFinals(rows))
    byVariant.set(f.variant, [...(byVariant.get(f.variant) ?? []), f.final]);
  return [...byVariant].map(([variant, finals]) => ({
    variant,
    seeds: finals.length,
    finals,
    median: median(finals),
    min: Math.min(...finals),
    max: Math.max(...finals),
  }));
}
