// Named training recipes (src/train/recipes.ts): by name in a run's options and on the CLI.
import '../setup';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli';
import { DEFAULT_FIT, keyedFit, validateFitConfig } from '../../src/train/learner';
import { RECIPES, recipeFit, recipeOf, recipeSearch } from '../../src/train/recipes';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TMP } from '../setup';
import { planRun } from '../../src/train/runs';
import { ConfigError } from '../../src/runtime/validate';

describe('recipes', () => {
  it('blog is the walk-through: the defaults, flat 1e-3, batch 128, 50 epochs', () => {
    const fit = validateFitConfig({ ...DEFAULT_FIT, ...recipeFit('blog') });
    assert.deepEqual([fit.schedule, fit.lr, fit.batchSize, fit.epochs], ['flat', 1e-3, 128, 50]);
    assert.equal(recipeOf(fit), 'blog');
  });

  it('fast is a valid one-cycle fit, and is what a run planned with it trains', () => {
    const plan = planRun({ kind: 'attention', recipe: 'fast' });
    assert.equal(plan.fit.schedule, 'onecycle');
    for (const [k, v] of Object.entries(RECIPES.fast)) assert.equal(plan.fit[k as 'lr'], v, k);
    assert.equal(recipeOf(plan.fit), 'fast');
    // The run's own fields win over the recipe's.
    assert.equal(planRun({ kind: 'attention', recipe: 'fast', fit: { epochs: 3 } }).fit.epochs, 3);
  });

  it('refuses an unknown recipe, naming the valid ones', () => {
    assert.throws(
      () => recipeFit('turbo'),
      (e: unknown) => e instanceof ConfigError && /blog, fast/.test(String(e)),
    );
    assert.throws(() => planRun({ kind: 'cnn', recipe: 'turbo' }), ConfigError);
  });

  it('keeps the keys of runs saved before schedules existed, and separates the fast ones', () => {
    const blog = planRun({ kind: 'cnn' });
    assert.deepEqual(
      Object.keys(keyedFit(blog.fit)).sort(),
      Object.keys(DEFAULT_FIT)
        .filter((k) => k !== 'schedule' && k !== 'warmup')
        .sort(),
    );
    assert.notEqual(
      planRun({ kind: 'cnn', recipe: 'fast', fit: { epochs: 50, batchSize: 128, lr: 1e-3 } }).key,
      blog.key,
    );
    assert.notEqual(planRun({ kind: 'cnn', fit: { warmup: 0.5 } }).key, blog.key);
  });

  it('the CLI refuses an unknown recipe with exit code 2 before any work', async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (s: string) => err.push(s) };
    assert.equal(await main(['train', '--model', 'cnn', '--recipe', 'turbo'], io), 2);
    assert.match(err.join('\n'), /recipe must be one of blog, fast, got 'turbo'/);
  });

  it("reads the committed search: the fast recipe's own candidate, over three seeds, under 0.001", () => {
    const trials = recipeSearch();
    const fast = Object.entries(trials).filter(([name]) =>
      name.startsWith('onecycle:3e-3:32:6:0.25'),
    );
    assert.equal(fast.length, 3);
    for (const [, t] of fast) {
      assert.equal(t.fit.schedule, 'onecycle');
      assert.deepEqual(
        [t.fit.lr, t.fit.batchSize, t.fit.epochs, t.fit.warmup],
        [3e-3, 32, 6, 0.25],
      );
      assert.equal(t.epochs.length, 6);
      assert.ok(t.epochs.at(-1)!.valid < 0.001);
    }
  });

  it('refuses a search file whose candidate has no validation losses, naming it', () => {
    const file = path.join(TMP!, 'bad-search.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ 'flat:1e-3:128:2': { fit: {}, test: 1, epochs: [{ epoch: 1 }] } }),
    );
    assert.throws(() => recipeSearch(file), /candidate flat:1e-3:128:2 has no validation losses/);
  });
});
