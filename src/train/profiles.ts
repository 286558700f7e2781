// Named experiment sizes. One setting scales every experiment, so the notebooks, the CLI and
// the tests all agree on what "full", "quick" and "smoke" mean. `full` is the walk-through's own
// scale (25,000/1,000 samples, 50 epochs, a 5,001-step overfit check).

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
  },
};

/** The environment variable every entry point reads; the CLI's --profile sets it too. */
export const PROFILE_ENV = 'EA_PROFILE';

/** Resolves a profile by name, or from EA_PROFILE, defaulting to `full`. Throws on an unknown name. */
export function getProfile(name: string | undefined = process.env[PROFILE_ENV]): Profile {
  const key = (name ?? '').trim() || 'full';
  if (!(key in PROFILES)) {
    throw new Error(
      `unknown profile '${key}' (from ${name === undefined ? PROFILE_ENV : 'argument'}); expected one of: ${Object.keys(PROFILES).join(', ')}`,
    );
  }
  return PROFILES[key as ProfileName];
}
