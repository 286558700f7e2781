// The sinusoidal position table (src/models/layers/positions.ts): exact values from the formula.
import '../../setup';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeOnBackends } from '../../backends';
import { sinusoidal, sinusoidalPositions } from '../../../src/models/layers/positions';
import { assertValues } from './check';

describeOnBackends('sinusoidalPositions', () => {
  it('gives PE(p, 2i) = sin(p/10000^(2i/d)) and PE(p, 2i+1) = cos(…) for d = 4', () => {
    const pe = sinusoidalPositions(3, 4);
    assert.deepEqual(pe.shape, [3, 4]);
    // d = 4: pair 0 has rate 1, pair 1 has rate 1/10000^(2/4) = 1/100.
    assertValues(pe, [
      [0, 1, 0, 1],
      [Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)],
      [Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02)],
    ]);
  });

  it('ends on a lone sine when d is odd, and rounds each entry of the float64 formula once', () => {
    const pe = sinusoidalPositions(5, 3);
    // d = 3: pair 1 (channel 2) has rate 1/10000^(2/3).
    const rate = Math.pow(10000, -2 / 3);
    assertValues(tf.slice(pe, [4, 0], [1, 3]), [[Math.sin(4), Math.cos(4), Math.sin(4 * rate)]]);
    const values = pe.dataSync();
    for (let p = 0; p < 5; p++)
      for (let k = 0; k < 3; k++) assert.equal(values[p * 3 + k], Math.fround(sinusoidal(p, k, 3)));
  });

  it('refuses empty tables', () => {
    assert.throws(() => sinusoidalPositions(0, 4), /length must be an integer >= 1, got 0/);
    assert.throws(() => sinusoidalPositions(3, 1.5), /channels must be an integer >= 1/);
  });
});
