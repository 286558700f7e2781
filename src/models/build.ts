// Builds a model by name: `buildModel(kind, config)`, one builder per kind. Shapes are
// channels-last, [batch, 100, channels]:
//   cnn        5 × Conv1d(k=5, 'same'), 1→64→64→64→64→1, ReLU between: 62,337 parameters
//   attention  conv, conv, SelfAttention(key 96), conv, conv:                   58,177 parameters
//   lstm-blog  the blog's LSTM(100→128) + Linear(128→100), batch as time:      130,660 parameters
//   lstm-seq   a bidirectional LSTM(128) along the positions + Linear(256→1):  134,401 parameters
// and notebook 08's variants: gated, pooled, lstm-attention (see configs.ts).
import * as tf from '@tensorflow/tfjs';
import { SEQ_LENGTH } from '../data/task';
import { SelfAttention } from './layers/attention';
import { torchUniform } from './layers/init';
import { BlogLstm, SequenceLstm } from './layers/lstm';
import {
  AttentionConfig,
  CnnConfig,
  LstmBlogConfig,
  LstmSeqConfig,
  ModelConfigs,
  ModelKind,
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
 * The attention, gated and pooled models differ only in `middle`.
 */
function convSandwich(
  c: { inChannels: number; channels: number; kernelSize: number; seed: number },
  name: string,
  middle: (x: Sym) => Sym,
): tf.LayersModel {
  const input = sequenceInput(c.inChannels);
  const k = c.kernelSize;
  let x = conv(c.channels, k, c.inChannels, c.seed, 'conv1', true).apply(input) as Sym; // [b, 100, 64]
  x = conv(c.channels, k, c.channels, c.seed + 1, 'conv2', true).apply(x) as Sym; // [b, 100, 64]
  const m = middle(x); // [b, 100, 64] (pooled: [b, 100, 128])
  x = tf.layers.reLU({ name: `${name}_relu` }).apply(m) as Sym;
  const width = m.shape[2] as number;
  x = conv(c.channels, k, width, c.seed + 3, 'conv3', true).apply(x) as Sym; // [b, 100, 64]
  x = conv(1, k, c.channels, c.seed + 4, 'conv4', false).apply(x) as Sym; // [b, 100, 1]
  return tf.model({ inputs: input, outputs: x, name });
}

function buildAttention(c: AttentionConfig): tf.LayersModel {
  return convSandwich(c, 'attention', (x) => {
    const attention = new SelfAttention({
      keyChannels: c.keyChannels,
      outChannels: c.channels,
      scaled: c.scaled,
      seed: c.seed + 2,
      name: 'attention',
    });
    const a = attention.apply(x) as Sym; // [b, 100, 64]
    return c.residual ? (tf.layers.add({ name: 'residual' }).apply([x, a]) as Sym) : a;
  });
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

const BUILDERS: { [K in ModelKind]?: (c: ModelConfigs[K]) => tf.LayersModel } = {
  cnn: buildCnn,
  attention: buildAttention,
  'lstm-blog': buildLstmBlog,
  'lstm-seq': buildLstmSeq,
};

/** Builds from a config that `resolveConfig` has already checked (the training path resolves once). */
export function buildResolved<K extends ModelKind>(
  kind: K,
  config: ModelConfigs[K],
): BuiltModel<K> {
  const builder = BUILDERS[kind] as ((c: ModelConfigs[K]) => tf.LayersModel) | undefined;
  if (!builder) throw new Error(`model kind '${kind}' has no builder`);
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
