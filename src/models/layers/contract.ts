// What every custom layer here shares with the tfjs-layers contract: the args type that layer
// constructors take, and the one helper that unwraps a layer's input (tfjs hands `call` and
// `build` either one tensor/shape or a list of them).
import * as tf from '@tensorflow/tfjs';

/** tfjs-layers' `LayerArgs` (name, trainable, inputShape, …), which the bundle does not export by name. */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** The single input tensor of a layer call. Throws when given several. */
export function oneInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new Error(`expected one input tensor, got ${inputs.length}`);
  return inputs[0];
}

/** The single input shape given to `build` or `computeOutputShape`. Throws when given several. */
export function oneShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  if (!Array.isArray(inputShape[0])) return inputShape as tf.Shape;
  if (inputShape.length !== 1)
    throw new Error(`expected one input shape, got ${inputShape.length}`);
  return inputShape[0] as tf.Shape;
}
