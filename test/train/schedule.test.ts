// The learning-rate schedules and the Adam that follows them (src/train/schedule.ts).
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ScheduledAdam, learningRateAt } from '../../src/train/schedule';

describe('learningRateAt', () => {
  it('is the rate itself at every step of a flat schedule', () => {
    for (const step of [0, 7, 19, 500])
      assert.equal(learningRateAt('flat', 1e-3, 0.3, step, 20), 1e-3);
  });

  it("follows PyTorch's OneCycleLR step by step (max_lr 5e-3, 20 steps, pct_start 0.25)", () => {
    // Printed by torch 2.13's OneCycleLR with these settings (param_groups[0]['lr'] before each step).
    const torch = [
      0.0002, 0.0009029437252, 0.0026, 0.004297056275, 0.005, 0.00494536922, 0.004783864509,
      0.004522544396, 0.004172829825, 0.003750005, 0.003272549396, 0.002761330113, 0.002238689887,
      0.001727470604, 0.001250015, 0.0008271901754, 0.0004774756042, 0.0002161554913,
      5.465077964e-5, 2e-8,
    ];
    torch.forEach((want, step) => {
      const got = learningRateAt('onecycle', 5e-3, 0.25, step, 20);
      assert.ok(Math.abs(got - want) <= 1e-9 + 1e-6 * want, `step ${step}: ${got} vs ${want}`);
    });
  });

  it('stays at the last rate past the end of the run', () => {
    assert.equal(
      learningRateAt('onecycle', 5e-3, 0.25, 25, 20),
      learningRateAt('onecycle', 5e-3, 0.25, 19, 20),
    );
  });
});

describe('ScheduledAdam', () => {
  it("moves a weight in proportion to the rate it is given (Adam's first step is ±rate)", () => {
    const moved = (rate: number) => {
      const w = tf.variable(tf.tensor1d([1, -2]));
      const opt = new ScheduledAdam(1e-3, 0.9, 0.99, 1e-12);
      opt.rate = rate;
      assert.equal(opt.rate, rate);
      opt.minimize(() => tf.sum(tf.mul(w, tf.tensor1d([3, -0.5]))) as tf.Scalar);
      const d = Array.from(w.dataSync()).map((v, i) => v - [1, -2][i]);
      opt.dispose();
      w.dispose();
      return d;
    };
    const [a0, a1] = moved(1e-3);
    const [b0, b1] = moved(4e-3);
    assert.ok(Math.abs(a0 + 1e-3) < 1e-7 && Math.abs(a1 - 1e-3) < 1e-7, `${a0}, ${a1}`);
    assert.ok(Math.abs(b0 / a0 - 4) < 1e-3 && Math.abs(b1 / a1 - 4) < 1e-3, `${b0}, ${b1}`);
  });
});
