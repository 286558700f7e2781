// The attention layer's anatomy (src/analysis/anatomy.ts): a kernel-size-1 conv is a
// per-position linear map.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { convEqualsLinear } from '../../src/analysis/anatomy';
import { initBackend } from '../../src/runtime/backend';

before(async () => {
  await initBackend({ quiet: true });
});

describe('anatomy', () => {
  it('shows that a kernel-size-1 conv equals a per-position linear map, and leaves no tensors', () => {
    const before = tf.memory().numTensors;
    const r = convEqualsLinear(2, 10, 4, 3);
    assert.equal(tf.memory().numTensors, before);
    assert.ok(r.maxAbsDiff < 1e-5, String(r.maxAbsDiff));
    assert.equal(r.convShape, '[2, 10, 3]');
    assert.equal(r.linearShape, '[2, 10, 3]');
    // The notebook's sizes: 64 channels in, 96 out.
    assert.equal(convEqualsLinear().convShape, '[2, 100, 96]');
  });
});
