// The model, data and profile flags the CLI's commands share, turned into configs. Every value
// goes through the one validator, so a bad flag fails before any command starts work.
import { ConfigError } from '../runtime/validate';
import { Flags, UsageError, choiceFlag, intFlag } from '../runtime/args';
import {
  ATTENTION_PLACEMENTS,
  DEFAULTS,
  ModelKind,
  POOLINGS,
  POSITION_AT,
  POSITION_ENCODINGS,
  assertModelKind,
} from '../models/configs';
import { Profile, getProfile } from '../train/profiles';

export const MODEL_FLAGS = [
  '[--kernel-size K] [--key-channels C] [--heads H] [--window R] [--scaled] [--residual | --no-residual]',
  `[--position-encoding ${POSITION_ENCODINGS.join('|')}] [--position-at ${POSITION_AT.join('|')}]`,
  `[--concat | --no-concat] [--pooling ${POOLINGS.join('|')}] [--placement ${ATTENTION_PLACEMENTS.join('|')}] [--reset-state]`,
].join('\n        ');

export const MODEL_FLAG_SPEC = {
  model: { type: 'string' },
  'kernel-size': { type: 'string' },
  'key-channels': { type: 'string' },
  heads: { type: 'string' },
  window: { type: 'string' },
  'position-encoding': { type: 'string' },
  'position-at': { type: 'string' },
  concat: { type: 'boolean' },
  'no-concat': { type: 'boolean' },
  pooling: { type: 'string' },
  scaled: { type: 'boolean' },
  residual: { type: 'boolean' },
  'no-residual': { type: 'boolean' },
  placement: { type: 'string' },
  'reset-state': { type: 'boolean' },
} as const;

/** The flags that size a run: a profile, or its sizes one by one. */
export const SIZE_FLAG_SPEC = {
  profile: { type: 'string' },
  train: { type: 'string' },
  test: { type: 'string' },
  epochs: { type: 'string' },
} as const;

export function modelKind(v: Flags): ModelKind {
  if (typeof v.model !== 'string') throw new UsageError('--model is required');
  return assertModelKind(v.model);
}

/** The model fields set by flags, each refused for a kind that has no such field. */
export function modelOverrides(kind: ModelKind, v: Flags): Record<string, unknown> {
  const given: [string, string, unknown][] = [
    ['kernel-size', 'kernelSize', intFlag(v, 'kernel-size', undefined, 1)],
    ['key-channels', 'keyChannels', intFlag(v, 'key-channels', undefined, 1)],
    ['heads', 'heads', intFlag(v, 'heads', undefined, 1)],
    ['window', 'window', intFlag(v, 'window', undefined, 0)],
    [
      'position-encoding',
      'positionEncoding',
      choiceFlag(v, 'position-encoding', POSITION_ENCODINGS),
    ],
    ['position-at', 'positionAt', choiceFlag(v, 'position-at', POSITION_AT)],
    ['concat', 'concat', v.concat ? true : v['no-concat'] ? false : undefined],
    ['pooling', 'pooling', choiceFlag(v, 'pooling', POOLINGS)],
    ['scaled', 'scaled', v.scaled || undefined],
    ['residual', 'residual', v.residual ? true : v['no-residual'] ? false : undefined],
    ['placement', 'placement', choiceFlag(v, 'placement', ATTENTION_PLACEMENTS)],
    ['reset-state', 'carryState', v['reset-state'] ? false : undefined],
  ];
  for (const flag of ['residual', 'concat'])
    if (v[flag] && v[`no-${flag}`])
      throw new UsageError(`give --${flag} or --no-${flag}, not both`);
  const out: Record<string, unknown> = {};
  for (const [flag, field, value] of given) {
    if (value === undefined) continue;
    if (!(field in DEFAULTS[kind])) {
      throw new ConfigError(
        `--${flag}`,
        `--${flag} does not apply to ${kind} (its fields: ${Object.keys(DEFAULTS[kind]).join(', ')})`,
      );
    }
    out[field] = value;
  }
  return out;
}

export function dataFlags(v: Flags, sizes: { nTrain: number; nTest: number }) {
  return {
    nTrain: intFlag(v, 'train', sizes.nTrain, 2),
    nTest: intFlag(v, 'test', sizes.nTest, 1),
    groupByLocations: !!v['group-by-locations'],
    positionalEncoding: !!v['positional-encoding'],
  };
}

export const profileOf = (v: Flags, fallback?: string): Profile =>
  getProfile(typeof v.profile === 'string' ? v.profile : fallback);

/** Prints one result: the human line, or with --json the object. */
export type Out = (human: string, json: object) => void;
