// The resumable sweep (src/train/sweep.ts) on tiny data: every point gets a result, an interrupted
// sweep retrains nothing that finished, a bad grid trains nothing, a diverging point is recorded.
import '../setup';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend } from '../../src/runtime/backend';
import { toRows } from '../../src/viz/frames';
import { SweepResult, grid, labelOf, runSweep } from '../../src/train/sweep';
import { sweepFrame } from '../../src/viz/sweep-frame';

before(async () => {
  await initBackend({ quiet: true });
});

const base = { channels: 4 };
const opts = { data: { nTrain: 64, nTest: 8 }, fit: { epochs: 1, batchSize: 32 }, log: () => {} };

describe('sweep', () => {
  it('builds the cartesian grid with readable labels', () => {
    const g = grid('attention', { kernelSize: [3, 5], keyChannels: [8, 16, 32] }, base);
    assert.equal(g.length, 6);
    assert.deepEqual(g[1], {
      kind: 'attention',
      config: { channels: 4, kernelSize: 3, keyChannels: 16 },
      label: 'attention k3 c16',
    });
    assert.throws(
      () => grid('cnn', { kernelSize: [] }),
      /axis 'kernelSize' needs at least one value/,
    );
  });

  it('labels a point by its varied fields, short names where there are some', () => {
    assert.equal(labelOf('attention', { kernelSize: 5, keyChannels: 32 }), 'attention k5 c32');
    assert.equal(labelOf('cnn', { channels: 8, depth: 3 }), 'cnn ch8 depth=3');
    assert.equal(labelOf('lstm-blog', {}), 'lstm-blog');
  });

  it('tells each point how long the points left should take, from the points trained so far', async () => {
    const points = grid('cnn', { kernelSize: [1, 3, 5] }, { channels: 2 });
    const etas: (number | undefined)[] = [];
    const results = await runSweep(points, {
      ...opts,
      progress: (_p, _i, _n, eta) => (etas.push(eta), undefined),
    });
    assert.equal(etas.length, 3);
    assert.equal(etas[0], undefined, 'nothing trained yet');
    const mean = (k: number) => results.slice(0, k).reduce((a, r) => a + r.seconds, 0) / k;
    assert.ok(Math.abs(etas[1]! - mean(1) * 2) < 1e-9, `${etas[1]} vs ${mean(1) * 2}`);
    assert.ok(Math.abs(etas[2]! - mean(2) * 1) < 1e-9, `${etas[2]} vs ${mean(2)}`);
  });

  it('produces a result for every grid point, in long format', async () => {
    const points = grid('attention', { kernelSize: [3, 5], keyChannels: [2, 4] }, base);
    const results = await runSweep(points, opts);
    assert.deepEqual(
      results.map((r) => r.status),
      ['done', 'done', 'done', 'done'],
    );
    const rows = toRows(sweepFrame(results));
    assert.equal(rows.length, 4); // one epoch each
    assert.deepEqual(Object.keys(rows[0]).slice(0, 5), [
      'label',
      'model',
      'channels',
      'kernelSize',
      'keyChannels',
    ]);
    assert.ok(rows.every((r) => (r.valid as number) > 0 && (r.params as number) > 0));
  });

  it('resumes after an interruption without retraining finished points', async () => {
    const points = grid('cnn', { kernelSize: [1, 3, 5] }, { channels: 3 });
    const seen: string[] = [];
    await assert.rejects(
      runSweep(points, {
        ...opts,
        onPoint: (r, done) => {
          seen.push(r.label);
          if (done === 2) throw new Error('interrupted (simulated Ctrl-C)');
        },
      }),
      /interrupted/,
    );
    assert.deepEqual(seen, ['cnn k1', 'cnn k3']);
    const trained: string[] = [];
    const results = await runSweep(points, {
      ...opts,
      progress: (p) => (trained.push(p.label), undefined),
    });
    assert.deepEqual(trained, ['cnn k5'], 'only the unfinished point trains');
    assert.equal(results.length, 3);
    const again: string[] = [];
    await runSweep(points, { ...opts, progress: (p) => (again.push(p.label), undefined) });
    assert.deepEqual(again, []);
  });

  it('refuses a grid with any bad value before training anything, naming every bad value', async () => {
    const points = grid('cnn', { kernelSize: [3, 4, 6] }, base);
    const trained: string[] = [];
    await assert.rejects(
      runSweep(points, { ...opts, progress: (p) => (trained.push(p.label), undefined) }),
      /2 bad point\(s\), nothing was trained: cnn\.kernelSize must be odd.*got 4.*cnn\.kernelSize must be odd.*got 6/,
    );
    assert.deepEqual(trained, []);
  });

  it('records a diverging point with its reason and goes on', async () => {
    const points = grid('cnn', { kernelSize: [3] }, { ...base, seed: 2 });
    const results: SweepResult[] = await runSweep(points, {
      ...opts,
      fit: { ...opts.fit, lr: 1e30 },
    });
    assert.equal(results[0].status, 'failed');
    assert.match(results[0].error!, /diverged/);
    const rows = toRows(sweepFrame(results));
    assert.equal(rows[0].status, 'failed');
  });
});
