// Position tables, channels-last [length, channels], row p = position p:
//   sinusoidal  the Transformer paper's table (seed 004):
//               PE(p, 2i) = sin(p / 10000^(2i/d)),  PE(p, 2i+1) = cos(p / 10000^(2i/d))
//               Channels 2i and 2i+1 share one frequency; with an odd d the last is a sine alone.
//   binary      Fleuret's 7 position bits, channel k = (p >> k) & 1 for k < 7 (the data option
//               `positionalEncoding`, data/task.ts), 0 in any channel past the seventh. Seven
//               bits tell positions 0..127 apart, so every one of the 100 steps has its own code.
import * as tf from '@tensorflow/tfjs';
import { POSITION_BITS } from '../../data/task';
import { checkInt } from '../../runtime/validate';

/** The kinds of table; attention.ts adds 'none' for "no positions". */
export const POSITION_TABLES = ['sinusoidal', 'binary'] as const;
export type PositionTable = (typeof POSITION_TABLES)[number];

/** The paper's base: wavelengths run from 2π (channel pair 0) up to about 10000·2π. */
const BASE = 10000;

/** PE(position, channel) for a table of `channels` channels, in float64. */
export function sinusoidal(position: number, channel: number, channels: number): number {
  const pair = Math.floor(channel / 2); // i in 2i and 2i+1
  const angle = position / Math.pow(BASE, (2 * pair) / channels);
  return channel % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
}

/** Bit `channel` of `position` for channels below POSITION_BITS, else 0. */
export function binary(position: number, channel: number): number {
  return channel < POSITION_BITS ? (position >> channel) & 1 : 0;
}

function table(
  what: string,
  length: number,
  channels: number,
  entry: (p: number, k: number) => number,
): tf.Tensor2D {
  checkInt(`${what}.length`, length, 1);
  checkInt(`${what}.channels`, channels, 1);
  const values = new Float32Array(length * channels);
  for (let p = 0; p < length; p++)
    for (let k = 0; k < channels; k++) values[p * channels + k] = entry(p, k);
  return tf.tensor2d(values, [length, channels]);
}

/** The sinusoidal table for positions 0..length−1: [length, channels]. */
export function sinusoidalPositions(length: number, channels: number): tf.Tensor2D {
  return table('sinusoidalPositions', length, channels, (p, k) => sinusoidal(p, k, channels));
}

/**
 * The binary table: [length, channels], the 7 bits in channels 0..6 and 0 in the rest. Fewer
 * than 7 channels are refused: a shorter code would give positions 2^channels apart one code.
 */
export function binaryPositions(length: number, channels: number): tf.Tensor2D {
  checkInt('binaryPositions.channels', channels, POSITION_BITS);
  return table('binaryPositions', length, channels, binary);
}

/** The table of the given kind: [length, channels]. */
export function positionTable(kind: PositionTable, length: number, channels: number): tf.Tensor2D {
  return kind === 'binary'
    ? binaryPositions(length, channels)
    : sinusoidalPositions(length, channels);
}
