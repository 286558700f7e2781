// Builds a model by name: `buildModel(kind, config)`, one builder per kind. Shapes are
// channels-last, [batch, 100, channels]:
//   cnn        5 × Conv1d(k=5, 'same'), 1→64→64→64→64→1, ReLU between: 62,337 parameters
//   attention  conv, conv, SelfAttention(key 96), conv, conv:                   58,177 parameters
//              (positions at 'qk' add none; at 'input', conv1 reads 1 + 7 channels: 60,417)
//   lstm-blog  the blog's LSTM(100→128) + Linear(128→100), batch as time:      130,660 parameters
//   lstm-seq   a bidirectional LSTM(128) along the positions + Linear(256→1):  134,401 parameters
// and notebook 08's variants (see configs.ts):
//   gated      the sandwich with a per-position sigmoid gate in the middle:       45,953 parameters
//   pooled     with attention pooling in the middle, [x ; context] to conv3:      62,437 parameters
//              concat false 41,957 · uniform 62,273 · uniform and concat false 41,793
//   lstm-attention  the sequence LSTM with self-attention before or after it
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH } from '../data/task';
import { SelfAttention } from './layers/attention';
import { PositionGate } from './layers/gate';
import { INPUT_POSITION_CHANNELS, PositionChannels } from './layers/position-channels';
import { AttentionPooling } from './layers/pooling';
import { torchUniform } from './layers/init';
import { BlogLstm, SequenceLstm } from './layers/lstm';
import {
  AttentionConfig,
  CnnConfig,
  GatedConfig,
  LstmAttentionConfig,
  LstmBlogConfig,
  LstmSeqConfig,
  ModelConfigs,
  ModelKind,
  PooledConfig,
  resolveConfig,
} from './configs';

/** A built model with the resolved config that produced it. */
export interface BuiltModel<K extends ModelKind = ModelKind> {
  kind: K;
  config: ModelConfigs[K];
  model: tf.LayersModel;
}

type Sym = tf.SymbolicTensor;

function conv(
  filters: number,
  kernelSize: number,
  fanIn: number,
  seed: number,
  name: string,
  relu: boolean,
) {
  // PyTorch's Conv1d draws weights and bias from U(±1/√(cin·k)); see layers/init.ts.
  return tf.layers.conv1d({
    filters,
    kernelSize,
    padding: 'same',
    activation: relu ? 'relu' : 'linear',
    kernelInitializer: torchUniform(fanIn * kernelSize, seed),
    biasInitializer: torchUniform(fanIn * kernelSize, seed + 1000),
    name,
  });
}

const sequenceInput = (channels: number) =>
  tf.input({ shape: [SEQ_LENGTH, channels], name: 'sequence' }); // [batch, 100, channels]

function buildCnn(c: CnnConfig): tf.LayersModel {
  const input = sequenceInput(c.inChannels);
  let x = input as Sym;
  let cin = c.inChannels;
  for (let i = 0; i < c.depth; i++) {
    const last = i === c.depth - 1;
    // [batch, 100, 64] between layers; [batch, 100, 1] out of the last
    x = conv(last ? 1 : c.channels, c.kernelSize, cin, c.seed + i, `conv${i + 1}`, !last).apply(
      x,
    ) as Sym;
    cin = c.channels;
  }
  return tf.model({ inputs: input, outputs: x, name: 'cnn' });
}

/**
 * The attention model's outline around any middle layer: conv, conv, MIDDLE, ReLU, conv, conv.
 * The attention, gated and pooled models differ only in `middle`; `inputPositions` puts a
 * position table's 7 channels beside the input before conv1 (the attention model's 'input' cell).
 */
