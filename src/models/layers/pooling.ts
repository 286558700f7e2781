// Additive attention pooling (seed 003; seed 002's attention over time steps):
//   c = tanh(x·W + b)    [b, L, C] · [C, 1] → [b, L], plus b: one value per position [L]
//   β = softmax_t(c)     [b, L], summing to 1 over the L positions
//   s = Σ_t β_t · x_t    [b, C]: one context vector per sample
//   y = [x_t ; s]        [b, L, 2C]: the context handed to every position, concatenated
// Concatenation, not addition: s is the same at every position, and added to x it would land
// in the same channels as each position's own features, so the next layer could no longer tell
// what is here from what is everywhere. Concatenated, both reach the next layer as separate
// channels and it learns how to combine them, at the cost of C more input channels.
// Because b has one value per position, the layer is built for one sequence length.
import * as tf from '@tensorflow/tfjs';
import { LayerArgs, oneInput, oneShape } from './contract';
import { torchUniform } from './init';

export interface AttentionPoolingArgs extends LayerArgs {
  /** Seed for the weight initialiser; unseeded when left out. */
  seed?: number;
}

export class AttentionPooling extends tf.layers.Layer {
  static className = 'AttentionPooling';
  readonly seed: number | undefined;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: AttentionPoolingArgs = {}) {
    super(args);
    this.seed = args.seed;
    this.inputSpec = [new tf.InputSpec({ ndim: 3 })];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const [, l, c] = shape;
    if (shape.length !== 3 || l == null || c == null)
      throw new Error(
        `AttentionPooling expects [batch, length, channels] inputs with known length and channels (its bias has one value per position), got shape [${shape}]`,
      );
    // W as PyTorch's Linear(C, 1): U(±1/√C). The per-position bias starts at 0, so at first no
    // position is favoured and β depends on content alone.
    this.kernel = this.addWeight('kernel', [c, 1], 'float32', torchUniform(c, this.seed));
    this.bias = this.addWeight('bias', [l], 'float32', tf.initializers.zeros());
    this.inputSpec = [new tf.InputSpec({ ndim: 3, axes: { 1: l, 2: c } })];
    this.built = true;
  }

  /** β = softmax over positions of c = tanh(x·W + b): [b, L]. */
  private weightsOf(x: tf.Tensor3D): tf.Tensor2D {
    const [b, l, ch] = x.shape;
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
      return tf.concat([x, tf.tile(context, [1, l, 1])], 2); // [b, L, 2C]
    });
  }

  /** The pooling weights β for inputs x: [batch, L], each row summing to 1. */
  attention(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.weightsOf(this.check(x)));
  }

  private check(x: tf.Tensor): tf.Tensor3D {
    if (!this.built)
      throw new Error('AttentionPooling: layer is not built yet (call it on an input first)');
    const l = this.bias!.shape[0] as number;
    const c = this.kernel!.shape[0] as number;
    if (x.rank !== 3 || x.shape[1] !== l || x.shape[2] !== c)
      throw new Error(
        `AttentionPooling expects [batch, ${l}, ${c}] inputs, got shape [${x.shape}]`,
      );
    return x as tf.Tensor3D;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, l, c] = oneShape(inputShape);
    return [b, l, c == null ? null : 2 * c];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {};
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(AttentionPooling);
