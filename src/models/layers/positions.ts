// The sinusoidal position table of the Transformer paper (seed 004), channels-last:
//   PE(p, 2i) = sin(p / 10000^(2i/d)),  PE(p, 2i+1) = cos(p / 10000^(2i/d))
// Channels 2i and 2i+1 share one frequency; with an odd d the last channel is a sine alone.
import * as tf from '@tensorflow/tfjs';
import { checkInt } from '../../runtime/validate';

/** The paper's base: wavelengths run from 2π (channel pair 0) up to about 10000·2π. */
const BASE = 10000;

/** PE(position, channel) for a table of `channels` channels, in float64. */
export function sinusoidal(position: number, channel: number, channels: number): number {
  const pair = Math.floor(channel / 2); // i in 2i and 2i+1
  const angle = position / Math.pow(BASE, (2 * pair) / channels);
  return channel % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
}

/** The table for positions 0..length−1: [length, channels], row p = position p. */
export function sinusoidalPositions(length: number, channels: number): tf.Tensor2D {
  for (const [what, v] of [
    ['length', length],
    ['channels', channels],
  ] as const) {
    checkInt(`sinusoidalPositions.${what}`, v, 1);
  }
  const values = new Float32Array(length * channels);
  for (let p = 0; p < length; p++)
    for (let k = 0; k < channels; k++) values[p * channels + k] = sinusoidal(p, k, channels);
  return tf.tensor2d(values, [length, channels]);
}