function convSandwich(
  c: { inChannels: number; channels: number; kernelSize: number; seed: number },
  name: string,
  middle: (x: Sym) => Sym,
  inputPositions?: PositionChannels,
): tf.LayersModel {
  const input = sequenceInput(c.inChannels); // [b, 100, cin]
  const k = c.kernelSize;
  let x = input as Sym;
  let cin = c.inChannels;
  if (inputPositions) {
    x = inputPositions.apply(x) as Sym; // [b, 100, cin + 7]
    cin += INPUT_POSITION_CHANNELS;
  }
  x = conv(c.channels, k, cin, c.seed, 'conv1', true).apply(x) as Sym; // [b, 100, 64]
  x = conv(c.channels, k, c.channels, c.seed + 1, 'conv2', true).apply(x) as Sym; // [b, 100, 64]
  const m = middle(x); // [b, 100, 64] (pooled with concat: [b, 100, 128])
  x = tf.layers.reLU({ name: `${name}_relu` }).apply(m) as Sym;
  const width = m.shape[2] as number;
  x = conv(c.channels, k, width, c.seed + 3, 'conv3', true).apply(x) as Sym; // [b, 100, 64]
  x = conv(1, k, c.channels, c.seed + 4, 'conv4', false).apply(x) as Sym; // [b, 100, 1]
  return tf.model({ inputs: input, outputs: x, name });
}

/** The attention layer, with the residual x + attn(x) when asked (seed 000). */
function selfAttention(
  x: Sym,
  c: Pick<AttentionConfig, 'keyChannels' | 'scaled' | 'residual' | 'seed'> &
    Partial<Pick<AttentionConfig, 'heads' | 'window' | 'positionEncoding'>>,
  channels: number,
): Sym {
  const attention = new SelfAttention({
    keyChannels: c.keyChannels,
    outChannels: channels,
    heads: c.heads,
    window: c.window,
    positionEncoding: c.positionEncoding,
    scaled: c.scaled,
    seed: c.seed + 2,
    name: 'attention',
  });
  const a = attention.apply(x) as Sym; // [b, 100, channels]
  return c.residual ? (tf.layers.add({ name: 'residual' }).apply([x, a]) as Sym) : a;
}

/** The attention model; its position table enters at Q and K ('qk') or beside the input ('input'). */
function buildAttention(c: AttentionConfig): tf.LayersModel {
  const atInput =
    c.positionAt === 'input' && c.positionEncoding !== 'none' ? c.positionEncoding : undefined;
  return convSandwich(
    c,
    'attention',
    (x) => selfAttention(x, atInput ? { ...c, positionEncoding: 'none' } : c, c.channels),
    atInput ? new PositionChannels({ encoding: atInput, name: 'positions' }) : undefined,
  );
}

/** Seeds 002 and 003: a per-position sigmoid gate where the attention was; nothing mixes positions. */
function buildGated(c: GatedConfig): tf.LayersModel {
  return convSandwich(
    c,
    'gated',
    (x) => new PositionGate({ seed: c.seed + 2, name: 'gate' }).apply(x) as Sym,
  );
}

/**
 * Seed 003: additive attention pooling; one context vector per sample, handed to every position
 * beside its own features (concat) or alone, from learned or uniform weights.
 */
function buildPooled(c: PooledConfig): tf.LayersModel {
  const pooling = new AttentionPooling({
    concat: c.concat,
    pooling: c.pooling,
    seed: c.seed + 2,
    name: 'pooling',
  });
  return convSandwich(c, 'pooled', (x) => pooling.apply(x) as Sym);
}

function buildLstmBlog(c: LstmBlogConfig): tf.LayersModel {
  const input = sequenceInput(1);
  const lstm = new BlogLstm({
    length: SEQ_LENGTH,
    hidden: c.hidden,
    seed: c.seed,
    name: 'blog_lstm',
  });
  return tf.model({ inputs: input, outputs: lstm.apply(input) as Sym, name: 'lstm_blog' });
}

/** Linear(width → 1) at every position, PyTorch-initialised. */
function head(width: number, seed: number): tf.layers.Layer {
  return tf.layers.dense({
    units: 1,
    kernelInitializer: torchUniform(width, seed + 10),
    biasInitializer: torchUniform(width, seed + 11),
    name: 'head',
  });
}

