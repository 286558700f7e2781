// The CLI's `compare` command: trains (or loads) a named seeded comparison from
// train/experiments.ts, the same runs notebooks 06–08 load, and prints each variant's seeds and
// its median and range over seeds (each seed's final loss: compare.ts's `seedFinals`).
import { UsageError, intFlag, parseFlags } from '../runtime/args';
import { initBackend, requireTrainingBackend } from '../runtime/backend';
import { compare, planCompare, summarizeSeeds } from '../train/compare';
import { EXPERIMENT_NAMES, experiment, experimentOptions } from '../train/experiments';
import { hasSavedRun } from '../train/runs';
import { Out, profileOf } from './flags';

export const compareCommand: Record<string, (args: string[], out: Out) => Promise<void>> = {
  async compare(args, out) {
    const v = parseFlags(args, {
      set: { type: 'string' },
      seeds: { type: 'string' },
      variants: { type: 'string' },
      profile: { type: 'string' },
      retrain: { type: 'boolean' },
    });
    if (typeof v.set !== 'string')
      throw new UsageError(`compare needs --set NAME (${EXPERIMENT_NAMES.join(', ')})`);
    const e = experiment(v.set); // an unknown set is bad input, before any work
    const profile = profileOf(v);
    const n = intFlag(v, 'seeds', 3, 1);
    const opts = experimentOptions(
      v.set,
      profile,
      Array.from({ length: n }, (_, i) => i),
    );
    const only =
      typeof v.variants === 'string' ? v.variants.split(',').map((x) => x.trim()) : undefined;
    const unknown = only?.filter((name) => !e.variants.some((x) => x.name === name)) ?? [];
    if (unknown.length)
      throw new UsageError(
        `--variants: ${unknown.join(', ')} not in set ${v.set} (${e.variants.map((x) => x.name).join(', ')})`,
      );
    const variants = only ? e.variants.filter((x) => only.includes(x.name)) : e.variants;
    const plans = planCompare(variants, opts); // every run checked before any trains
    await initBackend();
    if (v.retrain || plans.some((p) => !hasSavedRun(p.plan))) requireTrainingBackend();
    const rows = await compare(variants, {
      ...opts,
      retrain: v.retrain === true,
      onRun: (variant, seed, source) =>
        out(`${v.set}: ${variant}, seed ${seed}: ${source}`, { set: v.set, variant, seed, source }),
    });
    for (const s of summarizeSeeds(rows))
      out(
        `${s.variant}: median ${s.median.toPrecision(3)} (${s.min.toPrecision(3)}–${s.max.toPrecision(3)}) over ${s.seeds} seeds [${s.finals.map((f) => f.toPrecision(3)).join(', ')}]`,
        { set: v.set, ...s },
      );
  },
};
