// One variant of a named seeded comparison (experiments.ts) as its runs, one per seed: the plans
// that `compare` trains, picked out so a notebook can open the trained models themselves (to
// patch their attention, or run them at another length), not only read their loss rows. The
// plans come from planCompare with the set's own options, so their keys are the ones the
// background `exploring-attention compare --set NAME` saved, and loading them trains nothing.
import { planCompare } from './compare';
import { experiment, experimentOptions } from './experiments';
import { Profile } from './profiles';
import { RunPlan } from './runs';

/** The plans of one variant of set `name`, one per seed, in seed order. */
export function variantPlans(
  name: string,
  variant: string,
  profile: Profile,
): { seed: number; plan: RunPlan }[] {
  const e = experiment(name); // an unknown set fails here
  const names = e.variants.map((v) => v.name);
  if (!names.includes(variant))
    throw new Error(
      `set '${name}' has no variant '${variant}'; its variants are ${names.map((n) => `'${n}'`).join(', ')}`,
    );
  const opts = experimentOptions(name, profile);
  return planCompare(
    e.variants.filter((v) => v.name === variant),
    opts,
  ).map(({ seed, plan }) => ({ seed, plan }));
}
