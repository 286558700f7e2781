// Positions at the model's input: a fixed table of 7 channels concatenated to every sample,
//   [b, L, C] → [b, L, C + 7], channels C..C+6 = the table (positions.ts), the same for every sample
// with 'binary' the 7 bits (p >> k) & 1, in the order and with the values of the data option
// `positionalEncoding` (data/dataset.ts puts the value in channel 0 and bit k in channel 1 + k),
// so a model with this layer on a 1-channel input sees exactly what a model with inChannels 8
// sees on that data; with 'sinusoidal' 7 channels of the Transformer formula (d = 7).
// Concatenated, not added: the input has one channel, and adding a position table to the value
// itself would mix where a step is with what it holds, which the first conv could not undo.
// The layer has no weights; the first conv after it reads 7 more channels (7·k·channels weights).
import * as tf from '@tensorflow/tfjs';
import { POSITION_BITS } from '../../data/task';
import { LayerArgs, oneInput, oneShape } from './contract';
import { POSITION_TABLES, PositionTable, positionTable } from './positions';

/** Channels the layer appends: the data option's 7 bits, and as many sinusoid channels. */
export const INPUT_POSITION_CHANNELS = POSITION_BITS;

export interface PositionChannelsArgs extends LayerArgs {
  /** Which table to append. */
  encoding: PositionTable;
}

export class PositionChannels extends tf.layers.Layer {
  static className = 'PositionChannels';
  readonly encoding: PositionTable;

  constructor(args: PositionChannelsArgs) {
    super(args);
    this.encoding = args.encoding;
    if (!(POSITION_TABLES as readonly string[]).includes(this.encoding))
      throw new Error(
        `PositionChannels: encoding must be one of ${POSITION_TABLES.join(', ')}, got '${this.encoding}'`,
      );
    this.inputSpec = [new tf.InputSpec({ ndim: 3 })];
  }

  /** The appended table: [L, 7]. */
  table(length: number): tf.Tensor2D {
    return positionTable(this.encoding, length, INPUT_POSITION_CHANNELS);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = oneInput(inputs) as tf.Tensor3D; // [b, L, C]
      const [b, l] = x.shape;
      const pe = tf.tile(tf.expandDims(this.table(l), 0), [b, 1, 1]); // [b, L, 7]
      return tf.concat([x, pe], 2); // [b, L, C + 7]
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, l, c] = oneShape(inputShape);
    return [b, l, c == null ? null : c + INPUT_POSITION_CHANNELS];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), encoding: this.encoding };
  }
}

tf.serialization.registerClass(PositionChannels);
