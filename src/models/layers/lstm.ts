// LSTM layers written as a few fused ops per time step, because per-step op dispatch is what
// makes recurrent models slow in tfjs: the input projection of every step is one matMul up
// front, and both directions of a bidirectional LSTM advance together in one batched matMul.
// Gates follow PyTorch's order (i, f, g, o) and its two bias vectors, so the blog's LSTM has
// exactly PyTorch's 130,660 parameters.
//   BlogLstm:     the walk-through's model. The batch axis is the time axis (batch_first=False
//                 on [bs, 1, 100]), the state is carried, detached, from batch to batch.
//   SequenceLstm: the model the blog meant to build: an LSTM along the 100 positions.
import * as tf from '@tensorflow/tfjs';
import {
  LstmScanResult,
  LstmWeights,
  nativeLstmAvailable,
  nativeLstmScan,
  scanDims,
} from '../../runtime/native/lstm';
import { checkInt } from '../../runtime/validate';
import { LayerArgs, oneInput, oneShape } from './contract';
import { torchUniform } from './init';

/**
 * Runs D directions of an LSTM over time-major inputs.
 * xs: D tensors [T, B, in] (direction d already in its own time order), h0/c0: [D, B, H].
 * Returns the outputs [D, T, B, H] and the final states [D, B, H].
 */
export type { LstmWeights };

export function lstmScan(
  xs: tf.Tensor3D[],
  wts: LstmWeights,
  h0: tf.Tensor3D,
  c0: tf.Tensor3D,
): LstmScanResult {
  // The fast path is TensorFlow's fused LSTM kernels (runtime/native/lstm.ts); any other
  // backend (redrawing saved runs without tfjs-node) runs the reference loop below.
  return nativeLstmAvailable() ? nativeLstmScan(xs, wts, h0, c0) : jsLstmScan(xs, wts, h0, c0);
}

/** `lstmScan` as a JS loop over time steps: the portable path, and the native one's reference. */
export function jsLstmScan(
  xs: tf.Tensor3D[],
  wts: LstmWeights,
  h0: tf.Tensor3D,
  c0: tf.Tensor3D,
): LstmScanResult {
  const { d, hidden, t, b, cin } = scanDims(xs, wts);
  // Input projection for all steps at once: [D, T·B, in] · [D, in, 4H] → [T, D, B, 4H].
  const xw = tf
    .add(tf.matMul(tf.stack(xs).reshape([d, t * b, cin]), wts.w), wts.b)
    .reshape([d, t, b, 4 * hidden])
    .transpose([1, 0, 2, 3]);
  // tfjs's unstack gradient fails on an axis of length 1 (a final batch of one sample for the blog LSTM).
  const steps = t === 1 ? [tf.squeeze(xw, [0]) as tf.Tensor3D] : (tf.unstack(xw) as tf.Tensor3D[]);
  let h = h0;
  let c = c0;
  const outs: tf.Tensor3D[] = [];
  for (const z0 of steps) {
    const z = tf.add(z0, tf.matMul(h, wts.u));
    const [i, f, g, o] = tf.split(z, [hidden, hidden, hidden, hidden], 2);
    c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    outs.push(h);
  }
  const ys = outs.length === 1 ? tf.expandDims(outs[0], 1) : tf.stack(outs, 1); // same length-1 gradient issue
  return { ys: ys as tf.Tensor4D, h, c };
}

const positiveInt = (v: number | undefined, what: string): number => checkInt(what, v, 1);

function checkInput(
  inputs: tf.Tensor | tf.Tensor[],
  length: number | null,
  channels: number,
  who: string,
): tf.Tensor3D {
  const x = oneInput(inputs);
  if (x.rank !== 3 || (length !== null && x.shape[1] !== length) || x.shape[2] !== channels) {
    throw new Error(
      `${who} expects [batch, ${length ?? 'length'}, ${channels}] inputs, got shape [${x.shape}]`,
    );
  }
  return x as tf.Tensor3D;
}

/**
 * What both LSTM layers share: PyTorch's four weight tensors for D directions, created in the
 * layer's own `build`, and their reading as the `LstmWeights` a scan takes.
 */
abstract class LstmLayer extends tf.layers.Layer {
  private lstm?: {
    w: tf.LayerVariable;
    u: tf.LayerVariable;
    bih: tf.LayerVariable;
    bhh: tf.LayerVariable;
  };

  protected addLstmWeights(d: number, cin: number, hidden: number, seed?: number): void {
    // PyTorch draws every LSTM weight and bias from U(±1/√hidden).
    const init = (k: number) => torchUniform(hidden, seed === undefined ? undefined : seed + k);
    this.lstm = {
      w: this.addWeight('kernel', [d, cin, 4 * hidden], 'float32', init(0)),
      u: this.addWeight('recurrent_kernel', [d, hidden, 4 * hidden], 'float32', init(1)),
      bih: this.addWeight('bias_ih', [d, 1, 4 * hidden], 'float32', init(2)),
      bhh: this.addWeight('bias_hh', [d, 1, 4 * hidden], 'float32', init(3)),
    };
  }

  protected lstmWeights(): LstmWeights {
    const v = this.lstm!;
    return {
      w: v.w.read() as tf.Tensor3D,
      u: v.u.read() as tf.Tensor3D,
      b: tf.add(v.bih.read(), v.bhh.read()) as tf.Tensor3D,
    };
  }
}

export interface BlogLstmArgs extends LayerArgs {
  /**
   * Sequence length, which the blog's LSTM sees as its feature size (the task's 100). Required:
   * it must equal the data's length, which only the caller knows.
   */
  length: number;
  /** Hidden units (the blog's 128). Required: the model config holds the default. */
  hidden: number;
  /** Seed for the weight initialisers; unseeded when left out. */
  seed?: number;
}