function buildLstmSeq(c: LstmSeqConfig): tf.LayersModel {
  const input = sequenceInput(c.inChannels);
  const lstm = new SequenceLstm({
    hidden: c.hidden,
    bidirectional: c.bidirectional,
    seed: c.seed,
    name: 'lstm',
  });
  const h = lstm.apply(input) as Sym; // [b, 100, 256]
  const y = head(c.hidden * (c.bidirectional ? 2 : 1), c.seed).apply(h) as Sym; // [b, 100, 1]
  return tf.model({ inputs: input, outputs: y, name: 'lstm_seq' });
}

/** A per-position linear map to `units` channels, PyTorch-initialised. */
function linear(units: number, fanIn: number, seed: number, name: string): tf.layers.Layer {
  return tf.layers.dense({
    units,
    kernelInitializer: torchUniform(fanIn, seed),
    biasInitializer: torchUniform(fanIn, seed + 1000),
    name,
  });
}

/**
 * Seeds 000 and 002: the bidirectional sequence LSTM with a self-attention layer before or
 * after it. A linear map brings the input (before) or the LSTM's output (after) to the
 * attention's channels, so the residual x + attn(x) adds like to like.
 */
function buildLstmAttention(c: LstmAttentionConfig): tf.LayersModel {
  const input = sequenceInput(c.inChannels);
  const lstm = () =>
    new SequenceLstm({ hidden: c.hidden, bidirectional: true, seed: c.seed, name: 'lstm' });
  const attend = (x: Sym) => selfAttention(x, { ...c, scaled: false }, c.channels);
  let x: Sym;
  if (c.placement === 'before') {
    x = linear(c.channels, c.inChannels, c.seed + 20, 'embed').apply(input) as Sym; // [b, 100, 64]
    x = attend(x); // [b, 100, 64]
    x = lstm().apply(x) as Sym; // [b, 100, 256]
  } else {
    x = lstm().apply(input) as Sym; // [b, 100, 256]
    x = linear(c.channels, 2 * c.hidden, c.seed + 20, 'project').apply(x) as Sym; // [b, 100, 64]
    x = attend(x); // [b, 100, 64]
  }
  const y = head(x.shape[2] as number, c.seed).apply(x) as Sym; // [b, 100, 1]
  return tf.model({ inputs: input, outputs: y, name: 'lstm_attention' });
}

const BUILDERS: { [K in ModelKind]: (c: ModelConfigs[K]) => tf.LayersModel } = {
  cnn: buildCnn,
  attention: buildAttention,
  gated: buildGated,
  pooled: buildPooled,
  'lstm-blog': buildLstmBlog,
  'lstm-seq': buildLstmSeq,
  'lstm-attention': buildLstmAttention,
};
/** Builds from a config that `resolveConfig` has already checked (the training path resolves once). */
export function buildResolved<K extends ModelKind>(
  kind: K,
  config: ModelConfigs[K],
): BuiltModel<K> {
  const builder = BUILDERS[kind] as (c: ModelConfigs[K]) => tf.LayersModel;
  return { kind, config, model: builder(config) };
}

/** Builds a model by name. Throws on an unknown kind or a bad config, naming the problem. */
export function buildModel<K extends ModelKind>(
  kind: K,
  overrides: Partial<ModelConfigs[K]> = {},
): BuiltModel<K> {
  return buildResolved(kind, resolveConfig(kind, overrides));
}

/** The model's input channels, to check against the data's (1, or 8 with positional encoding). */
export function modelInChannels(m: BuiltModel): number {
  return m.model.inputs[0].shape[2] as number;
}

/** Clears the carried state of stateful layers (the blog LSTM); a no-op for the others. */
export function resetState(m: BuiltModel): void {
  for (const layer of m.model.layers) if (layer instanceof BlogLstm) layer.resetStates();
}

/** Whether the learner must clear the state before every batch (the blog LSTM's control run). */
export function resetsEveryBatch(m: BuiltModel): boolean {
  return m.kind === 'lstm-blog' && !(m.config as LstmBlogConfig).carryState;
}

/** The model's SelfAttention layer, for the heatmap. Throws when the model has none. */
export function attentionLayer(m: BuiltModel): SelfAttention {
  const layer = m.model.layers.find((l) => l instanceof SelfAttention);
  if (!layer) throw new Error(`model '${m.kind}' has no SelfAttention layer`);
  return layer as SelfAttention;
}
