// The seeded comparisons behind notebooks 06–08's answers, by name: which variants, which seeds,
// which recipe and which size. The notebooks and `exploring-attention compare --set NAME` read
// the same definitions, so a comparison trained in the background is the one a notebook loads.
// Every set but the blog LSTM's uses the `fast` recipe (one-cycle, 6 epochs at full size; README
// "A fast recipe"): its learning rate anneals to ~0, so a run's last epoch is its final loss
// (compare.ts's `finalEpochs`), and at full size the walk-through's attention model ends lower
// there than after the walk-through's 50 epochs. Seeds vary the weights, the batch order and the
// data draw.
import { DataConfig } from '../data/task';
import { ConfigError } from '../runtime/validate';
import { CompareOptions, Variant } from './compare';
import { Profile, RunSize, sized } from './profiles';
import { recipeFit } from './recipes';

export interface Experiment {
  /** What the comparison asks, for messages and notebook text. */
  question: string;
  variants: readonly Variant[];
  /** The profile's size the runs use (the recipe sets the epochs). */
  size: RunSize;
  data?: Partial<DataConfig>;
  /** The recipe, where it is part of the model: `fast` (RECIPE) otherwise. */
  recipe?: string;
}

/** Three seeds: the fewest from which a spread can be read (the evidence standard). */
export const SEEDS = [0, 1, 2] as const;
export const RECIPE = 'fast';

const gbl = { groupByLocations: true };

export const EXPERIMENTS = {
  // Notebook 08 §1: what a layer between the convs must do (seeds 002 and 003), with the controls
  // that separate the pooled model's weighting from its skip path.
  'beyond-dense': {
    question: 'Is attention more than a dense layer?',
    size: 'main',
    variants: [
      { name: 'cnn', kind: 'cnn' },
      { name: 'gated', kind: 'gated' },
      { name: 'pooled', kind: 'pooled' },
      { name: 'pooled (context only)', kind: 'pooled', config: { concat: false } },
      { name: 'mean pooling', kind: 'pooled', config: { pooling: 'uniform' } },
      { name: 'attention', kind: 'attention' },
      { name: 'attention + residual', kind: 'attention', config: { residual: true } },
    ],
  },
  // Notebook 08 §2–3: seed 004's and seed 000's changes to the attention layer, one at a time.
  'attention-variants': {
    question: 'Which changes to the attention layer matter?',
    size: 'main',
    variants: [
      { name: 'attention', kind: 'attention' },
      { name: 'scaled', kind: 'attention', config: { scaled: true } },
      { name: 'residual', kind: 'attention', config: { residual: true } },
      { name: '2 heads', kind: 'attention', config: { heads: 2 } },
      { name: '4 heads', kind: 'attention', config: { heads: 4 } },
      {
        name: 'sinusoidal positions',
        kind: 'attention',
        config: { positionEncoding: 'sinusoidal' },
      },
    ],
  },
  // Notebook 08 §2: how much reach the task needs. At the grid size (10,000 samples), with the
  // lstm set's attention runs as the whole sequence.
  windows: {
    question: 'How much reach does the task need?',
    size: 'grid',
    variants: [
      { name: '±50', kind: 'attention', config: { window: 50 } },
      { name: 'whole sequence', kind: 'attention' },
    ],
  },
  // Notebooks 06 and 08 §3: attention against the sequence LSTM, and attention placed before or
  // after it (seed 000), beside the LSTM alone at its own size and at the larger placement's
  // parameter count (hidden 162: 214,165 against 215,425), so that a gain is not bought with
  // parameters. At the grid size: an LSTM epoch costs several attention epochs.
  lstm: {
    question: 'Does attention beat the sequence LSTM, and where should it sit beside one?',
    size: 'grid',
    variants: [
      { name: 'attention', kind: 'attention' },
      { name: 'lstm-seq', kind: 'lstm-seq' },
      { name: 'lstm-seq 214k', kind: 'lstm-seq', config: { hidden: 162 } },
      { name: 'attention before LSTM', kind: 'lstm-attention', config: { placement: 'before' } },
      { name: 'attention after LSTM', kind: 'lstm-attention', config: { placement: 'after' } },
    ],
  },
  // Notebook 06: the blog LSTM with its state carried across batches or reset before each. The
  // batch is this model's time axis, so it keeps the walk-through's recipe (batch 128, 50 epochs).
  'lstm-blog-state': {
    question: 'Does the carried state explain the blog LSTM’s loss?',
    size: 'main',
    recipe: 'blog',
    variants: [
      { name: 'state carried (the blog)', kind: 'lstm-blog' },
      { name: 'state reset every batch', kind: 'lstm-blog', config: { carryState: false } },
    ],
  },
  // Notebook 07: a 2 × 2 slice of the kernel-size × key-channel sweep, trained to the end, on
  // the sweep's own 10,000 samples (the grid size).
  'sweep-slice': {
    question: 'Does the sweep’s 5-epoch ranking hold when the models finish?',
    size: 'grid',
    variants: [3, 9].flatMap((kernelSize) =>
      [8, 96].map((keyChannels) => ({
        name: `k${kernelSize} c${keyChannels}`,
        kind: 'attention' as const,
        config: { kernelSize, keyChannels },
      })),
    ),
  },
  // Notebook 08 §2: position information on Fleuret's groupByLocations task: the table (binary
  // bits or sinusoids) × where it enters (beside the input, or added to Q and K's input), so
  // each changes one at a time, beside no positions at all.
  positions: {
    question: 'Sinusoidal or binary positions, and where should they enter?',
    size: 'main',
    data: gbl,
    variants: [
      { name: 'no positions', kind: 'attention' },
      {
        name: 'binary at input',
        kind: 'attention',
        config: { positionEncoding: 'binary', positionAt: 'input' },
      },
      {
        name: 'sinusoidal at input',
        kind: 'attention',
        config: { positionEncoding: 'sinusoidal', positionAt: 'input' },
      },
      { name: 'binary at Q/K', kind: 'attention', config: { positionEncoding: 'binary' } },
      { name: 'sinusoidal at Q/K', kind: 'attention', config: { positionEncoding: 'sinusoidal' } },
    ],
  },
} satisfies Record<string, Experiment>;

export type ExperimentName = keyof typeof EXPERIMENTS;
export const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS) as ExperimentName[];

export function experiment(name: string): Experiment {
  if (!(name in EXPERIMENTS))
    throw new ConfigError(
      'set',
      `set must be one of ${EXPERIMENT_NAMES.join(', ')}, got '${name}'`,
    );
  return EXPERIMENTS[name as ExperimentName];
}

/** compare()'s options for a named set at a profile's size. */
export function experimentOptions(
  name: string,
  profile: Profile,
  seeds: readonly number[] = SEEDS,
): CompareOptions {
  const e = experiment(name);
  const size = sized(profile, e.size);
  const recipe = e.recipe ?? RECIPE;
  return {
    seeds,
    recipe,
    // The recipe's epochs (fast: 6), else the size's (blog: 50 at full size, 1 at smoke size).
    fit: { epochs: recipeFit(recipe).epochs ?? size.epochs },
    varyData: true,
    data: { nTrain: size.nTrain, nTest: profile.nTest, ...e.data },
  };
}
