// One variant of a named comparison as its runs (src/train/experiment-runs.ts): the plans must be
// exactly the ones `compare` trains, or a notebook would train a second copy of every run.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCompare } from '../../src/train/compare';
import { variantPlans } from '../../src/train/experiment-runs';
import { experiment, experimentOptions } from '../../src/train/experiments';
import { getProfile } from '../../src/train/profiles';

describe('experiment runs', () => {
  for (const profile of ['full', 'smoke'] as const) {
    it(`gives the same plans as compare, one per seed (${profile})`, () => {
      // Bug caught: building the plans without the set's data size, recipe or per-seed data draw.
      const p = getProfile(profile);
      for (const [set, variant] of [
        ['attention-variants', 'sinusoidal positions'],
        ['lstm', 'lstm-seq'],
        ['beyond-dense', 'cnn'],
      ]) {
        const want = planCompare(experiment(set).variants, experimentOptions(set, p)).filter(
          (x) => x.variant === variant,
        );
        const got = variantPlans(set, variant, p);
        assert.deepEqual(
          got.map((g) => [g.seed, g.plan.key]),
          want.map((w) => [w.seed, w.plan.key]),
        );
        assert.equal(got.length, 3);
      }
    });
  }

  it('names the variants when asked for one the set lacks', () => {
    // Bug caught: an unknown variant giving no plans (and a notebook table with no rows).
    const names = experiment('windows')
      .variants.map((v) => `'${v.name}'`)
      .join(', ');
    assert.throws(
      () => variantPlans('windows', 'attention', getProfile('full')),
      (err: Error) =>
        err.message === `set 'windows' has no variant 'attention'; its variants are ${names}`,
    );
    assert.throws(
      () => variantPlans('nope', 'attention', getProfile('full')),
      /set must be one of/,
    );
  });
});
