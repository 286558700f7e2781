// The walk-through's models, one typed config each, built by name with `buildModel(kind, config)`.
// tfjs is channels-last, so PyTorch's [batch, channels, 100] is [batch, 100, channels] here.
//   cnn        5 × Conv1d(k=5, 'same'), 1→64→64→64→64→1, ReLU between: 62,337 parameters
//   attention  conv, conv, SelfAttention(key 96), conv, conv:                   58,177 parameters
//   lstm-blog  the blog's LSTM(100→128) + Linear(128→100), batch as time:      130,660 parameters
//   lstm-seq   a bidirectional LSTM(128) along the positions + Linear(256→1):  134,401 parameters
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH } from '../data/task';
import { SelfAttention } from './layers/attention';
import { torchUniform } from './layers/init';
import { BlogLstm, SequenceLstm } from './layers/lstm';

export interface CnnConfig {
  /** Input channels: 1, or 8 with the positional-encoding data variant. Default 1. */
  inChannels: number;
  /** Hidden channels. Default 64. */
  channels: number;
  /** Kernel size of every conv; odd, so 'same' padding is symmetric. Default 5. */
  kernelSize: number;
  /** Number of conv layers (≥ 2). Default 5. */
  depth: number;
  /** Seed for the weight initialisers. Default 0. */
  seed: number;
}

export interface AttentionConfig {
  /** Input channels: 1, or 8 with the positional-encoding data variant. Default 1. */
  inChannels: number;
  /** Channels of the convs and of the attention's V. Default 64. */
  channels: number;
  /** Kernel size of the four convs; odd. Default 5. */
  kernelSize: number;
  /** Channels of Q and K. Default 96. */
  keyChannels: number;
  /** 1/√keyChannels scaling before the softmax. Default false, as in the blog. */
  scaled: boolean;
  /** Add the attention's input to its output (x + attn(x)), as in seed 000. Default false. */
  residual: boolean;
  seed: number;
}

export interface LstmBlogConfig {
  /** Hidden units. Default 128. */
  hidden: number;
  seed: number;
}

export interface LstmSeqConfig {
  inChannels: number;
  /** Hidden units per direction. Default 128. */
  hidden: number;
  /** Default true. */
  bidirectional: boolean;
  seed: number;
}

export const DEFAULT_CNN: Readonly<CnnConfig> = {
  inChannels: 1,
  channels: 64,
  kernelSize: 5,
  depth: 5,
  seed: 0,
};
export const DEFAULT_ATTENTION: Readonly<AttentionConfig> = {
  inChannels: 1,
  channels: 64,
  kernelSize: 5,
  keyChannels: 96,
  scaled: false,
  residual: false,
  seed: 0,
};
export const DEFAULT_LSTM_BLOG: Readonly<LstmBlogConfig> = { hidden: 128, seed: 0 };
export const DEFAULT_LSTM_SEQ: Readonly<LstmSeqConfig> = {
  inChannels: 1,
  hidden: 128,
  bidirectional: true,
  seed: 0,
};

export interface ModelConfigs {
  cnn: CnnConfig;
  attention: AttentionConfig;
  'lstm-blog': LstmBlogConfig;
  'lstm-seq': LstmSeqConfig;
}
export type ModelKind = keyof ModelConfigs;
export const MODEL_KINDS = [
  'cnn',
  'attention',
  'lstm-blog',
  'lstm-seq',
] as const satisfies readonly ModelKind[];

export const DEFAULTS: { readonly [K in ModelKind]: Readonly<ModelConfigs[K]> } = {
  cnn: DEFAULT_CNN,
  attention: DEFAULT_ATTENTION,
  'lstm-blog': DEFAULT_LSTM_BLOG,
  'lstm-seq': DEFAULT_LSTM_SEQ,
};

export function isModelKind(kind: string): kind is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(kind);
}

export function assertModelKind(kind: string): ModelKind {
  if (!isModelKind(kind))
    throw new Error(`unknown model kind '${kind}'; expected one of: ${MODEL_KINDS.join(', ')}`);
  return kind;
}

