// The walk-through's self-attention layer, channels-last, with seed 004's variants. Q, K and V are
// kernel-size-1 convolutions without bias, i.e. one linear map per position. With h heads each
// projection is split into h slices of its channels inside one tensor (no loop over heads):
//   q = x·Wq, k = x·Wk   [b, L, key] → [b, L, h, key/h] → [b, h, L, key/h]
//   v = x·Wv             [b, L, out] → [b, L, h, out/h] → [b, h, L, out/h]
//   A = softmax(q·kᵀ [/ √(key/h)] [+ mask])  [b, h, L, L]; row i = output position i
//   y = A·v              [b, h, L, out/h] → [b, L, h, out/h] → [b, L, out]
// No output projection: the heads' outputs are concatenated and returned as they are, with no
// W_o after them (the Transformer has one; the blog's layer has none, and the model's next conv
// mixes the heads' channels anyway). So with h heads each head's output owns out/h channels.
// With heads = 1, no window and no position encoding this is exactly the blog's layer (no 1/√d
// scaling unless `scaled`).
// `window: r` lets position i attend only to |i − j| ≤ r, through an additive mask (masks.ts).
// `positionEncoding: 'sinusoidal' | 'binary'` adds a position table [L, cin] (positions.ts) to
// the input of Q and K only, not of V: positions then shape *where* a position looks (the
// scores), while what it gathers (the values, hence the output) stays content. Added to V, the
// table would pass into the output, and the layers after it would have to learn to remove it.
// Added, not concatenated: the table has the input's width, as in the Transformer, so Wq and Wk
// keep their shapes and the layer its parameter count. 'binary' puts the 7 position bits in
// channels 0..6 and 0 in the rest (it needs cin ≥ 7); the learned Wq and Wk can read them from
// any channel, so which 7 carry them does not matter. (Positions at the model's input instead:
// position-channels.ts.)
// `attention(x)` returns A itself, so the heatmap needs no model surgery.
import * as tf from '@tensorflow/tfjs';
import { checkInt } from '../../runtime/validate';
import { LayerArgs, oneInput, oneShape } from './contract';
import { torchUniform } from './init';
import { AttentionRule, additiveMask, withinWindow } from './masks';
import { POSITION_BITS } from '../../data/task';
import { POSITION_TABLES, positionTable } from './positions';

export const POSITION_ENCODINGS = ['none', ...POSITION_TABLES] as const;
export type PositionEncoding = (typeof POSITION_ENCODINGS)[number];

/** What each optional field of `SelfAttentionArgs` is when left out, and why. */
export const SELF_ATTENTION_DEFAULTS = {
  /** One head: the walk-through's layer. */
  heads: 1,
  /** 0 means no window: every position sees the whole sequence, as in the walk-through. */
  window: 0,
  /** No position information, as in the walk-through: the scores see content only. */
  positionEncoding: 'none' as PositionEncoding,
  /** No 1/√d scaling: the blog's form (the Transformer's is `true`). */
  scaled: false,
} as const;

export interface SelfAttentionArgs extends LayerArgs {
  /**
   * Channels of Q and K over all heads (the blog's key_channels, 96); must divide by `heads`.
   * Required: the model config holds the default.
   */
  keyChannels: number;
  /** Channels of V and of the output over all heads; must divide by `heads`. Optional: the input's channels. */
  outChannels?: number;
  /** Number of heads. Optional (SELF_ATTENTION_DEFAULTS). */
  heads?: number;
  /** Divide each head's q·kᵀ by √(keyChannels / heads) before the softmax. Optional (SELF_ATTENTION_DEFAULTS). */
  scaled?: boolean;
  /** Attend only within ±window positions; 0 for the whole sequence. Optional (SELF_ATTENTION_DEFAULTS). */
  window?: number;
  /** A position table added to the input of Q and K. Optional (SELF_ATTENTION_DEFAULTS). */
  positionEncoding?: PositionEncoding;
  /** Seed for the weight initialisers; unseeded when left out. */
  seed?: number;
}

const positiveInt = (v: unknown, field: string): number => checkInt(`SelfAttention.${field}`, v, 1);

function divisible(channels: number, heads: number, field: string): void {
  if (channels % heads !== 0)
    throw new Error(
      `SelfAttention: ${field} (${channels}) must divide by heads (${heads}), so every head gets the same number of channels`,
    );
}

export class SelfAttention extends tf.layers.Layer {
  static className = 'SelfAttention';
  readonly keyChannels: number;
  readonly heads: number;
  readonly scaled: boolean;
  readonly window: number;
  readonly positionEncoding: PositionEncoding;
  readonly seed: number | undefined;
  private outChannelsArg: number | undefined;
  private wq?: tf.LayerVariable;
  private wk?: tf.LayerVariable;
  private wv?: tf.LayerVariable;

