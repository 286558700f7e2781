// One typed config per model kind, each default written once with its reason, and the one
// function that merges a caller's overrides into the defaults and validates the result.
// tfjs is channels-last, so PyTorch's [batch, channels, 100] is [batch, 100, channels] here.
import {
  ConfigError,
  checkBool,
  checkInt,
  checkKnownFields,
  checkOddInt,
  checkOneOf,
} from '../runtime/validate';

export interface CnnConfig {
  /** Input channels: 1, or 8 with the positional-encoding data variant. */
  inChannels: number;
  /** Hidden channels. */
  channels: number;
  /** Kernel size of every conv; odd, so 'same' padding is symmetric. */
  kernelSize: number;
  /** Number of conv layers (≥ 2). */
  depth: number;
  /** Seed for the weight initialisers. */
  seed: number;
}

import { POSITION_BITS } from '../data/task';
import { POSITION_ENCODINGS, PositionEncoding } from './layers/attention';
import { POOLINGS, Pooling } from './layers/pooling';

export { POOLINGS, POSITION_ENCODINGS };

/**
 * Where the attention model's position table enters (both are fixed tables, no weights):
 *   'qk'     added to the input of Q and K inside the attention layer, table width = the layer's
 *            input channels (64); added because the table then fits the channels it joins, and
 *            only at Q and K so positions steer the scores but not the values (attention.ts).
 *   'input'  7 channels concatenated to the model's 1-channel input inside the model, so conv1
 *            reads 1 + 7 channels: concatenated because adding a table to the one value channel
 *            would mix where a step is with what it holds (position-channels.ts). 'binary' here
 *            is exactly the data option `positionalEncoding` (notebook 07's binary channels).
 * Parameters at the default sizes: 58,177 with no positions and in both 'qk' cells (the table
 * adds none); 60,417 in both 'input' cells, 2,240 (3.9%) more: conv1's 7 extra input channels,
 * 7 × kernel 5 × 64 filters. The table's kind never changes the count.
 */
export const POSITION_AT = ['qk', 'input'] as const;
export type PositionAt = (typeof POSITION_AT)[number];

export interface AttentionConfig {
  inChannels: number;
  /** Channels of the convs and of the attention's V. */
  channels: number;
  /** Kernel size of the four convs; odd. */
  kernelSize: number;
  /** Channels of Q and K (split across the heads). */
  keyChannels: number;
  /** Attention heads; keyChannels and channels must divide by it. */
  heads: number;
  /** Local attention: position i sees only |i − j| ≤ window; 0 means the whole sequence. */
  window: number;
  /** A position table (seed 004's sinusoid, or Fleuret's 7 binary bits), or none. */
  positionEncoding: PositionEncoding;
  /** Where the table enters: Q and K inside the attention layer, or the model's input (POSITION_AT). */
  positionAt: PositionAt;
  /** 1/√(key channels per head) before the softmax (the Transformer's scaled dot product). */
  scaled: boolean;
  /** x + attn(x) across the attention layer (seed 000). */
  residual: boolean;
  seed: number;
}

/** The attention model's outline with the attention layer swapped out (seeds 002 and 003). */
export interface GatedConfig {
  inChannels: number;
  channels: number;
  kernelSize: number;
  seed: number;
}

/** Seed 003's additive attention pooling in the middle, with notebook 08's two controls. */
export interface PooledConfig extends GatedConfig {
  /** Hand every position [x_t ; context] (true) or the context alone (false). */
  concat: boolean;
  /** β from learned scores ('learned'), or 1/100 at every position ('uniform': the plain mean). */
  pooling: Pooling;
}

export interface LstmBlogConfig {
  /** Hidden units. */
  hidden: number;
  /** Carry the (h, c) state from batch to batch, as the blog does; false resets it every batch. */
  carryState: boolean;
  seed: number;
}

export interface LstmSeqConfig {
  inChannels: number;
  /** Hidden units per direction. */
  hidden: number;
  bidirectional: boolean;
  seed: number;
}

export const ATTENTION_PLACEMENTS = ['before', 'after'] as const;

/** The sequence LSTM with a self-attention layer before or after it (seeds 000 and 002). */
export interface LstmAttentionConfig {
  inChannels: number;
  /** Hidden units per direction of the bidirectional LSTM. */
  hidden: number;
  /** Channels the attention works in (a linear map brings the input or the LSTM output to it). */
  channels: number;
  keyChannels: number;
  placement: (typeof ATTENTION_PLACEMENTS)[number];
  residual: boolean;
  seed: number;
}

const SEED = 0; // every model starts from the same draw, so runs differ only by what changed

export const DEFAULT_CNN: Readonly<CnnConfig> = {
  inChannels: 1, // one value per step: the bare sequence
  channels: 64, // the walk-through's width
  kernelSize: 5, // the walk-through's kernel
  depth: 5, // the walk-through's five convs: 62,337 parameters
  seed: SEED,
};

export const DEFAULT_ATTENTION: Readonly<AttentionConfig> = {
  inChannels: 1,
  channels: 64, // the walk-through's width
  kernelSize: 5, // as the CNN
  keyChannels: 96, // the walk-through's key_channels: 58,177 parameters in all
  heads: 1, // the walk-through's single head
  window: 0, // the walk-through attends over the whole sequence
  positionEncoding: 'none', // the walk-through's attention sees content only
  positionAt: 'qk', // seed 004's place for the table, inside the attention (moot with 'none')
  scaled: false, // the walk-through has no 1/√d
  residual: false, // the walk-through has no skip connection
  seed: SEED,
};

