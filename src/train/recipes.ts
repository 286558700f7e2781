// Named training recipes: how a model is fitted (schedule, peak rate, batch, epochs), chosen by
// name in `fit` and on the CLI (`--recipe fast`). The walk-through's notebooks keep `blog`, so
// their figures stay faithful; exploration (the sweep, the variants, try-it cells) may use `fast`
// and says so. Sizes (samples) stay the profile's business (profiles.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../runtime/paths';
import { ConfigError } from '../runtime/validate';
import { DEFAULT_FIT, FitConfig } from './learner';

export const RECIPE_NAMES = ['blog', 'fast'] as const;
export type RecipeName = (typeof RECIPE_NAMES)[number];

export const RECIPES: Readonly<Record<RecipeName, Readonly<Partial<FitConfig>>>> = {
  // The walk-through's: Adam at a flat 1e-3, batch 128, 50 epochs (learner.ts's defaults).
  blog: {},
  // One-cycle to reach the blog's level (validation MSE ≤ 0.001) in minutes. Its peak, warm-up,
  // batch and epochs come from the search in README.md ("A fast recipe"): it reached the level at
  // epoch 3–4 over three seeds and ended below the blog recipe's 50 epochs; batch 64 needed 7
  // epochs, and batch 32 takes half batch 16's steps per epoch.
  fast: { schedule: 'onecycle', lr: 3e-3, warmup: 0.25, batchSize: 32, epochs: 6 },
};

/** The fit settings of a named recipe; throws a ConfigError naming the valid ones. */
export function recipeFit(name: string): Partial<FitConfig> {
  if (!(RECIPE_NAMES as readonly string[]).includes(name))
    throw new ConfigError(
      'recipe',
      `recipe must be one of ${RECIPE_NAMES.join(', ')}, got '${name}'`,
    );
  return { ...RECIPES[name as RecipeName] };
}

/** The recipe a fit config follows, if it is exactly one of them (for labels and tables). */
export function recipeOf(fit: FitConfig): RecipeName | undefined {
  return RECIPE_NAMES.find((name) =>
    Object.entries({ ...DEFAULT_FIT, ...RECIPES[name] }).every(
      ([k, v]) => k === 'seed' || fit[k as keyof FitConfig] === v,
    ),
  );
}

/** One candidate of the search behind `fast`: its fit and its validation loss after each epoch. */
export interface RecipeTrial {
  fit: FitConfig;
  test: number;
  epochs: { epoch: number; valid: number; seconds: number }[];
}

/**
 * The committed results of the recipe search (scripts/recipe-search.ts writes them), by candidate
 * name `schedule:peak:batch:epochs:warm-up[@seed]`. Read from the repository, not the data folder:
 * they are a record of how `fast` was chosen, not something a notebook recomputes.
 */
export function recipeSearch(
  file = path.join(ROOT, 'data', 'results', 'recipe-search.json'),
): Record<string, RecipeTrial> {
  const trials = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, RecipeTrial>;
  for (const [name, t] of Object.entries(trials))
    if (!Array.isArray(t.epochs) || !t.epochs.every((e) => Number.isFinite(e.valid)))
      throw new Error(`${file}: candidate ${name} has no validation losses`);
  return trials;
}