/** A built model with what produced it. */
export interface BuiltModel<K extends ModelKind = ModelKind> {
  kind: K;
  /** The resolved config: defaults merged with the caller's overrides. */
  config: ModelConfigs[K];
  model: tf.LayersModel;
  /** True for the blog's LSTM, whose state runs from batch to batch. */
  stateful: boolean;
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

const positiveInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;

function checkKernel(kind: string, k: number): void {
  check(positiveInt(k), `${kind}: kernelSize must be a positive integer, got ${k}`);
  // With an even kernel, 'same' padding needs k-1 (odd) padding steps: PyTorch's padding=k//2
  // pads k/2 on both sides and returns 101 steps; TensorFlow pads one more on the right than
  // on the left and shifts the receptive field off-centre. Neither matches the walk-through.
  check(
    k % 2 === 1,
    `${kind}: kernelSize must be odd for 'same' padding, got ${k} (an even kernel cannot be centred on its step: PyTorch's padding=k//2 would return 101 steps instead of 100, TensorFlow's 'same' pads asymmetrically)`,
  );
}

/** Merges overrides into the defaults and validates the result. Throws with the bad field named. */
export function resolveConfig<K extends ModelKind>(
  kind: K,
  overrides: Partial<ModelConfigs[K]> = {},
): ModelConfigs[K] {
  assertModelKind(kind);
  const base = DEFAULTS[kind] as ModelConfigs[K];
  for (const key of Object.keys(overrides)) {
    check(
      key in base,
      `${kind}: unknown config field '${key}'; expected one of: ${Object.keys(base).join(', ')}`,
    );
  }
  const c = { ...base, ...overrides } as ModelConfigs[K];
  const r = c as unknown as Record<string, unknown>;
  check(
    Number.isInteger(r.seed) && (r.seed as number) >= 0,
    `${kind}: seed must be a non-negative integer, got ${r.seed}`,
  );
  if ('inChannels' in r)
    check(
      positiveInt(r.inChannels),
      `${kind}: inChannels must be a positive integer, got ${r.inChannels}`,
    );
  if ('channels' in r)
    check(
      positiveInt(r.channels),
      `${kind}: channels must be a positive integer, got ${r.channels}`,
    );
  if ('hidden' in r)
    check(positiveInt(r.hidden), `${kind}: hidden must be a positive integer, got ${r.hidden}`);
  if ('kernelSize' in r) checkKernel(kind, r.kernelSize as number);
  if ('depth' in r)
    check(
      Number.isInteger(r.depth) && (r.depth as number) >= 2,
      `${kind}: depth must be an integer >= 2, got ${r.depth}`,
    );
  if ('keyChannels' in r)
    check(
      positiveInt(r.keyChannels),
      `${kind}: keyChannels must be a positive integer, got ${r.keyChannels}`,
    );
  return c;
}

function conv(
  filters: number,
  kernelSize: number,
  fanIn: number,
  seed: number,
  name: string,
  activation: 'relu' | 'linear',
) {
  // PyTorch's Conv1d draws weights and bias from U(±1/√(cin·k)); see layers/init.ts.
  return tf.layers.conv1d({
    filters,
    kernelSize,
    padding: 'same',
    activation,
    kernelInitializer: torchUniform(fanIn * kernelSize, seed),
    biasInitializer: torchUniform(fanIn * kernelSize, seed + 1000),
    name,
  });
}

function buildCnn(c: CnnConfig): tf.LayersModel {
  const input = tf.input({ shape: [SEQ_LENGTH, c.inChannels], name: 'sequence' });
  let x = input as tf.SymbolicTensor;
  let cin = c.inChannels;
  for (let i = 0; i < c.depth; i++) {
    const last = i === c.depth - 1;
    x = conv(
      last ? 1 : c.channels,
      c.kernelSize,
      cin,
      c.seed + i,
      `conv${i + 1}`,
      last ? 'linear' : 'relu',
    ).apply(x) as tf.SymbolicTensor;
    cin = c.channels;
  }
  return tf.model({ inputs: input, outputs: x, name: 'cnn' });
}

function buildAttention(c: AttentionConfig): tf.LayersModel {
  const input = tf.input({ shape: [SEQ_LENGTH, c.inChannels], name: 'sequence' });
  const k = c.kernelSize;
  let x = conv(c.channels, k, c.inChannels, c.seed, 'conv1', 'relu').apply(
    input,
  ) as tf.SymbolicTensor;
  x = conv(c.channels, k, c.channels, c.seed + 1, 'conv2', 'relu').apply(x) as tf.SymbolicTensor;
  let a = new SelfAttention({
    keyChannels: c.keyChannels,
    outChannels: c.channels,
    scaled: c.scaled,
    seed: c.seed + 2,
    name: 'attention',
  }).apply(x) as tf.SymbolicTensor;
  if (c.residual) a = tf.layers.add({ name: 'residual' }).apply([x, a]) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'attention_relu' }).apply(a) as tf.SymbolicTensor;
  x = conv(c.channels, k, c.channels, c.seed + 3, 'conv3', 'relu').apply(x) as tf.SymbolicTensor;
  x = conv(1, k, c.channels, c.seed + 4, 'conv4', 'linear').apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: 'attention' });
}

