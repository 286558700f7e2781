// A learned sigmoid gate at each position (seed 002's "attention" over dense features):
//   g = σ(x·W + b)   [b, L, C] · [C, C] + [C] → [b, L, C], each gate in (0, 1)
//   y = x ⊙ g        [b, L, C]
// Every position is gated by its own features through the same W and b; positions never mix, so
// unlike self-attention this layer cannot move information along the sequence.
import * as tf from '@tensorflow/tfjs';
import { LayerArgs, oneInput, oneShape } from './contract';
import { torchUniform } from './init';

export interface PositionGateArgs extends LayerArgs {
  /** Seed for the weight initialisers; unseeded when left out. */
  seed?: number;
}

export class PositionGate extends tf.layers.Layer {
  static className = 'PositionGate';
  readonly seed: number | undefined;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: PositionGateArgs = {}) {
    super(args);
    this.seed = args.seed;
    this.inputSpec = [new tf.InputSpec({ ndim: 3 })];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const c = shape[2];
    if (shape.length !== 3 || c == null)
      throw new Error(
        `PositionGate expects [batch, length, channels] inputs with known channels, got shape [${shape}]`,
      );
    const s = this.seed;
    // PyTorch's Linear default: weight and bias from U(±1/√fan_in), fan_in = C.
    this.kernel = this.addWeight('kernel', [c, c], 'float32', torchUniform(c, s));
    this.bias = this.addWeight(
      'bias',
      [c],
      'float32',
      torchUniform(c, s === undefined ? s : s + 1),
    );
    this.inputSpec = [new tf.InputSpec({ ndim: 3, axes: { 2: c } })];
    this.built = true;
  }

  /** σ(x·W + b): [b, L, C]. */
  private gateOf(x: tf.Tensor3D): tf.Tensor3D {
    const [b, l, c] = x.shape;
    const z = tf.matMul(tf.reshape(x, [b * l, c]), this.kernel!.read() as tf.Tensor2D); // [b·L, C]
    return tf.reshape(tf.sigmoid(tf.add(z, this.bias!.read())), [b, l, c]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = this.check(oneInput(inputs));
      return tf.mul(x, this.gateOf(x));
    });
  }

  /** The gate values for inputs x: [batch, L, C], each in (0, 1). */
  gate(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => this.gateOf(this.check(x)));
  }

  private check(x: tf.Tensor): tf.Tensor3D {
    if (!this.built)
      throw new Error('PositionGate: layer is not built yet (call it on an input first)');
    const c = this.kernel!.shape[0] as number;
    if (x.rank !== 3 || x.shape[2] !== c)
      throw new Error(`PositionGate expects [batch, length, ${c}] inputs, got shape [${x.shape}]`);
    return x as tf.Tensor3D;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {};
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(PositionGate);
