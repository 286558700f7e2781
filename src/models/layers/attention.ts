// The walk-through's self-attention layer, channels-last. Q, K and V are kernel-size-1
// convolutions without bias, i.e. one linear map per position:
//   q = x·Wq, k = x·Wk  ([batch, 100, key]),  v = x·Wv  ([batch, 100, out])
//   A = softmax(q·kᵀ) over the last axis      ([batch, 100, 100]; row i = output position i)
//   y = A·v                                   ([batch, 100, out])
// As in the blog there is no 1/√key scaling by default; `scaled: true` gives the Transformer's
// scaled dot product. `attention(x)` returns A itself, so the heatmap needs no model surgery.
import * as tf from '@tensorflow/tfjs';
import { torchUniform } from './init';

export interface SelfAttentionArgs {
  /** Channels of Q and K (the blog's key_channels). Default 96. */
  keyChannels: number;
  /** Channels of V and of the output. Default: the input's channels. */
  outChannels?: number;
  /** Divide q·kᵀ by √keyChannels before the softmax. Default false (the blog's form). */
  scaled?: boolean;
  /** Seed for the weight initialisers. */
  seed?: number;
  name?: string;
  trainable?: boolean;
  inputShape?: tf.Shape;
}

export class SelfAttention extends tf.layers.Layer {
  static className = 'SelfAttention';
  readonly keyChannels: number;
  readonly scaled: boolean;
  readonly seed: number | undefined;
  private outChannelsArg: number | undefined;
  private wq?: tf.LayerVariable;
  private wk?: tf.LayerVariable;
  private wv?: tf.LayerVariable;

  constructor(args: SelfAttentionArgs) {
    super(args);
    if (!Number.isInteger(args.keyChannels) || args.keyChannels <= 0) {
      throw new Error(
        `SelfAttention: keyChannels must be a positive integer, got ${args.keyChannels}`,
      );
    }
    if (
      args.outChannels !== undefined &&
      (!Number.isInteger(args.outChannels) || args.outChannels <= 0)
    ) {
      throw new Error(
        `SelfAttention: outChannels must be a positive integer, got ${args.outChannels}`,
      );
    }
    this.keyChannels = args.keyChannels;
    this.outChannelsArg = args.outChannels;
    this.scaled = args.scaled ?? false;
    this.seed = args.seed;
  }

  private outChannels(inChannels: number): number {
    return this.outChannelsArg ?? inChannels;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 3)
      throw new Error(
        `SelfAttention expects [batch, length, channels] inputs, got shape [${shape}]`,
      );
    const cin = shape[2] as number;
    const s = this.seed;
    // PyTorch's Conv1d default: U(±1/√fan_in), fan_in = cin for kernel size 1.
    this.wq = this.addWeight('query', [cin, this.keyChannels], 'float32', torchUniform(cin, s));
    this.wk = this.addWeight(
      'key',
      [cin, this.keyChannels],
      'float32',
      torchUniform(cin, s === undefined ? s : s + 1),
    );
    this.wv = this.addWeight(
      'value',
      [cin, this.outChannels(cin)],
      'float32',
      torchUniform(cin, s === undefined ? s : s + 2),
    );
    this.built = true;
  }

  /** Per-position linear map: [b, L, cin] · [cin, c] → [b, L, c], as one 2-D matMul. */
  private project(x: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor3D {
    const [b, l, cin] = x.shape;
    return tf.matMul(tf.reshape(x, [b * l, cin]), w).reshape([b, l, w.shape[1]]);
  }

  private scores(x: tf.Tensor3D): tf.Tensor3D {
    const q = this.project(x, this.wq!.read() as tf.Tensor2D);
    const k = this.project(x, this.wk!.read() as tf.Tensor2D);
    const logits = tf.matMul(q, k, false, true); // [b, L, L]
    return tf.softmax(
      this.scaled ? tf.div(logits, Math.sqrt(this.keyChannels)) : logits,
    ) as tf.Tensor3D;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = this.check(Array.isArray(inputs) ? inputs[0] : inputs);
      const a = this.scores(x);
      return tf.matMul(a, this.project(x, this.wv!.read() as tf.Tensor2D));
    });
  }

  /** The attention matrix A for inputs x: [batch, L, L], each row summing to 1. */
  attention(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => this.scores(this.check(x)));
  }

  private check(x: tf.Tensor): tf.Tensor3D {
    if (!this.built)
      throw new Error('SelfAttention: layer is not built yet (call it on an input first)');
    const cin = (this.wq!.shape as number[])[0];
    if (x.rank !== 3 || x.shape[2] !== cin) {
      throw new Error(
        `SelfAttention expects [batch, length, ${cin}] inputs, got shape [${x.shape}]`,
      );
    }
    return x as tf.Tensor3D;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], shape[1], this.outChannels(shape[2] as number)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      keyChannels: this.keyChannels,
      scaled: this.scaled,
    };
    if (this.outChannelsArg !== undefined) config.outChannels = this.outChannelsArg;
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(SelfAttention);