/**
 * The blog's `nn.LSTM(100, 128)` + `Linear(128, 100)` on [bs, 1, 100] with batch_first=False:
 * sample k of a batch is time step k of one sequence. Input and output are [batch, 100, 1].
 * The (h, c) state after a batch is kept, detached, and seeds the next batch; `resetStates()`
 * clears it (the learner does so at each epoch and before validation, as the blog does).
 */
export class BlogLstm extends LstmLayer {
  static className = 'BlogLstm';
  readonly length: number;
  readonly hidden: number;
  readonly seed: number | undefined;
  private dense?: { w: tf.LayerVariable; b: tf.LayerVariable };
  private state?: { h: tf.Tensor3D; c: tf.Tensor3D };

  constructor(args: BlogLstmArgs) {
    super(args);
    this.length = positiveInt(args.length, 'BlogLstm: length');
    this.hidden = positiveInt(args.hidden, 'BlogLstm: hidden');
    this.seed = args.seed;
    this.inputSpec = [new tf.InputSpec({ ndim: 3, axes: { 1: this.length, 2: 1 } })];
  }

  override build(): void {
    const s = this.seed;
    this.addLstmWeights(1, this.length, this.hidden, s);
    this.dense = {
      w: this.addWeight(
        'dense_kernel',
        [this.hidden, this.length],
        'float32',
        torchUniform(this.hidden, s === undefined ? s : s + 4),
      ),
      b: this.addWeight(
        'dense_bias',
        [this.length],
        'float32',
        torchUniform(this.hidden, s === undefined ? s : s + 5),
      ),
    };
    this.built = true;
  }

  /** The carried state, or undefined after a reset. Shapes [1, 1, hidden]. */
  get carriedState(): { h: tf.Tensor3D; c: tf.Tensor3D } | undefined {
    return this.state;
  }

  override resetStates(): void {
    this.state?.h.dispose();
    this.state?.c.dispose();
    this.state = undefined;
  }

  /** Disposing the layer (or its model) also frees the carried state. */
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    this.resetStates();
    return super.dispose();
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = checkInput(inputs, this.length, 1, 'BlogLstm');
    const dense = this.dense!;
    const out = tf.tidy(() => {
      const batch = x.shape[0];
      const zeros = tf.zeros([1, 1, this.hidden]) as tf.Tensor3D;
      const h0 = this.state?.h ?? zeros;
      const c0 = this.state?.c ?? zeros;
      // [batch, 100, 1] → time-major [T = batch, B = 1, 100].
      const seq = tf.reshape(x, [batch, 1, this.length]) as tf.Tensor3D;
      const { ys, h, c } = lstmScan([seq], this.lstmWeights(), h0, c0);
      const y = tf.add(
        tf.matMul(tf.reshape(ys, [batch, this.hidden]), dense.w.read() as tf.Tensor2D),
        dense.b.read(),
      );
      // Detach the state: the next batch sees values, not this batch's graph.
      const next = { h: tf.keep(tf.clone(h)), c: tf.keep(tf.clone(c)) };
      return { y: tf.reshape(y, [batch, this.length, 1]), next };
    });
    this.resetStates();
    this.state = out.next;
    return out.y;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [oneShape(inputShape)[0], this.length, 1];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { length: this.length, hidden: this.hidden };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

export interface SequenceLstmArgs extends LayerArgs {
  /** Hidden units per direction. Required: the model config holds the default. */
  hidden: number;
  /**
   * Run a second LSTM from the end of the sequence and concatenate its outputs. Required: the
   * model config holds the default.
   */
  bidirectional: boolean;
  /** Seed for the weight initialisers; unseeded when left out. */
  seed?: number;
}

/** An LSTM along the positions: [batch, L, in] → [batch, L, hidden · directions]. */
export class SequenceLstm extends LstmLayer {
  static className = 'SequenceLstm';
  readonly hidden: number;
  readonly bidirectional: boolean;
  readonly seed: number | undefined;
  private inChannels = 0;

  constructor(args: SequenceLstmArgs) {
    super(args);
    this.hidden = positiveInt(args.hidden, 'SequenceLstm: hidden');
    if (typeof args.bidirectional !== 'boolean')
      throw new Error(
        `SequenceLstm: bidirectional must be true or false, got ${args.bidirectional}`,
      );
    this.bidirectional = args.bidirectional;
    this.seed = args.seed;
    this.inputSpec = [new tf.InputSpec({ ndim: 3 })];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.inChannels = oneShape(inputShape)[2] as number;
    this.addLstmWeights(this.bidirectional ? 2 : 1, this.inChannels, this.hidden, this.seed);
    this.inputSpec = [new tf.InputSpec({ ndim: 3, axes: { 2: this.inChannels } })];
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = checkInput(inputs, null, this.inChannels, 'SequenceLstm');
      const [batch] = x.shape;
      const fwd = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D; // [L, B, in]
      const xs = this.bidirectional ? [fwd, tf.reverse(fwd, 0) as tf.Tensor3D] : [fwd];
      const zeros = tf.zeros([xs.length, batch, this.hidden]) as tf.Tensor3D;
      const { ys } = lstmScan(xs, this.lstmWeights(), zeros, zeros); // [D, L, B, H]
      const perDir = tf
        .unstack(ys)
        .map((y, d) => tf.transpose(d === 1 ? tf.reverse(y, 0) : y, [1, 0, 2]));
      return perDir.length === 1 ? perDir[0] : tf.concat(perDir, 2);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    return [shape[0], shape[1], this.hidden * (this.bidirectional ? 2 : 1)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      hidden: this.hidden,
      bidirectional: this.bidirectional,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(BlogLstm);
tf.serialization.registerClass(SequenceLstm);
