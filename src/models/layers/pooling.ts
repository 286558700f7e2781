// Additive attention pooling (seed 003; seed 002's attention over time steps):
//   c = tanh(x·W + b)    [b, L, C] · [C, 1] → [b, L], plus b: one value per position [L]
//   β = softmax_t(c)     [b, L], summing to 1 over the L positions
//   s = Σ_t β_t · x_t    [b, C]: one context vector per sample
//   y = [x_t ; s]        [b, L, 2C]: the context handed to every position, concatenated
// Concatenation, not addition: s is the same at every position, and added to x it would land
// in the same channels as each position's own features, so the next layer could no longer tell
// what is here from what is everywhere. Concatenated, both reach the next layer as separate
// channels and it learns how to combine them, at the cost of C more input channels.
// Two controls for notebook 08's comparison with self-attention (the defaults are the above):
//   concat: false        y = s at every position, [b, L, C]: no skip path for x_t, as
//                        self-attention hands each position only its weighted mean
//   pooling: 'uniform'   β = 1/L everywhere, s = the plain mean over positions; the layer then
//                        has no weights at all: does the learned β matter?
// With learned β the layer is built for one sequence length, because b has one value per position.
import * as tf from '@tensorflow/tfjs';
import { LayerArgs, oneInput, oneShape } from './contract';
import { torchUniform } from './init';

export const POOLINGS = ['learned', 'uniform'] as const;
export type Pooling = (typeof POOLINGS)[number];

/** What each optional field of `AttentionPoolingArgs` is when left out, and why. */
export const POOLING_DEFAULTS = {
  /** Seed 003's layer: [x_t ; s] at every position. */
  concat: true,
  /** Seed 003's layer: β from the learned scores. */
  pooling: 'learned' as Pooling,
} as const;

export interface AttentionPoolingArgs extends LayerArgs {
  /** Hand every position [x_t ; s] (true) or s alone (false). Optional (POOLING_DEFAULTS). */
  concat?: boolean;
  /** β from learned scores, or 1/L everywhere. Optional (POOLING_DEFAULTS). */
  pooling?: Pooling;
  /** Seed for the weight initialiser; unseeded when left out. */
  seed?: number;
}

export class AttentionPooling extends tf.layers.Layer {
  static className = 'AttentionPooling';
  readonly concat: boolean;
  readonly pooling: Pooling;
  readonly seed: number | undefined;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;
  /** The built input's channels, and its length when β is learned. */
  private dims?: { length?: number; channels: number };

  constructor(args: AttentionPoolingArgs = {}) {
    super(args);
    this.concat = args.concat ?? POOLING_DEFAULTS.concat;
    if (typeof this.concat !== 'boolean')
      throw new Error(`AttentionPooling: concat must be true or false, got ${this.concat}`);
    this.pooling = args.pooling ?? POOLING_DEFAULTS.pooling;
    if (!(POOLINGS as readonly string[]).includes(this.pooling))
      throw new Error(
        `AttentionPooling: pooling must be one of ${POOLINGS.join(', ')}, got '${this.pooling}'`,
      );
    this.seed = args.seed;
    this.inputSpec = [new tf.InputSpec({ ndim: 3 })];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const [, l, c] = shape;
    const learned = this.pooling === 'learned';
    if (shape.length !== 3 || c == null || (learned && l == null))
      throw new Error(
        learned
          ? `AttentionPooling expects [batch, length, channels] inputs with known length and channels (its bias has one value per position), got shape [${shape}]`
          : `AttentionPooling expects [batch, length, channels] inputs with known channels, got shape [${shape}]`,
      );
    if (learned) {
      // W as PyTorch's Linear(C, 1): U(±1/√C). The per-position bias starts at 0, so at first no
      // position is favoured and β depends on content alone.
      this.kernel = this.addWeight('kernel', [c, 1], 'float32', torchUniform(c, this.seed));
      this.bias = this.addWeight('bias', [l!], 'float32', tf.initializers.zeros());
      this.inputSpec = [new tf.InputSpec({ ndim: 3, axes: { 1: l!, 2: c } })];
      this.dims = { length: l!, channels: c };
    } else {
      this.inputSpec = [new tf.InputSpec({ ndim: 3, axes: { 2: c } })];
      this.dims = { channels: c };
    }
    this.built = true;
  }

  /** β: [b, L], each row summing to 1; softmax over positions of c = tanh(x·W + b), or 1/L. */
  private weightsOf(x: tf.Tensor3D): tf.Tensor2D {
    const [b, l, ch] = x.shape;
    if (this.pooling === 'uniform') return tf.fill([b, l], 1 / l);
    const xw = tf.reshape(
      tf.matMul(tf.reshape(x, [b * l, ch]), this.kernel!.read() as tf.Tensor2D),
      [b, l],
    ); // [b, L]
    const c = tf.tanh(tf.add(xw, this.bias!.read())) as tf.Tensor2D; // bias [L] broadcasts over b
    return tf.softmax(c);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = this.check(oneInput(inputs)); // [b, L, C]
      const [b, l] = x.shape;
      const beta = this.weightsOf(x); // [b, L]
      const context = tf.matMul(tf.reshape(beta, [b, 1, l]), x); // [b, 1, L] · [b, L, C] → [b, 1, C]
      const everywhere = tf.tile(context, [1, l, 1]); // [b, L, C]
      return this.concat ? tf.concat([x, everywhere], 2) : everywhere; // [b, L, 2C] or [b, L, C]
    });
  }

  /** The pooling weights β for inputs x: [batch, L], each row summing to 1. */
  attention(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.weightsOf(this.check(x)));
  }

  private check(x: tf.Tensor): tf.Tensor3D {
    if (!this.built || !this.dims)
      throw new Error('AttentionPooling: layer is not built yet (call it on an input first)');
    const { length, channels } = this.dims;
    if (x.rank !== 3 || (length !== undefined && x.shape[1] !== length) || x.shape[2] !== channels)
      throw new Error(
        `AttentionPooling expects [batch, ${length ?? 'length'}, ${channels}] inputs, got shape [${x.shape}]`,
      );
    return x as tf.Tensor3D;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, l, c] = oneShape(inputShape);
    return [b, l, c == null || !this.concat ? c : 2 * c];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { concat: this.concat, pooling: this.pooling };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(AttentionPooling);