  constructor(args: SelfAttentionArgs) {
    super(args);
    const d = SELF_ATTENTION_DEFAULTS;
    this.keyChannels = positiveInt(args.keyChannels, 'keyChannels');
    if (args.outChannels !== undefined) positiveInt(args.outChannels, 'outChannels');
    this.outChannelsArg = args.outChannels;
    this.heads = positiveInt(args.heads ?? d.heads, 'heads');
    divisible(this.keyChannels, this.heads, 'keyChannels');
    if (this.outChannelsArg !== undefined)
      divisible(this.outChannelsArg, this.heads, 'outChannels');
    this.scaled = args.scaled ?? d.scaled;
    if (typeof this.scaled !== 'boolean')
      throw new Error(`SelfAttention: scaled must be true or false, got ${this.scaled}`);
    this.window = args.window ?? d.window;
    checkInt('SelfAttention.window', this.window, 0); // 0: the whole sequence
    this.positionEncoding = args.positionEncoding ?? d.positionEncoding;
    if (!(POSITION_ENCODINGS as readonly string[]).includes(this.positionEncoding))
      throw new Error(
        `SelfAttention: positionEncoding must be one of ${POSITION_ENCODINGS.join(', ')}, got '${this.positionEncoding}'`,
      );
    this.seed = args.seed;
    this.inputSpec = [new tf.InputSpec({ ndim: 3 })];
  }

  private outChannels(inChannels: number): number {
    return this.outChannelsArg ?? inChannels;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    if (shape.length !== 3)
      throw new Error(
        `SelfAttention expects [batch, length, channels] inputs, got shape [${shape}]`,
      );
    const cin = shape[2] as number;
    if (this.positionEncoding === 'binary' && cin < POSITION_BITS)
      throw new Error(
        `SelfAttention: positionEncoding 'binary' needs at least ${POSITION_BITS} input channels for its ${POSITION_BITS} position bits, got ${cin}`,
      );
    if (this.outChannelsArg === undefined)
      divisible(cin, this.heads, "outChannels (by default the input's channels)");
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
    this.inputSpec = [new tf.InputSpec({ ndim: 3, axes: { 2: cin } })];
    this.built = true;
  }

  /** Per-position linear map: [b, L, cin] · [cin, c] → [b, L, c], as one 2-D matMul. */
  private project(x: tf.Tensor3D, w: tf.LayerVariable): tf.Tensor3D {
    const [b, l, cin] = x.shape;
    const c = w.shape[1] as number;
    return tf.matMul(tf.reshape(x, [b * l, cin]), w.read() as tf.Tensor2D).reshape([b, l, c]);
  }

  /** [b, L, c] → [b, h, L, c/h]: head n gets channels n·c/h … (n+1)·c/h − 1. */
  private splitHeads(t: tf.Tensor3D): tf.Tensor4D {
    const [b, l, c] = t.shape;
    return tf.transpose(tf.reshape(t, [b, l, this.heads, c / this.heads]), [0, 2, 1, 3]);
  }

  /** [b, h, L, c/h] → [b, L, c]: the inverse of `splitHeads`. */
  private joinHeads(t: tf.Tensor4D): tf.Tensor3D {
    const [b, h, l, ch] = t.shape;
    return tf.reshape(tf.transpose(t, [0, 2, 1, 3]), [b, l, h * ch]);
  }

  /** Which pairs (i, j) may attend, or undefined when all may. */
  private rule(): AttentionRule | undefined {
    return this.window > 0 ? withinWindow(this.window) : undefined;
  }

  private scores(x: tf.Tensor3D): tf.Tensor4D {
    const [, l, cin] = x.shape;
    // Positions enter the addressing only (Q and K), never the values: see the header.
    const xa: tf.Tensor3D =
      this.positionEncoding === 'none'
        ? x
        : tf.add(x, positionTable(this.positionEncoding, l, cin)); // [L, cin] broadcast over b
    const q = this.splitHeads(this.project(xa, this.wq!)); // [b, h, L, key/h]
    const k = this.splitHeads(this.project(xa, this.wk!)); // [b, h, L, key/h]
    let logits: tf.Tensor4D = tf.matMul(q, k, false, true); // [b, h, L, L]
    if (this.scaled) logits = tf.div(logits, Math.sqrt(this.keyChannels / this.heads));
    const rule = this.rule();
    if (rule) logits = tf.add(logits, additiveMask(l, rule)); // [L, L] broadcast over b and h
    return tf.softmax(logits);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = this.check(oneInput(inputs)); // [b, L, cin]
      const a = this.scores(x); // [b, h, L, L]
      const v = this.splitHeads(this.project(x, this.wv!)); // [b, h, L, out/h]
      return this.joinHeads(tf.matMul(a, v)); // [b, L, out]
    });
  }

  /** The attention matrices for inputs x: [batch, heads, L, L], each row summing to 1. */
  attention(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.scores(this.check(x)));
  }

  /**
   * The heads' attention matrices averaged: [batch, L, L], rows still summing to 1. With one head
   * this is the walk-through's matrix A itself.
   */
  meanAttention(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => tf.mean(this.scores(this.check(x)), 1) as tf.Tensor3D);
  }

  private check(x: tf.Tensor): tf.Tensor3D {
    if (!this.built)
      throw new Error('SelfAttention: layer is not built yet (call it on an input first)');
    const cin = this.wq!.shape[0] as number;
    if (x.rank !== 3 || x.shape[2] !== cin) {
      throw new Error(
        `SelfAttention expects [batch, length, ${cin}] inputs, got shape [${x.shape}]`,
      );
    }
    return x as tf.Tensor3D;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    return [shape[0], shape[1], this.outChannels(shape[2] as number)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      keyChannels: this.keyChannels,
      heads: this.heads,
      scaled: this.scaled,
      window: this.window,
      positionEncoding: this.positionEncoding,
    };
    if (this.outChannelsArg !== undefined) config.outChannels = this.outChannelsArg;
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(SelfAttention);
