// The saved single-batch overfit check (src/train/overfit.ts): trained once, then read from
// data/results/; a change of any setting trains again. (The check itself, overfitBatch, is
// tested with the learner.)
import { TMP } from '../setup';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { initBackend } from '../../src/runtime/backend';
import { overfitOrLoad } from '../../src/train/overfit';

before(async () => {
  await initBackend({ quiet: true });
});

const opts = {
  kind: 'cnn' as const,
  config: { channels: 4 },
  data: { nTrain: 60, nTest: 5 },
  fit: { lr: 1e-2 },
  items: 8,
  steps: 6,
  every: 2,
};
const saved = () =>
  fs.existsSync(path.join(TMP!, 'results'))
    ? fs.readdirSync(path.join(TMP!, 'results')).filter((f) => f.startsWith('overfit-cnn-'))
    : [];

describe('overfit check', () => {
  it('trains once and saves, then reads the same points; retrain trains again', () => {
    const first = overfitOrLoad(opts);
    assert.equal(first.source, 'trained');
    assert.deepEqual(
      first.points.map((p) => p.step),
      [0, 2, 4],
    );
    assert.ok(first.points[2].loss < first.points[0].loss, 'the loss goes down');
    assert.equal(saved().length, 1);
    const second = overfitOrLoad(opts);
    assert.equal(second.source, 'saved');
    assert.deepEqual(second.points, first.points);
    assert.equal(second.seconds, first.seconds, 'the recorded time, not a new one');
    assert.equal(overfitOrLoad({ ...opts, retrain: true }).source, 'trained');
    assert.equal(saved().length, 1);
  });

  it('keys the saved check by its settings: other steps, items or a model config train anew', () => {
    overfitOrLoad(opts);
    const before = saved().length;
    for (const change of [{ steps: 4 }, { items: 4 }, { config: { channels: 3 } }]) {
      const r = overfitOrLoad({ ...opts, ...change });
      assert.equal(r.source, 'trained', JSON.stringify(change));
    }
    assert.equal(saved().length, before + 3);
  });
});
