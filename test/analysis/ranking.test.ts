// Ranking finished sweep points by their final validation loss (src/analysis/ranking.ts).
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestAndWorst, finalValid, finishedPoints } from '../../src/analysis/ranking';
import { SweepResult } from '../../src/train/sweep';

const point = (label: string, valids: number[], extra: Partial<SweepResult> = {}): SweepResult => ({
  label,
  kind: 'cnn',
  config: {},
  status: 'done',
  params: 100 + valids.length,
  epochs: valids.map((valid, epoch) => ({ epoch, train: 1, valid })),
  testLoss: valids[valids.length - 1] * 2,
  seconds: 1,
  backend: 'cpu',
  ...extra,
});

// The first epoch's order is the reverse of the last epoch's: ranking by anything but the last
// validation loss gets the order wrong.
const results = [
  point('a', [0.1, 0.5]),
  point('b', [0.2, 0.4]),
  point('c', [0.3, 0.3]),
  point('d', [0.4, 0.2]),
  point('e', [0.5, 0.1]),
  point('diverged', [], { status: 'failed', error: 'training diverged' }),
  point('empty', []),
];

describe('ranking', () => {
  it('keeps the finished points that have an epoch', () => {
    assert.deepEqual(
      finishedPoints(results).map((r) => r.label),
      ['a', 'b', 'c', 'd', 'e'],
    );
  });

  it("reads a point's final validation loss from its last epoch", () => {
    assert.equal(finalValid(results[0]), 0.5);
    assert.equal(finalValid(results[4]), 0.1);
    assert.throws(() => finalValid(results[6]), /no finished epoch/);
  });

  it('lists the best n, then the worst n from the worst, then the failures', () => {
    const rows = bestAndWorst(results, 2);
    assert.deepEqual(
      rows.map((r) => [r.rank, r.label]),
      [
        ['best', 'e'],
        ['best', 'd'],
        ['worst', 'a'],
        ['worst', 'b'],
        ['failed', 'diverged'],
      ],
    );
    assert.deepEqual(rows[0], { rank: 'best', label: 'e', params: 102, valid: 0.1, test: 0.2 });
    assert.ok(Number.isNaN(rows[4].valid) && Number.isNaN(rows[4].test));
  });

  it('defaults to three of each', () => {
    const rows = bestAndWorst(results);
    assert.equal(rows.filter((r) => r.rank === 'best').length, 3);
    assert.equal(rows.filter((r) => r.rank === 'worst').length, 3);
  });
});
