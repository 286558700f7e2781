// The sweep estimate (src/train/sweep-estimate.ts): notebook 7's grid, and each point's measured
// step scaled to the recipe's epochs. Speed itself is never asserted; `bench --sweep-estimate`
// measures it.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend } from '../../src/runtime/backend';
import { RECIPES } from '../../src/train/recipes';
import { NOTEBOOK_07_GRID, sweepEstimate } from '../../src/train/sweep-estimate';

before(async () => {
  await initBackend({ quiet: true });
});

describe('sweep estimate', () => {
  it("holds notebook 7's 28 points: 4 kernels × 6 key channels of attention, 4 CNN kernels", () => {
    assert.equal(NOTEBOOK_07_GRID.length, 28);
    const keys = NOTEBOOK_07_GRID.map(
      (p) => `${p.kind}:${p.config.kernelSize}:${p.config.keyChannels ?? '-'}`,
    );
    assert.equal(new Set(keys).size, 28);
    assert.equal(NOTEBOOK_07_GRID.filter((p) => p.kind === 'cnn').length, 4);
  });

  it("scales each point's measured step to the recipe's epochs of 20,000 fitted samples", () => {
    const grid = [
      { kind: 'cnn' as const, config: { kernelSize: 3 } },
      { kind: 'attention' as const, config: { kernelSize: 3, keyChannels: 8 } },
    ];
    const e = sweepEstimate('fast', { grid, minSeconds: 0 });
    const steps = RECIPES.fast.epochs! * Math.ceil(20_000 / RECIPES.fast.batchSize!);
    assert.equal(e.points.length, 2);
    for (const p of e.points) {
      assert.ok(p.stepS > 0);
      assert.ok(Math.abs(p.seconds - p.stepS * steps) < 1e-9 * p.seconds);
    }
    assert.ok(Math.abs(e.totalS - e.points[0].seconds - e.points[1].seconds) < 1e-9 * e.totalS);
    assert.throws(() => sweepEstimate('turbo', { grid }), /recipe must be one of/);
  });
});
