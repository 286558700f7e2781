// Timing training steps (src/train/step-timer.ts): warm-up, then timed steps until the step
// count and the minimum time are both reached, or the budget runs out; steps per epoch.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import { stepsPerEpoch, timeTrainSteps } from '../../src/train/step-timer';

before(async () => {
  await initBackend({ quiet: true });
});

const tiny = { channels: 4, depth: 2 };

describe('step timer', () => {
  it('counts the optimiser steps of an epoch after the validation hold-out, at batch 128', () => {
    assert.equal(stepsPerEpoch(25_000, 0.2), 157); // 20,000 / 128 = 156.25
    assert.equal(stepsPerEpoch(320, 0.2), 2);
    assert.equal(stepsPerEpoch(330, 0.2), 3); // 264 samples: a last, smaller batch
    assert.equal(stepsPerEpoch(100, 0), 1);
  });

  it('times exactly maxSteps steps when neither the minimum time nor the budget stops it', () => {
    let params = 0;
    const r = timeTrainSteps('cnn', {
      maxSteps: 3,
      budgetS: 600,
      config: tiny,
      inspect: (m) => (params = m.model.countParams()),
    });
    assert.equal(r.steps, 3);
    assert.equal(r.params, params);
    assert.equal(params, 1 * 4 * 5 + 4 + (4 * 1 * 5 + 1)); // two convs: 1 → 4 → 1, kernel 5
    assert.ok(r.stepS > 0 && Number.isFinite(r.stepS));
    assert.ok(r.minStepS > 0 && r.minStepS <= r.stepS);
    assert.ok(r.cpuStepS > 0 && Number.isFinite(r.cpuStepS));
    assert.ok(r.load >= 0);
  });

  it('times one step when the budget is spent, and keeps timing until the minimum time', () => {
    assert.equal(timeTrainSteps('cnn', { maxSteps: 5, budgetS: 0, config: tiny }).steps, 1);
    const t0 = performance.now();
    const r = timeTrainSteps('cnn', { maxSteps: 1, budgetS: 60, minSeconds: 0.3, config: tiny });
    assert.ok(r.steps >= 2, `${r.steps} steps`);
    assert.ok((performance.now() - t0) / 1000 >= 0.3);
  });

  it('frees its model, optimiser and batch', () => {
    timeTrainSteps('cnn', { maxSteps: 1, budgetS: 60, config: tiny }); // the dataset cache
    const before = tf.memory().numTensors;
    timeTrainSteps('cnn', { maxSteps: 2, budgetS: 60, config: tiny });
    assert.equal(tf.memory().numTensors, before);
  });
});
