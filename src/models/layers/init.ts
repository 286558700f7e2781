// Weight initialisers that match PyTorch's defaults. The walk-through's models were trained
// from PyTorch's initialisation (Conv1d, Linear and LSTM all draw U(±1/√fan_in) in effect),
// so the tfjs ports start from the same distribution rather than Keras's Glorot default.
import * as tf from '@tensorflow/tfjs';

/** U(-1/√fanIn, 1/√fanIn), optionally seeded. */
export function torchUniform(
  fanIn: number,
  seed?: number,
): ReturnType<typeof tf.initializers.randomUniform> {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}