function buildLstmBlog(c: LstmBlogConfig): tf.LayersModel {
  const input = tf.input({ shape: [SEQ_LENGTH, 1], name: 'sequence' });
  const y = new BlogLstm({
    length: SEQ_LENGTH,
    hidden: c.hidden,
    seed: c.seed,
    name: 'blog_lstm',
  }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y, name: 'lstm_blog' });
}

function buildLstmSeq(c: LstmSeqConfig): tf.LayersModel {
  const input = tf.input({ shape: [SEQ_LENGTH, c.inChannels], name: 'sequence' });
  const h = new SequenceLstm({
    hidden: c.hidden,
    bidirectional: c.bidirectional,
    seed: c.seed,
    name: 'lstm',
  }).apply(input) as tf.SymbolicTensor;
  const width = c.hidden * (c.bidirectional ? 2 : 1);
  const y = tf.layers
    .dense({
      units: 1,
      kernelInitializer: torchUniform(width, c.seed + 10),
      biasInitializer: torchUniform(width, c.seed + 11),
      name: 'head',
    })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y, name: 'lstm_seq' });
}

/** Builds a model by name. Throws on an unknown kind or a bad config, naming the problem. */
export function buildModel<K extends ModelKind>(
  kind: K,
  overrides: Partial<ModelConfigs[K]> = {},
): BuiltModel<K> {
  const config = resolveConfig(kind, overrides);
  const builders: { [P in ModelKind]: (c: ModelConfigs[P]) => tf.LayersModel } = {
    cnn: buildCnn,
    attention: buildAttention,
    'lstm-blog': buildLstmBlog,
    'lstm-seq': buildLstmSeq,
  };
  const model = (builders[kind] as (c: ModelConfigs[K]) => tf.LayersModel)(config);
  return { kind, config, model, stateful: kind === 'lstm-blog' };
}

/** The model's input channels, to check against the data's (1, or 8 with positional encoding). */
export function modelInChannels(m: BuiltModel): number {
  return m.model.inputs[0].shape[2] as number;
}

/** Clears the carried state of stateful layers (the blog LSTM); a no-op for the others. */
export function resetState(m: BuiltModel): void {
  for (const layer of m.model.layers) if (layer instanceof BlogLstm) layer.resetStates();
}

/** The model's SelfAttention layer, for the heatmap. Throws when the model has none. */
export function attentionLayer(m: BuiltModel): SelfAttention {
  const layer = m.model.layers.find((l) => l instanceof SelfAttention);
  if (!layer) throw new Error(`model '${m.kind}' has no SelfAttention layer`);
  return layer as SelfAttention;
}

/**
 * The attention matrix for inputs x ([batch, 100, in]): runs the layers before the attention,
 * then asks the layer for A. Returns [batch, 100, 100]; row i is output position i.
 */
export function attentionMap(m: BuiltModel, x: tf.Tensor3D): tf.Tensor3D {
  const layer = attentionLayer(m);
  const inner = tf.model({ inputs: m.model.inputs, outputs: layer.input as tf.SymbolicTensor });
  return tf.tidy(() => layer.attention(inner.predict(x) as tf.Tensor3D));
}

export interface LayerSummary {
  name: string;
  type: string;
  /** Output shape with the batch axis as null, e.g. [null, 100, 64]. */
  outputShape: (number | null)[];
  params: number;
}

/** The model's layers, output shapes and parameter counts, like Keras's `model.summary()`. */
export function summary(m: BuiltModel): {
  kind: ModelKind;
  params: number;
  layers: LayerSummary[];
  note?: string;
} {
  const layers = m.model.layers.map((l) => ({
    name: l.name,
    type: l.getClassName(),
    outputShape: l.outputShape as (number | null)[],
    params: l.countParams(),
  }));
  const note =
    m.kind === 'lstm-blog' || m.kind === 'lstm-seq'
      ? "LSTM weights keep PyTorch's two bias vectors (b_ih and b_hh), so the count matches nn.LSTM; a Keras-style LSTM has one and 4·hidden fewer parameters per direction."
      : undefined;
  return { kind: m.kind, params: m.model.countParams(), layers, note };
}
