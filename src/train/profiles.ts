// Named experiment sizes. One setting scales every experiment, so the notebooks, the CLI and
// the tests all agree on what "full", "quick" and "smoke" mean. `full` is the walk-through's own
// scale (25,000/1,000 samples, 50 epochs, a 5,001-step overfit check).

import { checkOneOf } from '../runtime/validate';

export type ProfileName = 'full' | 'quick' | 'smoke';

export interface Profile {
  name: ProfileName;
  /** Training samples generated (20% of them are held out for validation). */
  nTrain: number;
  /** Test samples generated. */
  nTest: number;
  /** Epochs for the walk-through's models. */
  epochs: number;
  /** Steps of the single-batch overfit check, and how often its loss is reported. */
  overfitSteps: number;
  overfitEvery: number;
  /** Training samples and epochs for each point of the kernel-size × key-channel sweep. */
  sweepTrain: number;
  sweepEpochs: number;
  /** Epochs for the position-information experiment. */
  positionEpochs: number;
  /** Training samples and epochs for notebook 08's grids (heads, windows), repeated over seeds. */
  gridTrain: number;
  gridEpochs: number;
  /** The same for grids of LSTM models, whose epochs cost about five times an attention model's. */
  lstmGridTrain: number;
  lstmGridEpochs: number;
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  full: {
    name: 'full',
    nTrain: 25_000,
    nTest: 1_000,
    epochs: 50,
    overfitSteps: 5_001,
    overfitEvery: 1_000,
    sweepTrain: 10_000,
    sweepEpochs: 5,
    positionEpochs: 15,
    gridTrain: 10_000,
    gridEpochs: 20,
    lstmGridTrain: 5_000,
    lstmGridEpochs: 10,
  },
  quick: {
    name: 'quick',
    nTrain: 5_000,
    nTest: 1_000,
    epochs: 10,
    overfitSteps: 1_001,
    overfitEvery: 200,
    sweepTrain: 2_500,
    sweepEpochs: 3,
    positionEpochs: 8,
    gridTrain: 2_500,
    gridEpochs: 5,
    lstmGridTrain: 1_000,
    lstmGridEpochs: 3,
  },
  smoke: {
    name: 'smoke',
    nTrain: 320,
    nTest: 1_000,
    epochs: 1,
    overfitSteps: 21,
    overfitEvery: 10,
    sweepTrain: 320,
    sweepEpochs: 1,
    positionEpochs: 1,
    gridTrain: 320,
    gridEpochs: 1,
    lstmGridTrain: 320,
    lstmGridEpochs: 1,
  },
};

/** The environment variable every entry point reads; the CLI's --profile sets it too. */
export const PROFILE_ENV = 'EA_PROFILE';

/** Resolves a profile by name, or from EA_PROFILE, defaulting to `full`. Throws a ConfigError on an unknown name. */
export function getProfile(name: string | undefined = process.env[PROFILE_ENV]): Profile {
  const key = (name ?? '').trim() || 'full';
  const field = name === undefined ? PROFILE_ENV : 'profile';
  return PROFILES[checkOneOf(field, key, Object.keys(PROFILES) as ProfileName[])];
}

/**
 * Which of a profile's sizes a run uses: its main one (the walk-through's models), its grid
 * sizes (notebook 08's repeated comparisons; a smaller one for LSTMs) or the position
 * experiment's epoch budget.
 */
export type RunSize = 'main' | 'grid' | 'lstm-grid' | 'position';

/** A run size's training samples and epochs, and the label its runs are recorded under. */
export interface SizedRun {
  nTrain: number;
  epochs: number;
  label: string;
}

export function sized(p: Profile, size: RunSize): SizedRun {
  if (size === 'grid')
    return { nTrain: p.gridTrain, epochs: p.gridEpochs, label: `${p.name}-grid` };
  if (size === 'lstm-grid') {
    return { nTrain: p.lstmGridTrain, epochs: p.lstmGridEpochs, label: `${p.name}-lstm-grid` };
  }
  if (size === 'position') {
    return { nTrain: p.nTrain, epochs: p.positionEpochs, label: `${p.name}-position` };
  }
  return { nTrain: p.nTrain, epochs: p.epochs, label: p.name };
}

/**
 * The name to record for a run of these sizes: the expected size's label (by default the
 * profile's own name) when they match it, else 'custom', so a run with `--train 640` is never
 * filed as a profile it is not.
 */
export function profileLabel(
  profile: Profile,
  sizes: { nTrain: number; nTest: number; epochs: number },
  expected: { nTrain: number; epochs: number; label?: string } = profile,
): string {
  const same =
    sizes.nTrain === expected.nTrain &&
    sizes.nTest === profile.nTest &&
    sizes.epochs === expected.epochs;
  return same ? (expected.label ?? profile.name) : 'custom';
}