export const DEFAULT_GATED: Readonly<GatedConfig> = {
  inChannels: 1,
  channels: 64, // as the attention model, so only the middle layer differs
  kernelSize: 5,
  seed: SEED,
};
export const DEFAULT_POOLED: Readonly<PooledConfig> = {
  ...DEFAULT_GATED,
  concat: true, // seed 003's formula: the context joins each position's own features
  pooling: 'learned', // seed 003's formula: β = softmax of a learned score
};

export const DEFAULT_LSTM_BLOG: Readonly<LstmBlogConfig> = {
  hidden: 128, // the blog's nn.LSTM(100, 128): 130,660 parameters with its Linear(128, 100)
  carryState: true, // the blog's quirk: the state runs across the batches of an epoch
  seed: SEED,
};

export const DEFAULT_LSTM_SEQ: Readonly<LstmSeqConfig> = {
  inChannels: 1,
  hidden: 128, // the blog LSTM's width, now per direction: 134,401 parameters
  bidirectional: true, // each position needs shapes on both sides of it
  seed: SEED,
};

export const DEFAULT_LSTM_ATTENTION: Readonly<LstmAttentionConfig> = {
  inChannels: 1,
  hidden: 128, // as lstm-seq, so the attention layer is the only addition
  channels: 64, // the attention model's width
  keyChannels: 96, // the attention model's key channels
  placement: 'after', // seed 002's order: attention over the LSTM's steps
  residual: true, // seed 000's suggestion
  seed: SEED,
};

export interface ModelConfigs {
  cnn: CnnConfig;
  attention: AttentionConfig;
  gated: GatedConfig;
  pooled: PooledConfig;
  'lstm-blog': LstmBlogConfig;
  'lstm-seq': LstmSeqConfig;
  'lstm-attention': LstmAttentionConfig;
}
export type ModelKind = keyof ModelConfigs;

export const DEFAULTS: { readonly [K in ModelKind]: Readonly<ModelConfigs[K]> } = {
  cnn: DEFAULT_CNN,
  attention: DEFAULT_ATTENTION,
  gated: DEFAULT_GATED,
  pooled: DEFAULT_POOLED,
  'lstm-blog': DEFAULT_LSTM_BLOG,
  'lstm-seq': DEFAULT_LSTM_SEQ,
  'lstm-attention': DEFAULT_LSTM_ATTENTION,
};

export const MODEL_KINDS = Object.keys(DEFAULTS) as ModelKind[];
/** The four models of the walk-through (notebooks 02–06); the rest are notebook 08's variants. */
export const WALKTHROUGH_KINDS: readonly ModelKind[] = [
  'cnn',
  'attention',
  'lstm-blog',
  'lstm-seq',
];

export function assertModelKind(kind: unknown): ModelKind {
  return checkOneOf('model', kind, MODEL_KINDS);
}

/**
 * Merges overrides into the kind's defaults and validates every field. Throws a ConfigError
 * naming the first bad field, before any tensor is made.
 */
export function resolveConfig<K extends ModelKind>(
  kind: K,
  overrides: Partial<ModelConfigs[K]> = {},
): ModelConfigs[K] {
  assertModelKind(kind);
  const base = DEFAULTS[kind] as ModelConfigs[K];
  checkKnownFields(kind, overrides, base);
  const c = { ...base, ...overrides } as ModelConfigs[K];
  const r = c as unknown as Record<string, unknown>;
  const f = (name: string) => `${kind}.${name}`;
  checkInt(f('seed'), r.seed, 0);
  for (const name of ['inChannels', 'channels', 'hidden', 'keyChannels', 'heads']) {
    if (name in r) checkInt(f(name), r[name], 1);
  }
  if ('kernelSize' in r) checkOddInt(f('kernelSize'), r.kernelSize);
  if ('depth' in r) checkInt(f('depth'), r.depth, 2);
  if ('window' in r) checkInt(f('window'), r.window, 0);
  for (const name of ['scaled', 'residual', 'bidirectional', 'carryState', 'concat']) {
    if (name in r) checkBool(f(name), r[name]);
  }
  if ('positionEncoding' in r)
    checkOneOf(f('positionEncoding'), r.positionEncoding, POSITION_ENCODINGS);
  if ('positionAt' in r) {
    checkOneOf(f('positionAt'), r.positionAt, POSITION_AT);
    if (r.positionAt !== 'qk' && r.positionEncoding === 'none')
      throw new ConfigError(
        f('positionAt'),
        `${f('positionAt')} '${r.positionAt}' needs a positionEncoding (sinusoidal or binary) to place; with 'none' there is no table, so leave positionAt at 'qk'`,
      );
  }
  if (
    r.positionEncoding === 'binary' &&
    r.positionAt === 'qk' &&
    (r.channels as number) < POSITION_BITS
  )
    throw new ConfigError(
      f('channels'),
      `${f('channels')} must be at least ${POSITION_BITS} for positionEncoding 'binary' at 'qk' (its ${POSITION_BITS} bits are added to the attention's input channels), got ${r.channels}`,
    );
  if ('pooling' in r) checkOneOf(f('pooling'), r.pooling, POOLINGS);
  if ('placement' in r) checkOneOf(f('placement'), r.placement, ATTENTION_PLACEMENTS);
  if ('heads' in r) {
    const heads = r.heads as number;
    for (const name of ['keyChannels', 'channels']) {
      if ((r[name] as number) % heads !== 0) {
        throw new ConfigError(
          f('heads'),
          `${f('heads')} must divide ${name} (${r[name]}) so that each head gets an equal share, got ${heads}`,
        );
      }
    }
  }
  return c;
}
