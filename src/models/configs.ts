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

import { POSITION_ENCODINGS, PositionEncoding } from './layers/attention';

export { POSITION_ENCODINGS };

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
  /** Sinusoidal positions added inside the attention layer (seed 004), or none. */
  positionEncoding: PositionEncoding;
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
export type PooledConfig = GatedConfig;

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
export const DEFAULT_POOLED: Readonly<PooledConfig> = DEFAULT_GATED;

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
  for (const name of ['scaled', 'residual', 'bidirectional', 'carryState']) {
    if (name in r) checkBool(f(name), r[name]);
  }
  if ('positionEncoding' in r)
    checkOneOf(f('positionEncoding'), r.positionEncoding, POSITION_ENCODINGS);
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
