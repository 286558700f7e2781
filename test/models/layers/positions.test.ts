// The position tables (src/models/layers/positions.ts): exact values from each formula, and the
// binary table equal to the data option's position bits.
import '../../setup';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeOnBackends } from '../../backends';
import { POSITION_BITS, SEQ_LENGTH, positionChannels } from '../../../src/data/task';
import {
  binaryPositions,
  positionTable,
  sinusoidal,
  sinusoidalPositions,
} from '../../../src/models/layers/positions';
import { assertValues, maxDiff } from './check';

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

describeOnBackends('binaryPositions', () => {
  it('puts bit k of position p, (p >> k) & 1, in channel k, and 0 past the seventh channel', () => {
    const pe = binaryPositions(6, 9);
    assert.deepEqual(pe.shape, [6, 9]);
    assertValues(pe, [
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 1, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 1, 0, 0, 0, 0, 0, 0],
      [1, 0, 1, 0, 0, 0, 0, 0, 0],
    ]);
    // Position 99 = 0b1100011: bits 0, 1, 5 and 6.
    assertValues(tf.slice(binaryPositions(100, 7), [99, 0], [1, 7]), [[1, 1, 0, 0, 0, 1, 1]]);
  });

  it("is the data option's 7 position channels exactly, at the task's length", () => {
    const data = tf.tensor2d(positionChannels(), [SEQ_LENGTH, POSITION_BITS]);
    assert.equal(maxDiff(binaryPositions(SEQ_LENGTH, POSITION_BITS), data), 0);
  });

  it('gives every one of the 100 positions its own code', () => {
    const rows = binaryPositions(100, 7)
      .arraySync()
      .map((r) => r.join(''));
    assert.equal(new Set(rows).size, 100);
  });

  it('differs from the sinusoidal table of the same shape (positionTable picks by name)', () => {
    assert.equal(maxDiff(positionTable('binary', 10, 8), binaryPositions(10, 8)), 0);
    assert.equal(maxDiff(positionTable('sinusoidal', 10, 8), sinusoidalPositions(10, 8)), 0);
    assert.ok(maxDiff(positionTable('binary', 10, 8), positionTable('sinusoidal', 10, 8)) > 0.5);
  });

  it('refuses fewer than 7 channels: a shorter code would repeat within the sequence', () => {
    assert.throws(() => binaryPositions(100, 4), /channels must be an integer >= 7, got 4/);
    assert.throws(() => binaryPositions(0, 7), /length must be an integer >= 1, got 0/);
  });
});
