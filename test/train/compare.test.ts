// The experiment harness (src/train/compare.ts): every variant under every seed, long-format rows,
// resuming point by point, and the per-variant summary over seeds.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/runtime/backend';
import {
  CompareRow,
  FINAL_EPOCHS,
  finalEpochs,
  compare,
  planCompare,
  summarizeSeeds,
} from '../../src/train/compare';

before(async () => {
  await initBackend({ quiet: true });
});

const small = { data: { nTrain: 320, nTest: 64 }, fit: { epochs: 2 }, log: () => {} };
const variants = [
  { name: 'cnn k3', kind: 'cnn' as const, config: { kernelSize: 3 } },
  { name: 'cnn k5', kind: 'cnn' as const },
];

describe('compare', () => {
  it('trains every variant under every seed: one row per variant, seed and epoch, seeds differing', async () => {
    const before = tf.memory().numTensors;
    const rows = await compare(variants, { ...small, seeds: 2 });
    assert.equal(rows.length, 2 * 2 * 2);
    assert.deepEqual(
      [...new Set(rows.map((r) => `${r.variant}/${r.seed}`))],
      ['cnn k3/0', 'cnn k3/1', 'cnn k5/0', 'cnn k5/1'],
    );
    const valid = (v: string, s: number, e: number) =>
      rows.find((r) => r.variant === v && r.seed === s && r.epoch === e)!.valid;
    assert.notEqual(valid('cnn k3', 0, 2), valid('cnn k3', 1, 2), 'seeds must train differently');
    assert.notEqual(valid('cnn k3', 0, 2), valid('cnn k5', 0, 2), 'variants must differ');
    assert.equal(tf.memory().numTensors, before, 'compare leaves no tensors behind');
    // Flat rate, 2 epochs: both are among the last 5, so both count towards the final loss.
    assert.ok(rows.every((r) => r.final));
    // A second call loads every run: the same rows, and nothing trains.
    const sources: string[] = [];
    const again = await compare(variants, {
      ...small,
      seeds: 2,
      onRun: (v, s, source) => sources.push(`${v}/${s}:${source}`),
    });
    assert.deepEqual(again, rows);
    assert.deepEqual(sources, [
      'cnn k3/0:saved',
      'cnn k3/1:saved',
      'cnn k5/0:saved',
      'cnn k5/1:saved',
    ]);
  });

  it('marks only the last epoch final under one-cycle, where the rate has annealed', async () => {
    const rows = await compare([variants[0]], {
      ...small,
      seeds: 1,
      recipe: 'fast',
      fit: { epochs: 3 },
    });
    assert.deepEqual(
      rows.map((r) => [r.epoch, r.final]),
      [
        [1, false],
        [2, false],
        [3, true],
      ],
    );
  });

  it('seeds the weights and the batch order, and the data draw only when asked', () => {
    const plans = planCompare([variants[0]], { ...small, seeds: [0, 3] });
    assert.deepEqual(
      plans.map((p) => [p.plan.config.seed, p.plan.fit.seed]),
      [
        [0, 0],
        [3, 3],
      ],
    );
    assert.equal(plans[0].plan.data.seed, plans[1].plan.data.seed);
    const varied = planCompare([variants[0]], { ...small, seeds: [0, 3], varyData: true });
    assert.equal(varied[1].plan.data.seed - varied[0].plan.data.seed, 3);
  });

  it('refuses bad input before any work: no seeds, a negative seed, repeated names, a bad config', () => {
    assert.throws(() => planCompare(variants, { ...small, seeds: [] }), /at least one seed/);
    assert.throws(() => planCompare(variants, { ...small, seeds: [-1] }), /seed/);
    assert.throws(() => planCompare([variants[0], variants[0]], { ...small, seeds: 1 }), /repeat/);
    assert.throws(
      () =>
        planCompare([{ name: 'bad', kind: 'cnn', config: { kernelSize: 4 } }], {
          ...small,
          seeds: 1,
        }),
      /kernelSize/,
    );
    assert.throws(() => planCompare(variants, { ...small, seeds: 1, recipe: 'turbo' }), /recipe/);
  });
});

describe('summarizeSeeds', () => {
  it("takes each seed's median of its final epochs, then the median and range over seeds", () => {
    // Seed 0's last epoch (0.001) is not its final figure: the median of its last 5 is 0.004.
    const curve = (variant: string, seed: number, valid: number[]): CompareRow[] =>
      valid.map((v, i) => ({
        variant,
        seed,
        epoch: i + 1,
        train: 1,
        valid: v,
        final: i >= valid.length - FINAL_EPOCHS,
      }));
    const rows = [
      ...curve('a', 0, [9, 9, 0.002, 0.004, 0.006, 0.005, 0.001]),
      ...curve('a', 1, [9, 0.01, 0.01, 0.01, 0.01, 0.01]),
      ...curve('a', 2, [0.02, 0.02, 0.02, 0.02, 0.02]),
      ...curve('b', 0, [0.5, 0.4, 0.3]),
    ];
    assert.equal(FINAL_EPOCHS, 5);
    assert.deepEqual(summarizeSeeds(rows), [
      { variant: 'a', seeds: 3, finals: [0.004, 0.01, 0.02], median: 0.01, min: 0.004, max: 0.02 },
      { variant: 'b', seeds: 1, finals: [0.4], median: 0.4, min: 0.4, max: 0.4 },
    ]);
  });

  it('finalEpochs: the last 5 under a flat rate, the last one under one-cycle', () => {
    assert.equal(finalEpochs({ schedule: 'flat' }), 5);
    assert.equal(finalEpochs({ schedule: 'onecycle' }), 1);
  });
});
