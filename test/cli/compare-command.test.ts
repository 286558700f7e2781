// The CLI's `compare` command (src/cli/compare-command.ts): bad input exits 2 before any work,
// and a smoke-size set trains every (variant, seed) once, then loads them, printing each
// variant's median and range over seeds.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitsTwoWritingNothing, run } from './run';

describe('cli compare: bad input exits 2 with the usage, before any work, writing nothing', () => {
  exitsTwoWritingNothing([
    ['no set', ['compare'], /compare needs --set NAME \(beyond-dense, /],
    ['an unknown set', ['compare', '--set', 'nope'], /set must be one of .*got 'nope'/],
    [
      'a variant the set does not have',
      ['compare', '--set', 'windows', '--variants', '±50,±7'],
      /--variants: ±7 not in set windows \(±50, whole sequence\)/,
    ],
    [
      'zero seeds',
      ['compare', '--set', 'windows', '--seeds', '0'],
      /--seeds must be an integer >= 1, got 0/,
    ],
  ]);
});

describe('cli compare at the smoke size', () => {
  it('trains each variant under each seed once, then loads them; one summary line per variant', async () => {
    const args = [
      'compare',
      '--set',
      'windows',
      '--variants',
      '±50,whole sequence',
      '--seeds',
      '2',
      '--profile',
      'smoke',
      '--json',
    ];
    const first = await run(...args);
    assert.equal(first.code, 0, first.err);
    const lines = first.out.split('\n').map((l) => JSON.parse(l));
    const runs = lines.filter((l) => 'source' in l);
    assert.deepEqual(
      runs.map((l) => [l.variant, l.seed, l.source]),
      [
        ['±50', 0, 'trained'],
        ['±50', 1, 'trained'],
        ['whole sequence', 0, 'trained'],
        ['whole sequence', 1, 'trained'],
      ],
    );
    const summaries = lines.filter((l) => 'median' in l);
    assert.deepEqual(
      summaries.map((s) => [s.variant, s.seeds]),
      [
        ['±50', 2],
        ['whole sequence', 2],
      ],
    );
    for (const s of summaries) {
      assert.ok(s.min <= s.median && s.median <= s.max);
      assert.notEqual(s.finals[0], s.finals[1], 'two seeds train two different runs');
    }
    const again = await run(...args);
    const sources = again.out
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => 'source' in l);
    assert.ok(sources.every((l) => l.source === 'saved'));
  });
});
