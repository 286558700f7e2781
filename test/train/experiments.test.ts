// The named seeded comparisons (src/train/experiments.ts): every set plans (each variant's config
// is valid, names are unique), runs at the profile's size with the fast recipe and varied data,
// and an unknown name is refused.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCompare } from '../../src/train/compare';
import { EXPERIMENT_NAMES, experiment, experimentOptions } from '../../src/train/experiments';
import { getProfile } from '../../src/train/profiles';
import { planRun } from '../../src/train/runs';

describe('experiments', () => {
  it('every set plans at its full-profile size (LSTMs, windows and the sweep slice at the grid size): fast recipe, 3 seeds, each seed its own data draw', () => {
    const full = getProfile('full');
    for (const name of EXPERIMENT_NAMES) {
      const opts = experimentOptions(name, full);
      const plans = planCompare(experiment(name).variants, opts);
      assert.equal(plans.length, experiment(name).variants.length * 3, name);
      for (const p of plans) {
        const blog = name === 'lstm-blog-state'; // the batch is that model's time axis
        assert.equal(p.plan.fit.schedule, blog ? 'flat' : 'onecycle', name);
        assert.equal(p.plan.fit.epochs, blog ? 50 : 6, name);
        assert.equal(
          p.plan.data.nTrain,
          ['lstm', 'windows', 'sweep-slice'].includes(name) ? 10_000 : 25_000,
          name,
        );
        assert.equal(p.plan.data.seed, 42 + p.seed, `${name}: seed ${p.seed} draws its own data`);
        assert.equal(p.plan.fit.seed, p.seed);
      }
    }
  });

  it('the blog LSTM set at seed 0 is the committed walk-through run', () => {
    const [carried] = planCompare(
      experiment('lstm-blog-state').variants,
      experimentOptions('lstm-blog-state', getProfile('full')),
    );
    assert.equal(carried.plan.key, planRun({ kind: 'lstm-blog', recipe: 'blog' }).key);
  });

  it('a set shares runs with another where their variants are the same model', () => {
    const full = getProfile('full');
    const key = (set: string, variant: string) =>
      planCompare(experiment(set).variants, experimentOptions(set, full)).find(
        (p) => p.variant === variant && p.seed === 0,
      )?.plan.key;
    assert.equal(key('windows', 'whole sequence'), key('lstm', 'attention'));
    assert.notEqual(key('windows', '±50'), key('lstm', 'attention'));
    assert.equal(key('beyond-dense', 'attention'), key('attention-variants', 'attention'));
  });

  it('positions runs on groupByLocations; the smoke profile shrinks the data', () => {
    assert.equal(experimentOptions('positions', getProfile('full')).data?.groupByLocations, true);
    assert.equal(experimentOptions('windows', getProfile('smoke')).data?.nTrain, 320);
    // The blog recipe has no epochs of its own: the size's (1 at smoke size, not the 50 default).
    assert.equal(experimentOptions('lstm-blog-state', getProfile('smoke')).fit?.epochs, 1);
    assert.equal(experimentOptions('windows', getProfile('smoke')).fit?.epochs, 6);
  });

  it('an unknown set is refused, naming the valid ones', () => {
    assert.throws(() => experiment('nope'), /set must be one of beyond-dense, .*got 'nope'/);
  });
});
