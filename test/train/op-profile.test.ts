// The kernel profiler (src/train/op-profile.ts): it times a training step kernel by kernel and
// puts back every kernel it wrapped.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { profileOps } from '../../src/train/op-profile';

before(async () => {
  await initBackend({ quiet: true });
});

describe('op-profile', () => {
  it('profiles a step kernel by kernel and restores every kernel it wrapped', () => {
    const conv = tf.getKernel('Conv2D', tf.getBackend());
    const kernels = tf.getKernelsForBackend(tf.getBackend()).length;
    const p = profileOps('cnn', 'test', { steps: 1 });
    assert.ok(p.rows.length > 0 && p.callsPerStep > 0);
    assert.ok(p.rows.some((r) => r.op === 'Conv2D' && r.callsPerStep === 5));
    assert.ok(p.opsMs > 0 && p.opsMs <= p.stepMs * 1.05, `${p.opsMs} of ${p.stepMs} ms`);
    assert.equal(tf.getKernel('Conv2D', tf.getBackend()), conv);
    assert.equal(tf.getKernelsForBackend(tf.getBackend()).length, kernels);
  });
});
