// The search behind the `fast` recipe (src/train/recipes.ts): trains the attention model on the
// full data (25,000 samples) under each candidate recipe and records, per epoch, the validation
// loss and the seconds since the run started, into data/results/recipe-search.json. Resumable:
// a candidate already in the file is skipped (its run lies in the git-ignored data/tmp/try-it/).
//
//   node --import tsx scripts/recipe-search.ts onecycle:5e-3:64:12:0.25 flat:1e-3:128:10
//
// Each candidate is schedule:peak:batch:epochs[:warmup][@seed]; a seed other than 0 changes the
// initial weights and the batch order. Run it alone on the machine: its seconds are wall time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../src/runtime/backend';
import { dataDir } from '../src/runtime/paths';
import { epochLosses } from '../src/train/history';
import { FitConfig } from '../src/train/learner';
import { planRun, trainOrLoad } from '../src/train/runs';
import { Schedule } from '../src/train/schedule';

interface Candidate {
  name: string;
  fit: Partial<FitConfig>;
  seed: number;
}

function parse(arg: string): Candidate {
  const [recipe, seed = '0'] = arg.split('@');
  const [schedule, lr, batchSize, epochs, warmup] = recipe.split(':');
  const fit: Partial<FitConfig> = {
    schedule: schedule as Schedule,
    lr: Number(lr),
    batchSize: Number(batchSize),
    epochs: Number(epochs),
    seed: Number(seed),
  };
  if (warmup !== undefined) fit.warmup = Number(warmup);
  return { name: arg, fit, seed: Number(seed) };
}

async function main(): Promise<void> {
  const candidates = process.argv.slice(2).map(parse);
  if (!candidates.length) throw new Error('give candidates as schedule:peak:batch:epochs[:warmup]');
  const plans = candidates.map((c) => ({
    c,
    plan: planRun({
      kind: 'attention',
      config: c.seed ? { seed: c.seed } : {},
      fit: c.fit,
      tryIt: true,
    }),
  }));
  await initBackend();
  const file = path.join(dataDir(), 'results', 'recipe-search.json');
  const out: Record<string, unknown> = fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : {};
  for (const { c, plan } of plans) {
    if (out[c.name]) continue;
    const run = await trainOrLoad(plan, {});
    const r = run.record;
    let t = 0;
    const epochs = epochLosses(r.history).map((e, i) => ({
      epoch: e.epoch + 1,
      valid: e.valid,
      seconds: (t += r.epochSeconds[i]),
    }));
    out[c.name] = { fit: r.fit, test: r.testLoss, epochs };
    fs.writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
    const hit = epochs.find((e) => e.valid !== undefined && e.valid <= 0.001);
    console.error(
      `${c.name}: final valid ${epochs.at(-1)?.valid?.toFixed(5)} test ${r.testLoss.toFixed(5)}; ≤ 0.001 ${hit ? `at epoch ${hit.epoch}, ${hit.seconds.toFixed(0)} s` : 'never'}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
